// References to, and ordering of, the Kubernetes objects the translator reads.
import type { V1ObjectMeta } from '@kubernetes/client-node';
import { objectKey } from './types.ts';
import type { ObjectKind, ObjectRef } from './types.ts';

export interface KubeObject {
  metadata?: V1ObjectMeta;
}

export function refOf(kind: ObjectKind, obj: KubeObject): ObjectRef {
  const meta = obj.metadata ?? {};
  const ref: ObjectRef = { kind, name: meta.name ?? '' };
  if (meta.namespace) ref.namespace = meta.namespace;
  if (meta.uid) ref.uid = meta.uid;
  return ref;
}

export function keyOf(kind: ObjectKind, obj: KubeObject): string {
  return objectKey(refOf(kind, obj));
}

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

/** Oldest first (creationTimestamp), then by namespace/name: who wins a conflict. */
export function compareByAge(a: KubeObject, b: KubeObject): number {
  return compareAgeKeys(ageKey(a), ageKey(b));
}

function compareAgeKeys(a: AgeKey, b: AgeKey): number {
  return a.time !== b.time ? (a.time < b.time ? -1 : 1) : compareStrings(a.name, b.name);
}

/**
 * Why `winner` went before `loser`, for failure messages: "older" only when both
 * carry creation timestamps (offline manifests usually have none).
 */
export function precedence(winner: KubeObject, loser: KubeObject): string {
  const [a, b] = [ageKey(winner).time, ageKey(loser).time];
  if (!Number.isFinite(a) || !Number.isFinite(b)) return 'first by namespace/name, as the Ingresses have no creationTimestamp';
  return a < b ? 'older' : 'created at the same time, first by namespace/name';
}

// Objects are replaced, never mutated: each object's age key is made once.
interface AgeKey { time: number; name: string }
const ageKeys = new WeakMap<KubeObject, AgeKey>();

function ageKey(item: KubeObject): AgeKey {
  let key = ageKeys.get(item);
  if (key === undefined) {
    key = { time: creationTime(item), name: namespacedName(item) };
    ageKeys.set(item, key);
  }
  return key;
}

/** Oldest first, as compareByAge, with each object's sort key made once (10k-element sorts). */
export function sortByAge<T extends KubeObject>(items: readonly T[]): T[] {
  return items
    .map((item) => ({ item, key: ageKey(item) }))
    .sort((a, b) => compareAgeKeys(a.key, b.key))
    .map((keyed) => keyed.item);
}

/** Code-unit order, independent of locale, so output bytes are stable everywhere. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

export function sortedStrings(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareStrings);
}
