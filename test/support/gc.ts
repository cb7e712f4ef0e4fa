// A full, synchronous garbage collection for tests that check what stays
// reachable, without needing `node --expose-gc` on the command line.
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
