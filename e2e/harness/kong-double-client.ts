// Client of the Kong double's control API (`/__double/*`): what Kong holds,
// where a request would be routed, what the controller sent, and faults.
import http from 'node:http';
import https from 'node:https';

export interface DoubleRoute {
  status: number;
  /** `host:port` the request would be proxied to. */
  backend?: string;
  upstreamPath?: string;
  route?: { name?: string; paths?: string[] | null; hosts?: string[] | null };
}

export interface DoubleRequest {
  method: string;
  path: string;
  query: string;
  status: number;
  bytes: number;
}

export interface DoubleState {
  mode: string;
  configuration_hash: string;
  entities: Record<string, Array<Record<string, unknown>>>;
}

export interface DoubleFaults {
  /** Accept connections and drop them: Kong "down" while its state is kept. */
  reset?: boolean;
  slowMs?: number;
  failNext?: { count: number; status?: number };
  /** Routes carrying this Kong path are refused with a `paths.N` field error. */
  rejectPath?: string;
}

export const EMPTY_CONFIG_HASH = '00000000000000000000000000000000';

function call(baseUrl: string, method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const target = new URL(path, baseUrl);
    // The control API is the double's own; over TLS its certificate is not what a test checks.
    const lib = target.protocol === 'https:' ? https : http;
    const req = lib.request(target, {
      method,
      agent: false,
      timeout: 5000,
      rejectUnauthorized: false,
      headers: payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }); });
      res.on('error', reject);
    });
    req.on('timeout', () => { req.destroy(new Error(`${method} ${path} timed out`)); });
    req.on('error', reject);
    req.end(payload);
  });
}

async function json<T>(baseUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await call(baseUrl, method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text.slice(0, 300)}`);
  return (res.text === '' ? undefined : JSON.parse(res.text)) as T;
}

export class KongDoubleClient {
  constructor(private readonly baseUrl: string) {}

  state(): Promise<DoubleState> {
    return json(this.baseUrl, 'GET', '/__double/state');
  }

  /** Where `GET http://<host><path>` would go through the loaded routes. */
  route(request: { host?: string; path: string; method?: string }): Promise<DoubleRoute> {
    const q = new URLSearchParams({ host: request.host ?? '', path: request.path, method: request.method ?? 'GET' });
    return json(this.baseUrl, 'GET', `/__double/route?${q.toString()}`);
  }

  requests(): Promise<DoubleRequest[]> {
    return json(this.baseUrl, 'GET', '/__double/requests');
  }

  /** `POST /config` calls received so far (the DB-less pushes). */
  async configPushes(): Promise<DoubleRequest[]> {
    return (await this.requests()).filter((r) => r.method === 'POST' && r.path === '/config');
  }

  async clearRequests(): Promise<void> {
    await json(this.baseUrl, 'DELETE', '/__double/requests');
  }

  async setFaults(faults: DoubleFaults): Promise<void> {
    await json(this.baseUrl, 'POST', '/__double/faults', faults);
  }

  async clearFaults(): Promise<void> {
    await json(this.baseUrl, 'DELETE', '/__double/faults');
  }

  /** Forgets every entity and reports an all-zero configuration hash. */
  async restartEmpty(): Promise<void> {
    await json(this.baseUrl, 'POST', '/__double/restart-empty');
  }
}
