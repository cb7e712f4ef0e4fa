// Typed client for the Kong Admin API: bounded concurrency (p-queue), retries
// with backoff, paging, tag filters and typed errors. The admin token is only
// ever a request header: it is kept in a private field and never printed.
import PQueue from 'p-queue';
import { KongAdminError, KongNetworkError, parseKongErrorBody } from './admin-errors.ts';
import { collectionPath } from './admin-records.ts';
import type { KongEntityType, KongRecords } from './admin-records.ts';
import type { HttpRequest, HttpResponse, TransportTls } from './admin-transport.ts';
import { AdminTransport } from './admin-transport.ts';
import { DEFAULT_RETRY_POLICY, parseRetryAfter, retryDecision } from './retry.ts';
import type { RetryPolicy } from './retry.ts';
import type { ConfigPost, KongLogger, KongSyncObserver } from './sync-observer.ts';
import { silentLogger } from './sync-observer.ts';

export interface KongAdminClientOptions extends TransportTls {
  url: string;
  /** Kong Enterprise RBAC token, sent as `tokenHeader`. */
  token?: string;
  tokenHeader?: string;
  timeoutMs?: number;
  /** Timeout for POST /config, which can take seconds on large configs. */
  configTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Requests in flight at once against this gateway. */
  concurrency?: number;
  logger?: KongLogger;
  /** Told about every POST /config attempt (outcome, duration, bytes). */
  observer?: Pick<KongSyncObserver, 'configPosted'>;
  /** Injected for tests (fake timers). */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export interface ListOptions {
  /** Tags joined with `,` (AND); Kong accepts at most 5. */
  tags?: readonly string[];
  /** Page size, 1..1000. */
  size?: number;
}

export interface KongPage<T> {
  data: T[];
  offset?: string;
  next: string | null;
}

export interface PostConfigOptions {
  flattenErrors?: boolean;
  checkHash?: boolean;
  /**
   * Content type of the body (default `application/json`). A JSON body is read
   * as a declarative object or `{"config": "<text>"}`; with `application/yaml`
   * the body itself is the config string, which Kong parses (JSON is accepted)
   * and hashes as-is for check_hash and `/status` `configuration_hash`.
   */
  contentType?: string;
}

export interface PostConfigResult {
  /** 201: loaded; 304: unchanged (check_hash). */
  status: 201 | 304;
  bytes: number;
  /** Bytes of Kong's answer, read and not kept. */
  receivedBytes: number;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class KongAdminClient {
  readonly gateway: string;
  readonly #transport: AdminTransport;
  readonly #queue: PQueue;
  readonly #retry: RetryPolicy;
  readonly #logger: KongLogger;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #configTimeoutMs: number;
  readonly #observer: Pick<KongSyncObserver, 'configPosted'> | undefined;

  constructor(options: KongAdminClientOptions) {
    const headers: Record<string, string> = {};
    if (options.token !== undefined && options.token !== '') headers[options.tokenHeader ?? 'Kong-Admin-Token'] = options.token;
    const concurrency = options.concurrency ?? 10;
    this.#transport = new AdminTransport({
      url: options.url, headers, timeoutMs: options.timeoutMs ?? 10_000, maxSockets: concurrency,
      ca: options.ca, cert: options.cert, key: options.key, serverName: options.serverName,
    });
    this.gateway = this.#transport.gateway;
    this.#queue = new PQueue({ concurrency });
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#logger = options.logger ?? silentLogger;
    this.#sleep = options.sleep ?? realSleep;
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
    this.#configTimeoutMs = options.configTimeoutMs ?? 60_000;
    this.#observer = options.observer;
  }

  /** `GET /`: version, configuration (database, router_flavor), plugins. */
  root(): Promise<Record<string, unknown>> {
    return this.requestJson('GET', '/');
  }

  /** `GET /status`: `configuration_hash` in DB-less mode, `database.reachable` in DB mode. */
  status(): Promise<{ configuration_hash?: string; database?: { reachable: boolean } } & Record<string, unknown>> {
    return this.requestJson('GET', '/status');
  }

  /**
   * One `GET /status`: no retries, its own timeout, and not queued behind the
   * other requests, so a frequent check never waits for a push (the next check
   * is the retry).
   */
  async probeStatus(timeoutMs: number): Promise<{ configuration_hash?: string } & Record<string, unknown>> {
    return this.#json('GET', '/status', await this.#attempt({ method: 'GET', path: '/status', timeoutMs }, false));
  }

  /** `GET /config` (DB-less): the declarative config as YAML text. */
  async getConfig(): Promise<string> {
    const body = await this.requestJson<{ config?: unknown }>('GET', '/config');
    return typeof body.config === 'string' ? body.config : '';
  }

  /** `POST /config` with a declarative config. */
  async postConfig(body: string, options: PostConfigOptions = {}): Promise<PostConfigResult> {
    const query = new URLSearchParams();
    if (options.flattenErrors) query.set('flatten_errors', '1');
    if (options.checkHash) query.set('check_hash', '1');
    const qs = query.toString();
    const res = await this.request({
      method: 'POST', path: `/config${qs ? `?${qs}` : ''}`, body, ...(options.contentType !== undefined ? { contentType: options.contentType } : {}),
      timeoutMs: this.#configTimeoutMs, discardSuccessBody: true,
    });
    return { status: res.status === 304 ? 304 : 201, bytes: Buffer.byteLength(body), receivedBytes: res.receivedBytes };
  }

