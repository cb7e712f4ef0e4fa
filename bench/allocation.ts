// Heap bytes allocated by a piece of synchronous work: what the heap grew by,
// plus what every garbage collection during it reclaimed (v8.GCProfiler).
import v8 from 'node:v8';
import vm from 'node:vm';

export interface Measured<T> {
  value: T;
  ms: number;
  allocatedBytes: number;
}

export function measureAllocation<T>(work: () => T): Measured<T> {
  const profiler = new v8.GCProfiler();
  const before = v8.getHeapStatistics().used_heap_size;
  profiler.start();
  const started = performance.now();
  const value = work();
  const ms = performance.now() - started;
  const after = v8.getHeapStatistics().used_heap_size;
  const gcs = profiler.stop()?.statistics ?? [];
  const reclaimed = gcs.reduce((sum, gc) => sum + Math.max(0, gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize), 0);
  return { value, ms, allocatedBytes: after - before + reclaimed };
}

let gcFunction: (() => void) | undefined;

/** A full garbage collection, even without --expose-gc on the command line. */
export function collectGarbage(): void {
  if (!gcFunction) {
    v8.setFlagsFromString('--expose-gc');
    gcFunction = vm.runInNewContext('gc') as () => void;
  }
  gcFunction();
}

/**
 * How long a measurement waits after its forced collection: V8 finishes the
 * collection on helper threads (sweeping what it freed), and on a host of two cores they took
 * the measuring thread's core for 10–25 ms of a 10k pass that started at once.
 */
const SETTLE_MS = 200;

/** A full garbage collection, then the time its helper threads' sweeping needs: a pass timed next is charged only for its own work. */
export async function settleGarbage(): Promise<void> {
  collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}
