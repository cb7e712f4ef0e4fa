// References to, and ordering of, the Kubernetes objects the translator reads.
import type { V1ObjectMeta } from '@kubernetes/client-node';
import { TwoGenerations } from './two-generations.ts';
import { objectKey } from './types.ts';
import type { ObjectKind, ObjectRef } from './types.ts';

export interface KubeObject {
  metadata?: V1ObjectMeta;
}

export function refOf(kind: ObjectKind, obj: KubeObject): ObjectRef {
  const meta = obj.metadata ?? {};
  const name = meta.name ?? '';
  const { namespace, uid } = meta;
  // Literals of the final shape: fields added one by one would need a property store of their own.
  if (namespace) return uid ? { kind, name, namespace, uid } : { kind, name, namespace };
  return uid ? { kind, name, uid } : { kind, name };
}

export function keyOf(kind: ObjectKind, obj: KubeObject): string {
  return objectKey(refOf(kind, obj));
}

/** An object's ref and its key (sort order). */
export interface KeyedRef {
  key: string;
  ref: ObjectRef;
  /** The object's Kong tags once built (tags.ts): kept here, not in a map of their own. */
  tags: readonly string[] | undefined;
  /**
   * Ids of Kong entities named for the object, as (table, name, id) triples
   * (entity-ids.ts): found here by comparing names, not by hashing each name.
   */
  ids: string[] | undefined;
}

/**
 * A new KeyedRef for an object. A translator's KeyedRefs makes one per uid
 * (KeyedRefs.ofObject) and keeps it; without a translator (an index of a
 * snapshot alone, the default backend's route) one is made per use.
 */
export function keyedRefOf(kind: ObjectKind, obj: KubeObject): KeyedRef {
  const ref = Object.freeze(refOf(kind, obj));
  return { key: objectKey(ref), ref, tags: undefined, ids: undefined };
}

/** Refs kept by uid per generation; enough for the objects of ~50k Ingresses with their Services. */
const REF_GENERATION_SIZE = 120_000;

/**
 * Each object's KeyedRef, made once per object, and shared by the objects
 * with its uid, name and namespace: a relisted copy of an object (a watch
 * restarted, a leader's caches) is the same Kubernetes object, so its ref,
 * tags and entity ids are those of the copy before.
 */
export class KeyedRefs {
  private readonly made = new WeakMap<KubeObject, KeyedRef>();
  private readonly byUid = new TwoGenerations<KeyedRef>(REF_GENERATION_SIZE);
  /** The last object asked for, and its ref: an Ingress's routes and counts ask for it several times in a row. */
  private lastObject: KubeObject | undefined;
  private lastKeyed: KeyedRef | undefined;

  of(kind: ObjectKind, obj: KubeObject): KeyedRef {
    if (obj === this.lastObject && this.lastKeyed !== undefined) return this.lastKeyed;
    let keyed = this.made.get(obj);
    if (keyed === undefined) {
      keyed = this.ofObject(kind, obj);
      this.made.set(obj, keyed);
    }
    this.lastObject = obj;
    this.lastKeyed = keyed;
    return keyed;
  }

  /**
   * The ref kept for an object of this kind with the uid, name and namespace
   * of `obj`, or a new one kept from now on: one entry per uid, not per copy
   * of the object (an Ingress plan keeps its Ingress's ref, a Services' lookup
   * table each Service's). Objects without a uid (manifests) get a new ref each time.
   */
  ofObject(kind: ObjectKind, obj: KubeObject): KeyedRef {
    const uid = obj.metadata?.uid;
    if (!uid) return keyedRefOf(kind, obj);
    const known = this.byUid.find(kind, uid);
    if (known !== undefined && sameName(known.ref, obj.metadata)) return known;
    return this.byUid.remember(kind, uid, keyedRefOf(kind, obj));
  }
}

/** Whether a ref names the object with this metadata (two objects given one uid in a manifest do not). */
function sameName(ref: ObjectRef, meta: V1ObjectMeta | undefined): boolean {
  return ref.name === (meta?.name ?? '') && (ref.namespace ?? '') === (meta?.namespace ?? '');
}

/** Sort order of keyed refs: by key. */
export const byKey = (a: KeyedRef, b: KeyedRef): number => compareStrings(a.key, b.key);

/** `ns/name` of a namespaced object. */
export function namespacedName(obj: KubeObject): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

function creationTime(obj: KubeObject): number {
  // Informers give a Date, manifests a string; objects without one sort last.
  const raw: unknown = obj.metadata?.creationTimestamp;
  if (raw === undefined || raw === null) return Number.POSITIVE_INFINITY;
  const time = new Date(raw as string | Date).getTime();
  return Number.isNaN(time) ? Number.POSITIVE_INFINITY : time;
}

function compareAgeKeys(a: AgeKey, b: AgeKey): number {
  return a.time !== b.time ? (a.time < b.time ? -1 : 1) : compareStrings(a.name, b.name);
}

/**
 * Why `winner` went before `loser`, for failure messages: "older" only when both
 * carry creation timestamps (offline manifests usually have none).
 */
export function precedence(winner: KubeObject, loser: KubeObject): string {
  const [a, b] = [creationTime(winner), creationTime(loser)];
  if (!Number.isFinite(a) || !Number.isFinite(b)) return 'first by namespace/name, as the Ingresses have no creationTimestamp';
  return a < b ? 'older' : 'created at the same time, first by namespace/name';
}

interface AgeKey { time: number; name: string }

/** Orders objects oldest first (creationTimestamp), then by namespace/name: who wins a conflict. */
export class ObjectAges {
  // Objects are replaced, never mutated: each object's age key is made once.
  private readonly keys = new WeakMap<KubeObject, AgeKey>();

  compare(a: KubeObject, b: KubeObject): number {
    return compareAgeKeys(this.keyOf(a), this.keyOf(b));
  }

  /** Oldest first, as compare, with each object's sort key made once (10k-element sorts). */
  sort<T extends KubeObject>(items: readonly T[]): T[] {
    return items
      .map((item) => ({ item, key: this.keyOf(item) }))
      .sort((a, b) => compareAgeKeys(a.key, b.key))
      .map((keyed) => keyed.item);
  }

  private keyOf(item: KubeObject): AgeKey {
    let key = this.keys.get(item);
    if (key === undefined) {
      key = { time: creationTime(item), name: namespacedName(item) };
      this.keys.set(item, key);
    }
    return key;
  }
}

/** Code-unit order, independent of locale, so output bytes are stable everywhere. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * Sorts in place, as Array.prototype.sort (stable), without the work array
 * it allocates: most lists sorted per route or service hold one or two items.
 */
export function sortSmall<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  if (items.length > 16) return items.sort(compare);
  for (let i = 1; i < items.length; i += 1) {
    const item = items[i] as T;
    let j = i - 1;
    for (; j >= 0 && compare(items[j] as T, item) > 0; j -= 1) items[j + 1] = items[j] as T;
    items[j + 1] = item;
  }
  return items;
}

export function sortedStrings(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareStrings);
}
