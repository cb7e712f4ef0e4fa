// A Kong Admin API test double on 127.0.0.1, for unit, feature and e2e tests:
// Kong OSS 3.9 behaviour where meshdoor depends on it (docs/kong-admin-api.md),
// in DB-less or DB mode, with fault injection and a router model.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Server, Socket } from 'node:net';
import type { RouterFlavor } from '../../src/model/index.ts';
import { handleControl } from './control.ts';
import type { CrudContext } from './crud.ts';
import { DoubleState } from './double-state.ts';
import type { DoubleMode, RequestLogEntry } from './double-state.ts';
import { routeRequest } from './routing.ts';
import type { DoubleRouteRequest, DoubleRouteResult } from './routing.ts';
import { createRequestHandler } from './server.ts';
import { tlsPortFront } from './tls-port.ts';
import type { DoubleEntityType, DoubleRecord } from './store.ts';

export type { DoubleMode, RequestLogEntry } from './double-state.ts';
export type { DoubleRouteRequest, DoubleRouteResult } from './routing.ts';

export interface KongDoubleOptions {
  mode: DoubleMode;
  routerFlavor?: RouterFlavor;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  version?: string;
  /** Request bodies above this get nginx's HTML 413 (default 10 MiB = 10485760 bytes, nginx_admin_client_max_body_size). */
  configLimitBytes?: number;
  /** Require this `Kong-Admin-Token` (Kong Enterprise RBAC); 401 otherwise. */
  requireToken?: string;
  /** Draws ids for entities created without one (default: random UUIDs, as Kong). */
  newId?: () => string;
  /**
   * Serve HTTPS with this key pair, like Kong's `admin_listen ... ssl`. With
   * `requestCert`, a client certificate signed by `ca` is required, as with
   * `nginx_admin_ssl_verify_client on`: nginx's 400 pages answer otherwise.
   */
  tls?: DoubleTls;
}

export interface DoubleTls {
  key: string;
  cert: string;
  ca?: string;
  requestCert?: boolean;
}

export interface KongDouble {
  readonly url: string;
  readonly port: number;
  readonly mode: DoubleMode;
  /** Deep copy of the current entities. */
  readonly state: Record<DoubleEntityType, DoubleRecord[]>;
  /** Every request answered (control requests excluded). */
  readonly requests: RequestLogEntry[];
  /** Requests that write (POST/PUT/PATCH/DELETE). */
  writes(): RequestLogEntry[];
  clearRequests(): void;
  /** TCP connections accepted so far (keep-alive clients reuse theirs). */
  connectionsAccepted(): number;
  /** Which route and service a request would reach (router model). */
  route(request: DoubleRouteRequest): DoubleRouteResult;
  /** `GET /status` configuration_hash (DB-less). */
  configurationHash(): string;
  /** New TLS connections use this key pair and client CA bundle (a gateway pod restarted with rotated certificates). */
  setTls(tls: DoubleTls): void;
  /** Stop accepting connections (clients get ECONNREFUSED) / accept again. */
  down(): Promise<void>;
  up(): Promise<void>;
  /** Delay every answer by `ms` (0 = off). */
  slow(ms: number): void;
  /** The next `count` requests (to `path` only, when given) answer `status` (default 500) with Kong's `An unexpected error occurred`. */
  failNext(count: number, status?: number, path?: string): void;
  /** The next `count` requests answer 429 with `Retry-After: retryAfterSec`. */
  tooManyRequests(retryAfterSec: number, count?: number): void;
  /** The next `count` requests answer `status` (301/302/307/308) with `Location: location`. */
  redirectNext(status: number, location: string, count?: number): void;
  /** Like a restarted DB-less pod: no config, hash all zeros. */
  restartEmpty(): void;
  /** Entities with this name (or target) fail validation with a field error. */
  rejectEntity(name: string): void;
  /** Routes carrying this Kong path are refused with a `paths.N` field error (as Kong refuses a bad regex). */
  rejectPath(path: string): void;
  /** Routes carrying this Kong path are refused as a whole (an entity error, as Kong's router gives for a regex it cannot compile). */
  rejectRouteWithPath(path: string): void;
  clearFaults(): void;
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function startKongDouble(options: KongDoubleOptions): Promise<KongDouble> {
  const state = new DoubleState({
    mode: options.mode, routerFlavor: options.routerFlavor ?? 'traditional_compatible', version: options.version ?? '3.9.1',
    configLimitBytes: options.configLimitBytes ?? 10 * 1024 * 1024,
    ...(options.requireToken !== undefined ? { requireToken: options.requireToken } : {}),
    ...(options.tls?.requestCert ? { verifyClient: true } : {}),
  });
  const ctx: CrudContext = {
    store: state.store, routerFlavor: state.options.routerFlavor, rejectedNames: state.faults.rejectNames, now: () => state.now(),
    newId: options.newId ?? randomUUID,
  };
  const handler = createRequestHandler(state, ctx, (method, url, body) => handleControl(state, method, url, body), options.tls?.requestCert === true);
  const app = options.tls ? https.createServer(secureOptions(options.tls)) : http.createServer();
  app.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    handler(req, res).catch((err: unknown) => {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: `An unexpected error occurred: ${String(err)}` }));
    });
  });
  const server = options.tls ? tlsPortFront(app as https.Server) : app;
  const sockets = new Set<Socket>();
  let accepted = 0;
  server.on('connection', (socket: Socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, options.port ?? 0, host);
  const url = `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let listening = true;
  return {
    url, port, mode: options.mode,
    get state() { return state.store.snapshot(); },
    requests: state.requests,
    writes: () => state.writes(),
    clearRequests: () => { state.requests.length = 0; },
    connectionsAccepted: () => accepted,
    route: (request) => routeRequest(state, request),
    configurationHash: () => state.configurationHash,
    setTls: (tls) => {
      if (!options.tls) throw new Error('the double was started without TLS');
      (app as https.Server).setSecureContext(secureOptions(tls));
    },
    down: async () => { if (listening) { listening = false; await closeServer(server, sockets); } },
    up: async () => { if (!listening) { await listen(server, port, host); listening = true; } },
    slow: (ms) => { state.faults.slowMs = ms; },
    failNext: (count, status = 500, path?: string) => { state.faults.failNext = { count, status, ...(path === undefined ? {} : { path }) }; },
    tooManyRequests: (retryAfterSec, count = 1) => { state.faults.tooManyRequests = { count, retryAfterSec }; },
    redirectNext: (status, location, count = 1) => { state.faults.redirectNext = { count, status, location }; },
    restartEmpty: () => state.restartEmpty(),
    rejectEntity: (name) => { state.faults.rejectNames.add(name); },
    rejectPath: (path) => { state.faults.rejectPaths.add(path); },
    rejectRouteWithPath: (path) => { state.faults.rejectRoutePaths.add(path); },
    clearFaults: () => state.clearFaults(),
    close: async () => { if (listening) { listening = false; await closeServer(server, sockets); } },
  };
}

// Client certificates are checked in the request handler, as nginx does after the handshake.
function secureOptions(tls: DoubleTls): https.ServerOptions {
  return { key: tls.key, cert: tls.cert, ca: tls.ca, requestCert: tls.requestCert ?? false, rejectUnauthorized: false };
}

