// Everything the double knows: mode, entities, the loaded config's hash,
// injected faults and the log of requests it answered.
import type { RouterFlavor } from '../../src/model/index.ts';
import { EntityStore } from './store.ts';

export type DoubleMode = 'dbless' | 'db';

export const EMPTY_HASH = '00000000000000000000000000000000';

export interface RequestLogEntry {
  method: string;
  /** Path without the query string. */
  path: string;
  query: string;
  status: number;
  /** Request body size in bytes. */
  bytes: number;
  /** Request headers (lower-case names), for tests that check what was sent. */
  headers: Record<string, string>;
  /** `performance.now()` when the request's headers arrived, its body was read and it was answered (benchmarks). */
  timing?: { arrivedMs: number; bodyReadMs: number; answeredMs: number };
}

export interface Faults {
  /** `reset`: accept connections and drop them (the out-of-process "down"). */
  reset: boolean;
  slowMs: number;
  /** The next `count` requests (to `path` only, when set) answer `status`. */
  failNext: { count: number; status: number; path?: string };
  tooManyRequests: { count: number; retryAfterSec: number };
  /** The next `count` requests answer a redirect to `location`. */
  redirectNext: { count: number; status: number; location: string };
  rejectNames: Set<string>;
  /** Route paths POST /config refuses with a `paths.N` field error. */
  rejectPaths: Set<string>;
  /** Route paths that make POST /config refuse the whole route, as Kong's router refuses a regex it cannot compile. */
  rejectRoutePaths: Set<string>;
}

export interface DoubleStateOptions {
  mode: DoubleMode;
  routerFlavor: RouterFlavor;
  version: string;
  /** Request bodies above this get nginx's HTML 413 (nginx_admin_client_max_body_size). */
  configLimitBytes: number;
  /** When set, requests without this `Kong-Admin-Token` get 401 (Enterprise RBAC). */
  requireToken?: string;
  /** HTTPS with client certificates required (nginx_admin_ssl_verify_client on). */
  verifyClient?: boolean;
}

/** No fault injected: what a double starts with and what clearing faults returns to. */
function noFaults(): Faults {
  return {
    reset: false, slowMs: 0, failNext: { count: 0, status: 500 }, tooManyRequests: { count: 0, retryAfterSec: 1 },
    redirectNext: { count: 0, status: 301, location: '' }, rejectNames: new Set(), rejectPaths: new Set(), rejectRoutePaths: new Set(),
  };
}

export class DoubleState {
  readonly options: DoubleStateOptions;
  readonly store = new EntityStore();
  readonly requests: RequestLogEntry[] = [];
  readonly faults: Faults = noFaults();

  clearFaults(): void {
    Object.assign(this.faults, noFaults());
  }
  configurationHash = EMPTY_HASH;
  now: () => number = Date.now;

  constructor(options: DoubleStateOptions) {
    this.options = options;
  }

  get mode(): DoubleMode {
    return this.options.mode;
  }

  /** A restarted DB-less Kong: no entities, hash all zeros. */
  restartEmpty(): void {
    this.store.clear();
    this.configurationHash = EMPTY_HASH;
  }

  /** Requests that change state (POST/PUT/PATCH/DELETE). */
  writes(): RequestLogEntry[] {
    return this.requests.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method));
  }
}