  /** One page of a collection. */
  listPage<T>(collection: string, options: ListOptions & { offset?: string } = {}): Promise<KongPage<T>> {
    const query = new URLSearchParams();
    if (options.size !== undefined) query.set('size', String(options.size));
    if (options.tags && options.tags.length > 0) query.set('tags', options.tags.join(','));
    if (options.offset !== undefined) query.set('offset', options.offset);
    const qs = query.toString();
    return this.requestJson('GET', `${collection}${qs ? `?${qs}` : ''}`);
  }

  /** Every item of a collection, following `offset` until Kong reports no next page. */
  async listAll<T>(collection: string, options: ListOptions = {}): Promise<T[]> {
    const items: T[] = [];
    let offset: string | undefined;
    for (;;) {
      const page: KongPage<T> = await this.listPage<T>(collection, { ...options, offset });
      items.push(...page.data);
      if (page.offset === undefined || page.offset === '' || page.next === null) return items;
      if (page.offset === offset) throw new Error(`${this.gateway}${collection}: paging did not advance (offset ${offset})`);
      offset = page.offset;
    }
  }

  /** Every entity of a type (targets, credentials: of one parent), typed as Kong returns it. */
  listEntities<T extends KongEntityType>(type: T, options: ListOptions & { parent?: string } = {}): Promise<KongRecords[T][]> {
    const { parent, ...list } = options;
    return this.listAll<KongRecords[T]>(collectionPath(type, parent), list);
  }

  get<T>(path: string): Promise<T> {
    return this.requestJson('GET', path);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.requestJson('PUT', path, body);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.requestJson('POST', path, body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.requestJson('PATCH', path, body);
  }

  async delete(path: string): Promise<void> {
    await this.request({ method: 'DELETE', path });
  }

  close(): void {
    this.#transport.close();
  }

  async requestJson<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.request({ method, path, body: body === undefined ? undefined : JSON.stringify(body) });
    return this.#json(method, path, res);
  }

  #json<T>(method: string, path: string, res: HttpResponse): T {
    if (res.text === '') return {} as T;
    try {
      return JSON.parse(res.text) as T;
    } catch {
      // A proxy's page is not the Admin API: say what it was, without the page.
      const header = res.headers['content-type'];
      const what = parseKongErrorBody(res.text, typeof header === 'string' ? header : '').message ?? '';
      throw new Error(`${method} ${this.gateway}${path.split('?')[0] ?? path}: ${res.status} answer is not JSON (${what}); is this the Admin API?`);
    }
  }

  /**
   * Sends one request, retrying transient failures within the retry policy's
   * bounds; throws KongAdminError/KongNetworkError, saying why it stopped
   * retrying when it did.
   */
  async request(request: HttpRequest): Promise<HttpResponse> {
    let waitedMs = 0;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.#attempt(request);
      } catch (error) {
        const decision = retryDecision(error, { attempt, waitedMs }, this.#retry, this.#random);
        if (!('delayMs' in decision)) throw withReason(error, decision.why);
        this.#logger.warn('kong admin request failed; retrying', {
          gateway: this.gateway, method: request.method, path: request.path.split('?')[0],
          error: error instanceof Error ? error.message : String(error), attempt: attempt + 1, delayMs: decision.delayMs,
        });
        waitedMs += decision.delayMs;
        await this.#sleep(decision.delayMs);
      }
    }
  }

  async #attempt(request: HttpRequest, queued = true): Promise<HttpResponse> {
    const started = this.#now();
    const sentBytes = request.body === undefined ? 0 : Buffer.byteLength(request.body);
    let res: HttpResponse;
    try {
      res = await (queued ? this.#queue.add(() => this.#transport.send(request)) : this.#transport.send(request));
    } catch (error) {
      this.#notePost(request, { outcome: error instanceof KongNetworkError ? 'transport_error' : 'error', durationMs: this.#now() - started, sentBytes, receivedBytes: 0 });
      throw error;
    }
    this.#notePost(request, { outcome: String(res.status), durationMs: this.#now() - started, sentBytes, receivedBytes: res.receivedBytes });
    // Only the 2xx asked for is success; a 304 only answers a hash check. A
    // redirect is a failure too: it points away from the Admin API given.
    if ((res.status >= 200 && res.status < 300) || (res.status === 304 && /[?&]check_hash=1/.test(request.path))) return res;
    const header = (name: string): string | undefined => {
      const value = res.headers[name];
      return typeof value === 'string' ? value : value?.[0];
    };
    const location = header('location');
    throw new KongAdminError({
      status: res.status, method: request.method, path: request.path.split('?')[0] ?? request.path, gateway: this.gateway,
      body: parseKongErrorBody(res.text, header('content-type')),
      retryAfterSec: parseRetryAfter(header('retry-after'), this.#now()),
      ...(location !== undefined ? { location } : {}),
    });
  }

  #notePost(request: HttpRequest, post: ConfigPost): void {
    if (request.method === 'POST' && request.path.startsWith('/config')) this.#observer?.configPosted?.(this.gateway, post);
  }
}

/** The error with why retrying stopped appended to its message. */
function withReason(error: unknown, why: string | undefined): unknown {
  if (why !== undefined && error instanceof Error) error.message = `${error.message} (${why})`;
  return error;
}

/** Encodes one path segment (names, `host:port` targets). */
export function pathSegment(value: string): string {
  return encodeURIComponent(value);
}
