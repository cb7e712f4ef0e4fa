// A full, synchronous garbage collection for tests that check what stays
// reachable, without needing `node --expose-gc` on the command line.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

export function forceFullGc(): void {
  if (gc === undefined) {
    setFlagsFromString('--expose-gc');
    // A fresh context is created with the flag on, so it has `gc`.
    gc = runInNewContext('gc') as () => void;
  }
  gc();
  gc();
}

/** Full GCs (with a turn of the event loop before each) before giving up on a WeakRef's target. */
const COLLECT_ROUNDS = 10;

/**
 * Whether `ref`'s target is gone once nothing keeps it: a turn of the event
 * loop ends the job that made or read the WeakRef (which keeps its target
 * alive until then), then a full GC. A target may survive one such round (it
 * was found collected a round later after other tests had run), so several
 * rounds are tried; a target something still holds survives them all.
 */
export async function collectedEventually(ref: WeakRef<object>): Promise<boolean> {
  for (let round = 0; round < COLLECT_ROUNDS; round += 1) {
    await nextTurn();
    forceFullGc();
    if (ref.deref() === undefined) return true;
  }
  return false;
}
