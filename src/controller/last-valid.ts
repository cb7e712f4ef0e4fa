// Last valid version per object: when an Ingress or Service that was served
// becomes invalid (a translation failure or a Kong rejection), its last valid
// version is translated in its place, so an edit never takes down what worked.
// The translator stays pure and unaware: it is simply given a snapshot that
// holds the older object. Deleting (or re-creating) the object drops it for real.
import type { V1Ingress, V1Service } from '@kubernetes/client-node';
import type { KubeObject } from '../translate/index.ts';
import { objectKey, parsePartExclusionKey, type FailureReason, type ObjectKind, type ObjectRef, type TranslateResult, type TranslationFailure } from '../model/index.ts';
import type { Snapshot } from '../translate/index.ts';
import { listChanges } from '../translate/index.ts';
import { ObjectKeys } from './object-keys.ts';

export const SERVING_LAST_VALID = 'ServingLastValid' satisfies FailureReason;
/** Bounds of what the MeshDoor status keeps. */
const MAX_KEPT = 50;
const MAX_KEPT_BYTES = 32 * 1024;

/** Entries read back from a MeshDoor status; malformed ones are skipped. */
export function lastValidFromStatus(status: unknown): LastValidEntry[] {
  const list = (status as { lastValid?: unknown } | undefined)?.lastValid;
  if (!Array.isArray(list)) return [];
  return list.flatMap((raw: unknown): LastValidEntry[] => {
    const e = raw as Partial<LastValidEntry>;
    const meta = e.object?.metadata;
    if ((e.kind !== 'Ingress' && e.kind !== 'Service') || !meta?.name || !meta.uid) return [];
    return [{ kind: e.kind, object: e.object as KubeObject }];
  });
}

type Kept = 'Ingress' | 'Service';
const KEPT: readonly Kept[] = ['Ingress', 'Service'];

/** The object an exclusion key (whole or part) is about. */
function excludedObject(key: string): string {
  return parsePartExclusionKey(key)?.object ?? key;
}

function sameVersion(a: KubeObject, b: KubeObject): boolean {
  if (a === b) return true;
  const [ra, rb] = [a.metadata?.resourceVersion, b.metadata?.resourceVersion];
  return ra !== undefined && ra === rb;
}

/** What the older version still serves, for people. */
export function describeServed(kind: ObjectKind, obj: KubeObject): string {
  const version = obj.metadata?.resourceVersion ? ` (resourceVersion ${obj.metadata.resourceVersion})` : '';
  if (kind !== 'Ingress') return `still serving its last valid version${version}`;
  const rules = (obj as V1Ingress).spec?.rules ?? [];
  const paths = rules.flatMap((r) => (r.http?.paths ?? []).map((p) => `${r.host ?? '*'}${p.path ?? '/'}`));
  const shown = paths.slice(0, 10).join(', ') + (paths.length > 10 ? `, and ${paths.length - 10} more` : '');
  return `still serving its last valid version${version}${shown ? `: ${shown}` : ''}`;
}

/** An object served in its last valid version, as kept in the MeshDoor status (for restarts and other replicas). */
export interface LastValidEntry {
  kind: Kept;
  object: KubeObject;
}

/** What of an object the translator reads: its spec and identifying metadata (no status, no bookkeeping). */
function essentials(kind: Kept, obj: KubeObject): KubeObject {
  const m = obj.metadata ?? {};
  const metadata = {
    name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion,
    ...(m.creationTimestamp ? { creationTimestamp: m.creationTimestamp } : {}),
    ...(m.annotations ? { annotations: m.annotations } : {}), ...(m.labels ? { labels: m.labels } : {}),
  };
  const apiVersion = kind === 'Ingress' ? 'networking.k8s.io/v1' : 'v1';
  return { apiVersion, kind, metadata, spec: (obj as { spec?: unknown }).spec } as KubeObject;
}

interface Translation {
  result: TranslateResult;
  /** Objects translated in their last valid version, by key. */
  substituted: Map<string, KubeObject>;
}

/** A last valid version; `seen`: the last commit that found its object still there (same uid). */
interface ValidEntry {
  kind: Kept;
  obj: KubeObject;
  seen: number;
}

/** What a commit decides each object by. */
interface CommitWalk {
  configured: ReadonlySet<string>;
  failing: ReadonlySet<string>;
  substituted: ReadonlyMap<string, KubeObject>;
}

/** What a commit was made from: the next, from the same configured list and failures, looks only at what changed. */
interface CommitBase {
  lists: Record<Kept, readonly KubeObject[]>;
  configured: ReadonlySet<string>;
  failing: ReadonlySet<string>;
}

function sameKeys(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const key of a) if (!b.has(key)) return false;
  return true;
}

