// Keeps one watch alive: client-node informers stop on most errors, and watches
// can stall silently, so every failure restarts a fresh source (relist + rewatch)
// with backoff, and a periodic relist replaces the cache from scratch.
import type { KubernetesObject } from '@kubernetes/client-node';
import { trimForCache } from './cache-trim.ts';
import { httpStatus } from './clients.ts';
import { backoffDelay, type Clock } from './clock.ts';
import { ObjectStore } from './object-store.ts';
import { keptBySpec, keptItems, watchSpecId, type WatchSource, type WatchSourceFactory, type WatchSpec } from './watch-source.ts';
import { errorField, type Logger } from '../observe/index.ts';

export interface SupervisorTimings {
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Full relist period, a guard against silent watch stalls. */
  relistMs: number;
}

export const DEFAULT_SUPERVISOR_TIMINGS: Readonly<SupervisorTimings> = Object.freeze({
  backoffBaseMs: 1000,
  backoffMaxMs: 60_000,
  relistMs: 10 * 60_000,
});

export interface SupervisedWatchOptions {
  spec: WatchSpec;
  factory: WatchSourceFactory;
  clock: Clock;
  log: Logger;
  timings?: SupervisorTimings;
  /** Called whenever the cached content changed (level-based: the caller only marks dirty). */
  onChange: () => void;
  onRestart?: (spec: WatchSpec) => void;
  /**
   * Objects a predecessor watch cached (same request, other `keep`): readable
   * at once, so replacing the watch leaves no gap until its first list.
   */
  seed?: readonly KubernetesObject[];
}

/** An optional resource not served is asked for again at least this often. */
export const ABSENT_RECHECK_MAX_MS = 15_000;

export class SupervisedWatch {
  readonly id: string;
  readonly spec: WatchSpec;
  readonly store = new ObjectStore<KubernetesObject>();
  readonly createdAt: number;
  private synced = false;
  /** An optional resource the API server does not serve (its list answered 404). */
  private absent = false;
  private stopped = false;
  private epoch = 0;
  private attempt = 0;
  private source: WatchSource | undefined;
  private timer: unknown;
  private readonly timings: SupervisorTimings;

  constructor(private readonly options: SupervisedWatchOptions) {
    this.spec = options.spec;
    this.id = watchSpecId(options.spec);
    this.timings = options.timings ?? DEFAULT_SUPERVISOR_TIMINGS;
    this.createdAt = options.clock.now();
    if (options.seed) this.store.replaceAll(keptItems(this.spec, options.seed));
  }

  /** True once the first list has completed (stays true across restarts: the cache is still good). */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Whether the resource is not served (an optional resource whose CRD is not installed): read as empty. */
  isAbsent(): boolean {
    return this.absent;
  }

  start(): void {
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.epoch += 1;
    this.clearTimer();
    const source = this.source;
    this.source = undefined;
    if (source) await source.stop().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const epoch = ++this.epoch;
    const source = this.options.factory(this.spec);
    this.source = source;
    const live = (): boolean => epoch === this.epoch && !this.stopped;
    try {
      const items = await source.start({
        onUpsert: (obj) => { if (live() && keptBySpec(this.spec, obj) && this.store.upsert(trimForCache(obj))) this.options.onChange(); },
        onDelete: (obj) => { if (live() && this.store.remove(obj)) this.options.onChange(); },
        onRelist: (relisted) => { if (live() && this.store.replaceAll(keptItems(this.spec, relisted).map(trimForCache))) this.options.onChange(); },
        onError: (err) => { if (live()) this.fail(err); },
      });
      if (!live()) return;
      const changed = this.store.replaceAll(keptItems(this.spec, items).map(trimForCache));
      const first = !this.synced;
      const appeared = this.absent;
      if (appeared) this.options.log.info('resource served now: watching it', { watch: this.id });
      this.synced = true;
      this.absent = false;
      this.attempt = 0;
      this.schedule(this.timings.relistMs, () => { this.relist(); });
      if (changed || first || appeared) this.options.onChange();
    } catch (err) {
      if (live()) this.fail(err);
    }
  }

  private fail(err: unknown): void {
    if (this.spec.optionalResource && httpStatus(err) === 404) {
      this.markAbsent();
      return;
    }
    const delay = backoffDelay(this.attempt, this.timings.backoffBaseMs, this.timings.backoffMaxMs);
    this.attempt += 1;
    this.options.log.warn('watch failed, restarting', { watch: this.id, error: errorField(err), retryInMs: delay });
    this.options.onRestart?.(this.spec);
    this.retire();
    this.schedule(delay, () => { void this.connect(); });
  }

  /**
   * The resource is not served: none of its objects can exist, so the cache is
   * empty and synced (nothing waits for it). Said once; asked again with backoff
   * until the resource is installed.
   */
  private markAbsent(): void {
    // A 404 list is cheap: look often enough that installing the CRD takes effect soon.
    const delay = backoffDelay(this.attempt, this.timings.backoffBaseMs, Math.min(this.timings.backoffMaxMs, ABSENT_RECHECK_MAX_MS));
    this.attempt += 1;
    const first = !this.absent;
    if (first) this.options.log.warn('resource not served by the API server (its CRD is not installed): read as none; checking again in the background', { watch: this.id });
    const changed = this.store.replaceAll([]);
    const wasSynced = this.synced;
    this.absent = true;
    this.synced = true;
    this.retire();
    this.schedule(delay, () => { void this.connect(); });
    if (changed || first || !wasSynced) this.options.onChange();
  }

  private relist(): void {
    this.options.log.debug('periodic relist', { watch: this.id });
    this.retire();
    void this.connect();
  }

  /** Drops the current source; events it still delivers are ignored. */
  private retire(): void {
    this.epoch += 1;
    const source = this.source;
    this.source = undefined;
    if (source) void source.stop().catch(() => undefined);
  }

  private schedule(ms: number, fn: () => void): void {
    this.clearTimer();
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      if (!this.stopped) fn();
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
