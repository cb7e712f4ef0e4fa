// Retry policy for Admin API calls: exponential backoff with jitter on network
// errors, 429 (honouring Retry-After) and 5xx; never on other 4xx.
import { KongAdminError, KongNetworkError } from './admin-errors.ts';

export interface RetryPolicy {
  /** Retries after the first attempt (0 = no retry). */
  retries: number;
  baseDelayMs: number;
  /** Longest single wait; a Retry-After asking for more is not waited for. */
  maxDelayMs: number;
  /** Longest wait summed over all retries of one request (default: unbounded). */
  maxTotalDelayMs?: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  retries: 4,
  baseDelayMs: 250,
  maxDelayMs: 30_000,
  maxTotalDelayMs: 60_000,
});

/**
 * Delay before retry number `attempt` (0-based): the exponential step
 * `base * 2^attempt` capped at max, with "equal jitter" (half fixed, half random)
 * so concurrent clients spread out but never retry immediately.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(step / 2 + random() * (step / 2));
}

/** Seconds until retry from a Retry-After value (delta-seconds or HTTP-date). */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - nowMs) / 1000));
}

/** Whether an error is worth another attempt. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof KongNetworkError) return true;
  if (error instanceof KongAdminError) return error.status === 429 || error.status >= 500;
  return false;
}

/** The delay before retry `attempt`, or undefined when the error is final. */
export function retryDelay(error: unknown, attempt: number, policy: RetryPolicy, random: () => number): number | undefined {
  const decision = retryDecision(error, { attempt, waitedMs: 0 }, policy, random);
  return 'delayMs' in decision ? decision.delayMs : undefined;
}

/** Retry after `delayMs`, or stop; `why` says why a retryable error was not retried. */
export type RetryDecision = { delayMs: number } | { why?: string };

/**
 * Whether and when to try again after retry number `attempt` (0-based) failed,
 * `waitedMs` having been slept already. Bounded three ways: the number of
 * retries, the longest single wait (a Retry-After beyond it is not honoured
 * by waiting less: the request is given up, Kong said it will not be ready
 * sooner) and the total wait.
 */
export function retryDecision(error: unknown, progress: { attempt: number; waitedMs: number }, policy: RetryPolicy, random: () => number): RetryDecision {
  if (!isRetryable(error)) return {};
  if (progress.attempt >= policy.retries) return { why: `gave up after ${progress.attempt + 1} attempts` };
  let delayMs = backoffDelay(progress.attempt, policy, random);
  if (error instanceof KongAdminError && error.retryAfterSec !== undefined) {
    delayMs = error.retryAfterSec * 1000;
    if (delayMs > policy.maxDelayMs) {
      return { why: `not retried: the gateway asked to wait ${error.retryAfterSec} s (Retry-After), longer than the ${Math.round(policy.maxDelayMs / 1000)} s a retry waits` };
    }
  }
  const budget = policy.maxTotalDelayMs ?? Infinity;
  if (progress.waitedMs + delayMs > budget) {
    return { why: `gave up after ${progress.attempt + 1} attempts: another would wait beyond ${Math.round(budget / 1000)} s in all` };
  }
  return { delayMs };
}
