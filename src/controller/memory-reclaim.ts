// Gives memory back after a sync that allocated a lot. A whole pass (every
// start, leader change, MeshDoor edit) allocates about its live heap again in
// garbage; V8 grows its young generation to the maximum and pools the freed
// pages, and only its memory reducer, minutes later, returns them: RSS stays
// ~200 MiB above the live heap at 10k Ingresses until then. Once the controller
// has been quiet for a moment after such a pass, one memory-reducing GC returns
// them at once (bench/README.md, "Controller memory after a sync").
import v8 from 'node:v8';
import type { Clock } from '../kube/index.ts';
import type { Logger } from '../observe/index.ts';

/** A full, memory-reducing collection (V8's `gc`, exposed by `--expose-gc`). */
export type ReclaimFn = () => void;

/** What V8 has committed for the heap, young generation included. */
export type HeapCommittedFn = () => number;

export interface MemoryReclaimOptions {
  clock: Clock;
  log: Logger;
  /** Absent when the process runs without `--expose-gc`: nothing is reclaimed then. */
  reclaim: ReclaimFn | undefined;
  heapCommitted?: HeapCommittedFn;
  /** Quiet time after the last pass before reclaiming. */
  quietMs?: number;
  /** Growth of the committed heap since the last reclaim that is worth one. */
  minGrowthBytes?: number;
}

const DEFAULT_QUIET_MS = 1000;
const DEFAULT_MIN_GROWTH_BYTES = 64 * 2 ** 20;

type GcOptions = { type: 'major'; execution: 'sync'; flavor: 'last-resort' };

/** The process's memory-reducing GC when `--expose-gc` made it available. */
export function exposedReclaim(): ReclaimFn | undefined {
  const gc = (globalThis as { gc?: (options?: GcOptions) => void }).gc;
  if (typeof gc !== 'function') return undefined;
  // `last-resort`: V8's collection of all available garbage, which also shrinks
  // the young generation and unmaps pooled pages (a `regular` one keeps them).
  return () => { gc({ type: 'major', execution: 'sync', flavor: 'last-resort' }); };
}

export class MemoryReclaim {
  private timer: unknown;
  private committedAfterLast: number;
  private readonly heapCommitted: HeapCommittedFn;
  private stopped = false;

  constructor(private readonly o: MemoryReclaimOptions) {
    this.heapCommitted = o.heapCommitted ?? (() => v8.getHeapStatistics().total_heap_size);
    this.committedAfterLast = this.heapCommitted();
  }

  /**
   * A pass starts: no reclaim while it runs. The collection stops everything
   * for a few hundred milliseconds, and a long pass (a first push of 10k
   * Ingresses) would otherwise be cut by the timer a short pass before it set.
   */
  passStarted(): void {
    if (this.timer !== undefined) this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** A pass ended: reclaim once no other pass ran for the quiet time, if the heap grew enough. */
  passEnded(): void {
    if (!this.o.reclaim || this.stopped) return;
    if (this.timer !== undefined) this.o.clock.clearTimeout(this.timer);
    this.timer = this.o.clock.setTimeout(() => { this.timer = undefined; this.reclaimIfGrown(); }, this.o.quietMs ?? DEFAULT_QUIET_MS);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private reclaimIfGrown(): void {
    const before = this.heapCommitted();
    if (!this.o.reclaim || before - this.committedAfterLast < (this.o.minGrowthBytes ?? DEFAULT_MIN_GROWTH_BYTES)) return;
    const started = this.o.clock.now();
    this.o.reclaim();
    this.committedAfterLast = this.heapCommitted();
    this.o.log.debug('memory reclaimed after a sync', {
      heapCommittedBeforeMiB: mib(before), heapCommittedAfterMiB: mib(this.committedAfterLast), durationMs: this.o.clock.now() - started,
    });
  }
}

function mib(bytes: number): number {
  return Math.round(bytes / 2 ** 20);
}
