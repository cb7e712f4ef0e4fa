// Pieces both sync engines share: a per-sync memo of translations, the
// backoff for gateways that failed, and merging per-gateway results.
import type { GatewayOutcome, SyncReport, SyncRequest } from './sync-types.ts';
import { objectKey, type TranslateResult, type TranslationFailure } from '../model/index.ts';
import { backoffDelay } from './retry.ts';
import type { RetryPolicy } from './retry.ts';

/** Translation is pure, so within one sync each exclusion set is translated once. */
export function memoizedTranslate(request: SyncRequest): (exclude: ReadonlySet<string>) => TranslateResult {
  const memo = new Map<string, TranslateResult>();
  return (exclude) => {
    const key = [...exclude].sort().join('\n');
    let result = memo.get(key);
    if (result === undefined) {
      result = request.translate(new Set(exclude));
      memo.set(key, result);
    }
    return result;
  };
}

/** Per-gateway result before merging. */
export interface GatewaySyncResult {
  outcome: GatewayOutcome;
  result: TranslateResult;
  exclude: ReadonlySet<string>;
  rejected: TranslationFailure[];
}

/** The backoff the controller should wait before syncing a failing gateway again. */
export const GATEWAY_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({ retries: Infinity, baseDelayMs: 1000, maxDelayMs: 300_000 });

/** Counts consecutive failures per gateway and turns them into a retry delay. */
export class GatewayBackoff {
  readonly #failures = new Map<string, number>();
  readonly #random: () => number;

  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  record(outcome: GatewayOutcome): void {
    if (outcome.status === 'failed') this.#failures.set(outcome.url, (this.#failures.get(outcome.url) ?? 0) + 1);
    else this.#failures.delete(outcome.url);
  }

  /** Delay before the next attempt for the failed gateways, or undefined when none failed. */
  retryAfterMs(outcomes: readonly GatewayOutcome[]): number | undefined {
    const delays = outcomes
      .filter((o) => o.status === 'failed')
      .map((o) => backoffDelay(Math.min(30, (this.#failures.get(o.url) ?? 1) - 1), GATEWAY_RETRY_POLICY, this.#random));
    return delays.length === 0 ? undefined : Math.min(...delays);
  }
}

function dedupeFailures(failures: readonly TranslationFailure[]): TranslationFailure[] {
  const byKey = new Map<string, TranslationFailure>();
  for (const f of failures) if (!byKey.has(objectKey(f.object))) byKey.set(objectKey(f.object), f);
  return [...byKey.values()];
}

/**
 * One report for all gateways. `applied` is what the gateways got; when they
 * needed different exclusions it is the translation without any of them.
 */
export function mergeGatewayResults(
  results: readonly GatewaySyncResult[],
  translate: (exclude: ReadonlySet<string>) => TranslateResult,
): SyncReport {
  const union = new Set(results.flatMap((r) => [...r.exclude]));
  const same = results.find((r) => r.exclude.size === union.size);
  return {
    gateways: results.map((r) => r.outcome),
    applied: same?.result ?? translate(union),
    rejected: dedupeFailures(results.flatMap((r) => r.rejected)),
  };
}

/** Merges the gateway results, updates the failure counts and sets the retry delay. */
export function finalReport(
  results: readonly GatewaySyncResult[],
  translate: (exclude: ReadonlySet<string>) => TranslateResult,
  backoff: GatewayBackoff,
): SyncReport {
  const report = mergeGatewayResults(results, translate);
  for (const outcome of report.gateways) backoff.record(outcome);
  const retryAfterMs = backoff.retryAfterMs(report.gateways);
  if (retryAfterMs !== undefined) report.retryAfterMs = retryAfterMs;
  return report;
}
