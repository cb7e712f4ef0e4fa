// What the Kong engines report outside their return values: log lines and
// metric events. Both are injected so the engines stay free of globals.

/** The subset of a winston logger the Kong code uses. */
export interface KongLogger {
  debug(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

/** One POST /config attempt: the HTTP status as text, `transport_error` or `error`. */
export interface ConfigPost {
  outcome: string;
  durationMs: number;
  sentBytes: number;
  receivedBytes: number;
}

/** Metric hooks; every method is optional. */
export interface KongSyncObserver {
  /** Every POST /config attempt to `gateway`, whatever its outcome (retries included). */
  configPosted?(gateway: string, post: ConfigPost): void;
  /** A declarative config of `bytes` was sent to `gateway`. */
  configPushed?(gateway: string, bytes: number, durationMs: number): void;
  /** The gateway refused the config body as too large (413); `limit` when its `GET /` shows it. */
  bodyTooLarge?(gateway: string, bytes: number, limit: number | undefined): void;
  /** The config body is close to (or over) Kong's admin body limit. */
  bodyNearLimit?(gateway: string, bytes: number, limit: number): void;
  /** DB mode: entity writes made on `gateway` by one sync. */
  entityWrites?(gateway: string, counts: { created: number; updated: number; deleted: number }): void;
  /** A sync of `gateway` ended with `status`. */
  gatewaySynced?(gateway: string, status: 'pushed' | 'skipped' | 'failed'): void;
}

const noop = (): void => undefined;

export const silentLogger: KongLogger = { debug: noop, info: noop, warn: noop, error: noop };
