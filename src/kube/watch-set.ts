// The set of running watches, reconciled against a desired list of specs (the
// plan changes when the MeshDoor is edited or Ingresses reference other Secrets).
// Every content change bumps one version number, so an unchanged store is cheap to detect.
import type { KubernetesObject } from '@kubernetes/client-node';
import { SupervisedWatch, type SupervisedWatchOptions } from './supervised-watch.ts';
import { watchRequestId, watchSpecId, type WatchRole, type WatchSpec } from './watch-source.ts';

/** The options every watch in the set shares: a supervised watch's, less its spec; changes name their role. */
export type WatchSetOptions = Omit<SupervisedWatchOptions, 'spec' | 'onChange'> & {
  /** Called whenever a role's cached content changed, or its watches were removed. */
  onChange: (role: WatchRole) => void;
};

export class WatchSet {
  private readonly watches = new Map<string, SupervisedWatch>();
  /** The last merge of several stores' lists per role, and the lists it came from. */
  private readonly merged = new Map<WatchRole, { lists: readonly (readonly KubernetesObject[])[]; result: readonly KubernetesObject[] }>();
  private versionCounter = 0;
  private stopped = false;

  constructor(private readonly options: WatchSetOptions) {}

  /** Monotonic: moves on every cached-content change and every watch added or removed. */
  get version(): number {
    return this.versionCounter;
  }

  /** Starts missing watches and stops those no longer wanted; returns whether the plan changed. */
  async reconcile(specs: readonly WatchSpec[]): Promise<boolean> {
    if (this.stopped) return false;
    const wanted = new Map(specs.map((s) => [watchSpecId(s), s]));
    const stale = [...this.watches.values()].filter((w) => !wanted.has(w.id));
    for (const watch of stale) this.watches.delete(watch.id);
    // A watch whose `keep` list changed is replaced by one with the same request: it starts from its predecessor's cache.
    const predecessors = new Map(stale.map((w) => [watchRequestId(w.spec), w]));
    let added = 0;
    for (const [id, spec] of wanted) {
      if (this.watches.has(id)) continue;
      const seed = predecessors.get(watchRequestId(spec))?.store.list();
      const watch = new SupervisedWatch({
        spec,
        ...(seed ? { seed } : {}),
        factory: this.options.factory,
        clock: this.options.clock,
        log: this.options.log,
        ...(this.options.timings ? { timings: this.options.timings } : {}),
        onChange: () => { this.bump([spec.role]); },
        ...(this.options.onRestart ? { onRestart: this.options.onRestart } : {}),
      });
      this.watches.set(id, watch);
      watch.start();
      added += 1;
    }
    await Promise.all(stale.map((w) => w.stop()));
    const changed = stale.length > 0 || added > 0;
    if (stale.length > 0) this.bump([...new Set(stale.map((w) => w.spec.role))]);
    else if (changed) this.versionCounter += 1;
    return changed;
  }

  /**
   * The objects of one role, merged over its watches, sorted by namespace/name. While no store of that
   * role changed, this is the same array as last time: the translator reuses
   * what it derived from an unchanged list.
   */
  list<T extends KubernetesObject>(role: WatchRole): readonly T[] {
    const lists = [...this.watches.values()].filter((w) => w.spec.role === role).map((w) => w.store.list());
    if (lists.length === 1) return lists[0] as readonly T[];
    const known = this.merged.get(role);
    if (known && known.lists.length === lists.length && known.lists.every((list, i) => list === lists[i])) return known.result as readonly T[];
    const byName = new Map<string, KubernetesObject>();
    for (const list of lists) {
      for (const obj of list) byName.set(`${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`, obj);
    }
    const result = Object.freeze([...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, o]) => o));
    this.merged.set(role, { lists, result });
    return result as readonly T[];
  }

  /** Whether every hard watch has synced and every soft one has synced or waited `softWaitMs`. */
  synced(softWaitMs: number): boolean {
    const now = this.options.clock.now();
    for (const watch of this.watches.values()) {
      if (watch.hasSynced()) continue;
      if (watch.spec.gate === 'hard' || now - watch.createdAt < softWaitMs) return false;
    }
    return true;
  }

  /** Whether every watch of a role has synced (false when there is none). */
  roleSynced(role: WatchRole): boolean {
    const watches = [...this.watches.values()].filter((w) => w.spec.role === role);
    return watches.length > 0 && watches.every((w) => w.hasSynced());
  }

  /** Watches of optional resources the API server does not serve (CRDs not installed), read as empty. */
  absent(): WatchSpec[] {
    return [...this.watches.values()].filter((w) => w.isAbsent()).map((w) => w.spec);
  }

  /** Ids of watches that have not synced yet (for logs and readiness messages). */
  pending(): string[] {
    return [...this.watches.values()].filter((w) => !w.hasSynced()).map((w) => w.id).sort();
  }

  /** Object counts per role (metrics). */
  counts(): Map<WatchRole, number> {
    const counts = new Map<WatchRole, number>();
    for (const watch of this.watches.values()) {
      counts.set(watch.spec.role, (counts.get(watch.spec.role) ?? 0) + watch.store.size);
    }
    return counts;
  }

  specs(): WatchSpec[] {
    return [...this.watches.values()].map((w) => w.spec);
  }

  /** Stops every watch; the caches stay readable so an in-flight sync still sees the last state. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.watches.values()].map((w) => w.stop()));
  }

  private bump(roles: readonly WatchRole[]): void {
    this.versionCounter += 1;
    for (const role of roles) this.options.onChange(role);
  }
}