export class LastValid {
  /** Last version of each object that was configured without any failure, by key. */
  private readonly valid = new Map<string, ValidEntry>();
  private commits = 0;
  /** What the last commit was made from, when nothing was substituted. */
  private walked: CommitBase | undefined;
  /** Which substitutions each handed-out result was translated with. */
  private readonly used = new WeakMap<TranslateResult, Map<string, KubeObject>>();
  /** The substitutions of the last committed result. */
  private serving: LastValidEntry[] = [];

  constructor(private readonly keys: ObjectKeys = new ObjectKeys()) {}

  /**
   * Translates with the last valid version of every object that has one and
   * fails now (is excluded after a Kong rejection, or has translation failures).
   */
  translate(snapshot: Snapshot, exclude: ReadonlySet<string>, base: (s: Snapshot, ex: ReadonlySet<string>) => TranslateResult): TranslateResult {
    const subs = new Map<string, KubeObject>();
    for (const key of exclude) this.offer(snapshot, excludedObject(key), subs);
    let t = this.run(snapshot, exclude, subs, base);
    // Objects failing in translation (not only those Kong rejected) get their older version too.
    const before = new Set(subs.keys());
    for (const f of t.result.failures) this.offer(snapshot, objectKey(f.object), subs);
    // Why the current versions fail, kept for the report.
    const why = t.result.failures.filter((f) => subs.has(objectKey(f.object)) && !before.has(objectKey(f.object)));
    if (subs.size > before.size) t = this.run(snapshot, exclude, subs, base);
    // An older version that fails as well (e.g. its Service is gone) helps nothing: back to the current one.
    const stillFailing = new Set(t.result.failures.map((f) => objectKey(f.object)).filter((k) => subs.has(k)));
    if (stillFailing.size > 0) {
      for (const k of stillFailing) subs.delete(k);
      t = this.run(snapshot, exclude, subs, base);
    }
    return this.report(t, snapshot, why.filter((f) => subs.has(objectKey(f.object))));
  }

  /**
   * After a sync every gateway accepted: remember the objects configured without
   * failures; forget those deleted or re-created. It runs on every sync: when
   * only objects changed since the last commit (the same configured list and
   * failures, nothing substituted), only those are looked at.
   */
  commit(snapshot: Snapshot, applied: TranslateResult, rejected: readonly TranslationFailure[]): void {
    const substituted = this.used.get(applied) ?? new Map<string, KubeObject>();
    this.serving = [...substituted.entries()].map(([key, object]) => ({ kind: this.valid.get(key)?.kind ?? 'Ingress', object }));
    const failing = new Set([...applied.failures, ...rejected].map((f) => objectKey(f.object)));
    const walk: CommitWalk = { configured: this.keys.configured(applied.configured), failing, substituted };
    const last = this.walked;
    this.walked = substituted.size === 0 ? { lists: { Ingress: snapshot.Ingress, Service: snapshot.Service }, configured: walk.configured, failing } : undefined;
    if (last !== undefined && this.walked !== undefined && last.configured === walk.configured && sameKeys(last.failing, failing)) {
      for (const kind of KEPT) this.commitChanges(kind, listChanges(last.lists[kind], snapshot[kind]), walk);
      return;
    }
    const commit = (this.commits += 1);
    for (const kind of KEPT) {
      for (const obj of snapshot[kind]) {
        const entry = this.commitObject(kind, obj, walk);
        if (entry !== undefined) entry.seen = commit;
      }
    }
    for (const [key, kept] of this.valid) if (kept.seen !== commit) this.valid.delete(key);
  }

  /** The objects that left or joined a list since the last commit; a key that left for good is forgotten. */
  private commitChanges(kind: Kept, changes: { removed: readonly KubeObject[]; added: readonly KubeObject[] }, walk: CommitWalk): void {
    const joined = new Set<string>();
    for (const obj of changes.added) {
      joined.add(this.keys.of(kind, obj));
      // Re-created (another uid) and not valid now: what was kept is not this object's.
      if (this.commitObject(kind, obj, walk) === undefined) this.valid.delete(this.keys.of(kind, obj));
    }
    for (const obj of changes.removed) {
      const key = this.keys.of(kind, obj);
      if (!joined.has(key)) this.valid.delete(key);
    }
  }

  /** Keeps a current object that is valid; returns the entry its key keeps now, if it still belongs to this object (same uid). */
  private commitObject(kind: Kept, obj: KubeObject, walk: CommitWalk): ValidEntry | undefined {
    const key = this.keys.of(kind, obj);
    const kept = this.valid.get(key);
    if (walk.configured.has(key) && !walk.failing.has(key) && !walk.substituted.has(key)) {
      if (kept?.obj === obj) return kept;
      const entry = { kind, obj, seen: 0 };
      this.valid.set(key, entry);
      return entry;
    }
    return kept !== undefined && kept.obj.metadata?.uid === obj.metadata?.uid ? kept : undefined;
  }

