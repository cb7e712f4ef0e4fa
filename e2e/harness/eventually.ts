// Bounded polling: retry an assertion until it passes or the deadline is hit,
// then fail with the last error. The only way e2e tests wait for anything.
import { setTimeout as sleep } from 'node:timers/promises';

export interface EventuallyOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Prefix of the failure message. */
  message?: string;
}

export async function eventually<T>(check: () => T | Promise<T>, options: EventuallyOptions = {}): Promise<T> {
  const { timeoutMs = 30_000, intervalMs = 250, message = 'condition not met' } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) break;
    await sleep(intervalMs);
  }
  const detail = lastError instanceof Error ? lastError.message : String(lastError);
  throw new Error(`${message} within ${timeoutMs} ms: ${detail}`);
}

/**
 * The opposite: `check` must keep passing for the whole window (e.g. "no
 * second patch"). Fails at the first error.
 */
export async function consistently(check: () => void | Promise<void>, options: EventuallyOptions = {}): Promise<void> {
  const { timeoutMs = 3_000, intervalMs = 250 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await check();
    if (Date.now() >= deadline) return;
    await sleep(intervalMs);
  }
}
