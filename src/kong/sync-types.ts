// The contract between the controller and the Kong sync engines.
import type { RouterFlavor, TranslateResult, TranslationFailure } from '../model/index.ts';

/** One Kong Admin API endpoint (a gateway pod, or a static URL). */
export interface GatewayTarget {
  /** Admin API base URL, e.g. `https://10.0.0.7:8444`. */
  url: string;
  /** TLS server name to verify, when it differs from the URL's host. */
  serverName?: string;
  /** Client TLS material read at run time (rotated certificates); `id` tells versions apart. */
  tls?: AdminClientTls;
}

/** PEM CA bundle, client certificate and key for one gateway. */
export interface AdminClientTls {
  id: string;
  ca?: string;
  cert?: string;
  key?: string;
}

export type KongMode = 'dbless' | 'db';

export interface SyncRequest {
  /**
   * Translates the current snapshot, leaving out the given objects (`objectKey`
   * strings). Engines call it again with more exclusions after Kong rejected
   * entities derived from some objects, so one broken object never blocks the rest.
   */
  translate(exclude: ReadonlySet<string>): TranslateResult;
  gateways: readonly GatewayTarget[];
}

export interface GatewayOutcome {
  url: string;
  /** `unknown` when the gateway's `GET /` could not be read. */
  mode: KongMode | 'unknown';
  /** pushed: new config accepted; skipped: already current; failed: not converged. */
  status: 'pushed' | 'skipped' | 'failed';
  /** DB mode: entity writes by kind of change. DB-less: zero. */
  created: number;
  updated: number;
  deleted: number;
  /** Canonical hash of the config now on that gateway (when known). */
  configHash?: string;
  error?: string;
  /**
   * false when trying again at once cannot help (Kong refused the config or
   * the request: a 4xx, a redirect, a body too large); the next change may.
   */
  retryable?: boolean;
  /** Write requests sent (POST /config, PUT, POST, DELETE) during this sync. */
  writes?: number;
  /** Kong version and router flavor read from `GET /`, when the engine asked. */
  version?: string;
  routerFlavor?: RouterFlavor;
}

export interface SyncReport {
  gateways: GatewayOutcome[];
  /** The translation that was finally applied (after exclusions). */
  applied: TranslateResult;
  /** Objects Kong rejected, mapped back through their k8s-* tags. */
  rejected: TranslationFailure[];
  /**
   * Set when some gateway could not be converged: sync again after this many
   * milliseconds (exponential backoff with jitter per failing gateway).
   */
  retryAfterMs?: number;
}

export interface KongSyncEngine {
  sync(request: SyncRequest): Promise<SyncReport>;
}