  /** Forget everything (the MeshDoor turned it off). */
  clear(): void {
    this.valid.clear();
    this.walked = undefined;
    this.serving = [];
  }

  /** Objects the last accepted config serves in their last valid version, reduced to what translation reads (bounded). */
  servingEntries(): LastValidEntry[] {
    return this.serving
      .map((e) => ({ kind: e.kind, object: essentials(e.kind, e.object) }))
      .filter((e) => JSON.stringify(e.object).length <= MAX_KEPT_BYTES)
      .slice(0, MAX_KEPT);
  }

  /**
   * Takes last valid versions kept elsewhere (the MeshDoor status): after a
   * restart only where nothing is known (`override` false), and on a replica that
   * follows the leader always, so every replica pushes the same config.
   */
  seed(entries: readonly LastValidEntry[], override: boolean): void {
    for (const e of entries) {
      const key = this.keys.of(e.kind, e.object);
      if (override || !this.valid.has(key)) this.valid.set(key, { kind: e.kind, obj: e.object, seen: this.commits });
    }
    // Seeded entries are checked against the objects by the next commit's whole walk.
    this.walked = undefined;
  }

  get size(): number {
    return this.valid.size;
  }

  private offer(snapshot: Snapshot, key: string, subs: Map<string, KubeObject>): void {
    const kept = this.valid.get(key);
    if (!kept || subs.has(key)) return;
    const current = (snapshot[kept.kind] as readonly KubeObject[]).find((o: KubeObject) => this.keys.of(kept.kind, o) === key);
    if (!current || current.metadata?.uid !== kept.obj.metadata?.uid || sameVersion(current, kept.obj)) return;
    subs.set(key, kept.obj);
  }

  private run(snapshot: Snapshot, exclude: ReadonlySet<string>, subs: Map<string, KubeObject>, base: (s: Snapshot, ex: ReadonlySet<string>) => TranslateResult): Translation {
    if (subs.size === 0) return { result: base(snapshot, exclude), substituted: subs };
    const swap = <T extends KubeObject>(kind: Kept, list: readonly T[]): readonly T[] =>
      list.map((o) => (subs.get(this.keys.of(kind, o)) as T | undefined) ?? o);
    const swapped: Snapshot = { ...snapshot, Ingress: swap<V1Ingress>('Ingress', snapshot.Ingress), Service: swap<V1Service>('Service', snapshot.Service) };
    const kept = new Set([...exclude].filter((k) => !subs.has(excludedObject(k))));
    return { result: base(swapped, kept), substituted: new Map(subs) };
  }

  private report(t: Translation, snapshot: Snapshot, why: readonly TranslationFailure[]): TranslateResult {
    if (t.substituted.size === 0) return t.result;
    const serving: TranslationFailure[] = [];
    for (const [key, obj] of t.substituted) {
      const kind = this.valid.get(key)?.kind ?? 'Ingress';
      const current = (snapshot[kind] as readonly KubeObject[]).find((o: KubeObject) => this.keys.of(kind, o) === key);
      const ref: ObjectRef = { kind, name: obj.metadata?.name ?? '', ...(obj.metadata?.namespace ? { namespace: obj.metadata.namespace } : {}), ...(current?.metadata?.uid ? { uid: current.metadata.uid } : {}) };
      const version = current?.metadata?.resourceVersion ? ` resourceVersion ${current.metadata.resourceVersion}` : ' the current version';
      serving.push({ object: ref, reason: SERVING_LAST_VALID, message: `${version.trim()} is not served; ${describeServed(kind, obj)}` });
    }
    const result = { ...t.result, failures: [...t.result.failures, ...why, ...serving] };
    this.used.set(result, t.substituted);
    return result;
  }
}

/**
 * Pure: one entry per object served from its last valid version, carrying
 * both why the current version fails and what is still served.
 */
export function foldServingLastValid(failures: readonly TranslationFailure[]): TranslationFailure[] {
  const serving = new Map(failures.filter((f) => f.reason === SERVING_LAST_VALID).map((f) => [objectKey(f.object), f]));
  if (serving.size === 0) return [...failures];
  const why = new Map<string, string[]>();
  const rest: TranslationFailure[] = [];
  for (const f of failures) {
    const key = objectKey(f.object);
    if (f.reason === SERVING_LAST_VALID) continue;
    if (serving.has(key)) why.set(key, [...(why.get(key) ?? []), `${f.reason}: ${f.message}`]);
    else rest.push(f);
  }
  const folded = [...serving.entries()].map(([key, f]) => ({ ...f, message: `${(why.get(key) ?? ['its current version failed']).join('; ')}; ${f.message}` }));
  return [...rest, ...folded];
}
