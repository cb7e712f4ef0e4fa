// Feature: after a sync that grew the heap, the controller gives the memory back
// once it has been quiet for a moment (one memory-reducing GC), not during a
// burst of passes and not after passes that allocated little.
import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import { exposedReclaim, MemoryReclaim } from '../../src/controller/memory-reclaim.ts';
import { silentLogger } from '../../src/observe/logger.ts';
import { controllerClock } from './harness.ts';

const MIB = 2 ** 20;

describe('MemoryReclaim', () => {
  function setup(reclaimAvailable = true) {
    const fake = FakeTimers.createClock(0);
    const heap = { committed: 50 * MIB };
    const reclaims: number[] = [];
    const memory = new MemoryReclaim({
      clock: controllerClock(fake), log: silentLogger(), quietMs: 1000, minGrowthBytes: 64 * MIB,
      heapCommitted: () => heap.committed,
      reclaim: reclaimAvailable ? () => { reclaims.push(fake.now); heap.committed = 60 * MIB; } : undefined,
    });
    return { fake, heap, reclaims, memory };
  }

  it('reclaims once, the quiet time after the last of several passes that grew the heap', () => {
    const { fake, heap, reclaims, memory } = setup();
    heap.committed = 300 * MIB;
    memory.passEnded();
    fake.tick(500);
    memory.passEnded();
    fake.tick(999);
    expect(reclaims).to.deep.equal([]);
    fake.tick(1);
    expect(reclaims).to.deep.equal([1500]);
    fake.tick(10_000);
    expect(reclaims).to.have.length(1);
  });

  it('never reclaims while a pass runs, however long, only the quiet time after it ends', () => {
    const { fake, heap, reclaims, memory } = setup();
    heap.committed = 300 * MIB;
    memory.passEnded(); // a short pass (watches not synced yet)
    fake.tick(200);
    memory.passStarted(); // the first real pass: its push takes seconds
    fake.tick(6000);
    expect(reclaims, 'not in the middle of the pass').to.deep.equal([]);
    memory.passEnded();
    fake.tick(1000);
    expect(reclaims).to.deep.equal([7200]);
  });

  it('does not reclaim after passes that grew the heap by less than the threshold since the last reclaim', () => {
    const { fake, heap, reclaims, memory } = setup();
    heap.committed = 300 * MIB;
    memory.passEnded();
    fake.tick(1000);
    heap.committed = 100 * MIB; // 40 MiB above what the reclaim left
    memory.passEnded();
    fake.tick(5000);
    expect(reclaims).to.deep.equal([1000]);
    heap.committed = 130 * MIB;
    memory.passEnded();
    fake.tick(1000);
    expect(reclaims).to.deep.equal([1000, 7000]);
  });

  it('does nothing without a GC to call, and nothing after stop', () => {
    const without = setup(false);
    without.heap.committed = 300 * MIB;
    without.memory.passEnded();
    expect(without.fake.countTimers()).to.equal(0);
    const stopped = setup();
    stopped.heap.committed = 300 * MIB;
    stopped.memory.passEnded();
    stopped.memory.stop();
    stopped.memory.passEnded();
    stopped.fake.tick(10_000);
    expect(stopped.reclaims).to.deep.equal([]);
  });

  it('finds V8\'s gc only when the process exposes it', () => {
    const global = globalThis as { gc?: unknown };
    const saved = global.gc;
    try {
      delete global.gc;
      expect(exposedReclaim()).to.equal(undefined);
      const calls: unknown[] = [];
      global.gc = (options: unknown) => { calls.push(options); };
      exposedReclaim()?.();
      expect(calls).to.deep.equal([{ type: 'major', execution: 'sync', flavor: 'last-resort' }]);
    } finally {
      if (saved === undefined) delete global.gc;
      else global.gc = saved;
    }
  });
});
