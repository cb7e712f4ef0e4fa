// PURE: what a pass asks of its loop, as controller-runtime's reconcile.Result
// does. A pass never schedules itself: it says "done" (run again only on a
// change), "requeue" (a periodic check, or waiting on something no watch
// reports) or "retry" (a step failed), and the loop alone turns that into a
// timer. Marks arriving meanwhile still start a run sooner.

export type PassResult =
  | { kind: 'done' }
  | { kind: 'requeue'; afterMs: number; reason: string }
  | { kind: 'retry'; afterMs: number; reason: string };

export const DONE: PassResult = Object.freeze({ kind: 'done' });

export function requeueAfter(afterMs: number, reason: string): PassResult {
  return { kind: 'requeue', afterMs: Math.max(0, afterMs), reason };
}

export function retryAfter(afterMs: number, reason: string): PassResult {
  return { kind: 'retry', afterMs: Math.max(0, afterMs), reason };
}

/** The delay a result asks for; undefined when done. */
export function delayOf(result: PassResult): number | undefined {
  return result.kind === 'done' ? undefined : result.afterMs;
}

/** Several steps' results as one: the soonest request wins; on a tie a retry (it says something failed). */
export function soonest(...results: readonly PassResult[]): PassResult {
  let best: PassResult = DONE;
  for (const result of results) {
    const delay = delayOf(result);
    if (delay === undefined) continue;
    const bestDelay = delayOf(best);
    if (bestDelay === undefined || delay < bestDelay || (delay === bestDelay && result.kind === 'retry')) best = result;
  }
  return best;
}
