// Retry policy for Admin API calls: exponential backoff with jitter on network
// errors, 429 (honouring Retry-After) and 5xx; never on other 4xx.
import { KongAdminError, KongNetworkError } from './admin-errors.ts';

export interface RetryPolicy {
  /** Retries after the first attempt (0 = no retry). */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  retries: 4,
  baseDelayMs: 250,
  maxDelayMs: 30_000,
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
  if (attempt >= policy.retries || !isRetryable(error)) return undefined;
  if (error instanceof KongAdminError && error.retryAfterSec !== undefined) {
    return Math.min(policy.maxDelayMs, error.retryAfterSec * 1000);
  }
  return backoffDelay(attempt, policy, random);
}
