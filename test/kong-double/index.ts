// A Kong Admin API test double on 127.0.0.1, for unit, feature and e2e tests:
// Kong OSS 3.9 behaviour where meshdoor depends on it (reference/kong-admin-api.md),
// in DB-less or DB mode, with fault injection and a router model.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { Duplex } from 'node:stream';
import type { AddressInfo, Socket } from 'node:net';
import type { RouterFlavor } from '../../src/kong/declarative.ts';
import { handleControl } from './control.ts';
import type { CrudContext } from './crud.ts';
import { DoubleState } from './double-state.ts';
import type { DoubleMode, RequestLogEntry } from './double-state.ts';
import { routeRequest } from './routing.ts';
import type { DoubleRouteRequest, DoubleRouteResult } from './routing.ts';
import { NginxPage } from './errors.ts';
import { createRequestHandler } from './server.ts';
import type { DoubleEntityType, DoubleRecord } from './store.ts';

export type { DoubleMode, RequestLogEntry } from './double-state.ts';
export type { DoubleRouteRequest, DoubleRouteResult } from './routing.ts';

export interface KongDoubleOptions {
  mode: DoubleMode;
  routerFlavor?: RouterFlavor;
  /** 0 (default) picks a free port. */
  port?: number;
  version?: string;
  /** Request bodies above this get nginx's HTML 413 (default 10 MiB = 10485760 bytes, nginx_admin_client_max_body_size). */
  configLimitBytes?: number;
  /** Require this `Kong-Admin-Token` (Kong Enterprise RBAC); 401 otherwise. */
  requireToken?: string;
  /** Draws ids for entities created without one (default: random UUIDs, as Kong). */
  newId?: () => string;
  /** Serve HTTPS with this key pair; `ca` + `requestCert` asks for client certificates. */
  tls?: { key: string; cert: string; ca?: string; requestCert?: boolean };
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
  /** Which route and service a request would reach (router model). */
  route(request: DoubleRouteRequest): DoubleRouteResult;
  /** `GET /status` configuration_hash (DB-less). */
  configurationHash(): string;
  /** Stop accepting connections (clients get ECONNREFUSED) / accept again. */
  down(): Promise<void>;
  up(): Promise<void>;
  /** Delay every answer by `ms` (0 = off). */
  slow(ms: number): void;
  /** The next `count` requests answer `status` (default 500). */
  failNext(count: number, status?: number): void;
  /** The next `count` requests answer 429 with `Retry-After: retryAfterSec`. */
  tooManyRequests(retryAfterSec: number, count?: number): void;
  /** Like a restarted DB-less pod: no config, hash all zeros. */
  restartEmpty(): void;
  /** Entities with this name (or target) fail validation with a field error. */
  rejectEntity(name: string): void;
  clearFaults(): void;
  close(): Promise<void>;
}

function listen(server: net.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: net.Server, sockets: Set<Socket>): Promise<void> {
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
  const handler = createRequestHandler(state, ctx, (method, url, body) => handleControl(state, method, url, body));
  // Like nginx, the TLS handshake always completes; a missing or untrusted client certificate is answered in HTTP.
  const server = options.tls
    ? https.createServer({ key: options.tls.key, cert: options.tls.cert, ca: options.tls.ca, requestCert: options.tls.requestCert ?? false, rejectUnauthorized: false })
    : http.createServer();
  const front = options.tls ? plainHttpAware(server) : server;
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    handler(req, res).catch((err: unknown) => {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: `An unexpected error occurred: ${String(err)}` }));
    });
  });
  const sockets = new Set<Socket>();
  front.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(front, options.port ?? 0);
  const url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  let listening = true;
  return {
    url, port, mode: options.mode,
    get state() { return state.store.snapshot(); },
    requests: state.requests,
    writes: () => state.writes(),
    clearRequests: () => { state.requests.length = 0; },
    route: (request) => routeRequest(state, request),
    configurationHash: () => state.configurationHash,
    down: async () => { if (listening) { listening = false; await closeServer(front, sockets); } },
    up: async () => { if (!listening) { await listen(front, port); listening = true; } },
    slow: (ms) => { state.faults.slowMs = ms; },
    failNext: (count, status = 500) => { state.faults.failNext = { count, status }; },
    tooManyRequests: (retryAfterSec, count = 1) => { state.faults.tooManyRequests = { count, retryAfterSec }; },
    restartEmpty: () => state.restartEmpty(),
    rejectEntity: (name) => { state.faults.rejectNames.add(name); },
    clearFaults: () => clearFaults(state),
    close: async () => { if (listening) { listening = false; await closeServer(front, sockets); } },
  };
}

/** The socket as a stream that yields `first` again (TLS must see the bytes already read). */
function replaying(socket: Socket, first: Buffer): Duplex {
  const stream = new Duplex({
    read() { socket.resume(); },
    write(chunk: Buffer, _encoding, done) { socket.write(chunk, done); },
    final(done) { socket.end(); done(); },
    destroy(error, done) { socket.destroy(); done(error); },
  });
  stream.push(first);
  socket.on('data', (chunk: Buffer) => { if (!stream.push(chunk)) socket.pause(); });
  socket.on('end', () => stream.push(null));
  socket.on('close', () => stream.destroy());
  socket.on('error', (error) => stream.destroy(error));
  return stream;
}

/**
 * The TLS listener as nginx runs it: a connection that opens with plain HTTP
 * instead of a TLS handshake gets nginx's 400 page; TLS goes on to the server.
 */
function plainHttpAware(tlsServer: http.Server): net.Server {
  return net.createServer((socket) => {
    socket.once('data', (first: Buffer) => {
      socket.pause();
      if (first[0] === 0x16) {
        tlsServer.emit('connection', replaying(socket, first));
        return;
      }
      const page = new NginxPage(400, 'The plain HTTP request was sent to HTTPS port');
      socket.end(`HTTP/1.1 400 Bad Request\r\nServer: openresty\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Length: ${Buffer.byteLength(page.html)}\r\nConnection: close\r\n\r\n${page.html}`);
    });
  });
}

export function clearFaults(state: DoubleState): void {
  state.faults.reset = false;
  state.faults.slowMs = 0;
  state.faults.failNext = { count: 0, status: 500 };
  state.faults.tooManyRequests = { count: 0, retryAfterSec: 1 };
  state.faults.rejectNames.clear();
}
