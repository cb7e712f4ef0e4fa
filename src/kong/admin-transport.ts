// One HTTP(S) exchange with a Kong Admin API, on node:http/node:https so a
// custom CA bundle, a client certificate and a TLS server name can be used.
import http from 'node:http';
import https from 'node:https';
import { KongNetworkError, redactUrl } from './admin-errors.ts';
import { describeHandshakeProblem, describeNginxTlsProblem, handshakeTlsProblem, KongTlsError, nginxTlsProblem } from './admin-tls-errors.ts';

export interface TransportTls {
  /** PEM CA bundle to verify the Admin API's certificate with. */
  ca?: string;
  /** PEM client certificate and key (mutual TLS). */
  cert?: string;
  key?: string;
  /** TLS server name to verify when it differs from the URL's host. */
  serverName?: string;
}

export interface TransportOptions extends TransportTls {
  url: string;
  /** Extra headers sent with every request (e.g. the admin token); never logged. */
  headers?: Record<string, string>;
  timeoutMs: number;
  maxSockets: number;
}

export interface HttpRequest {
  method: string;
  /** Path plus query, e.g. `/services?size=1000`. */
  path: string;
  body?: string;
  /** Content type of `body` (default `application/json`). */
  contentType?: string;
  timeoutMs?: number;
  /**
   * Read a 2xx answer's body without keeping it (`text` is empty): Kong answers
   * a POST /config with every entity it loaded, several times the size of the body.
   */
  discardSuccessBody?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** Bytes of the response body as received. */
  receivedBytes: number;
}

export class AdminTransport {
  readonly gateway: string;
  readonly #base: URL;
  readonly #agent: http.Agent;
  readonly #headers: Record<string, string>;
  readonly #timeoutMs: number;
  readonly #serverName: string | undefined;
  readonly #clientCert: string | undefined;

  constructor(options: TransportOptions) {
    this.#base = new URL(options.url);
    this.gateway = redactUrl(options.url);
    this.#headers = { ...options.headers };
    this.#timeoutMs = options.timeoutMs;
    this.#serverName = options.serverName;
    this.#clientCert = this.#base.protocol === 'https:' ? options.cert : undefined;
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets };
    this.#agent = this.#base.protocol === 'https:'
      ? new https.Agent({ ...agentOptions, ca: options.ca, cert: options.cert, key: options.key, servername: options.serverName })
      : new http.Agent(agentOptions);
  }

  send(request: HttpRequest): Promise<HttpResponse> {
    const target = this.#target(request.path);
    const headers: Record<string, string> = { accept: 'application/json', ...this.#headers };
    if (request.body !== undefined) {
      headers['content-type'] = request.contentType ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(request.body));
    }
    const lib = target.protocol === 'https:' ? https : http;
    const options: https.RequestOptions = { method: request.method, headers, agent: this.#agent };
    if (this.#serverName !== undefined) options.servername = this.#serverName;
    return new Promise((resolve, reject) => {
      const where = { method: request.method, path: request.path, gateway: this.gateway };
      const fail = (code: string, detail: string): void => {
        const problem = handshakeTlsProblem(code);
        reject(problem
          ? new KongTlsError({ ...where, problem, detail: describeHandshakeProblem(problem, detail) })
          : new KongNetworkError({ ...where, code, detail }));
      };
      const req = lib.request(target, options, (res) => {
        const status = res.statusCode ?? 0;
        const keep = !(request.discardSuccessBody === true && status >= 200 && status < 300);
        const chunks: Buffer[] = [];
        let receivedBytes = 0;
        res.on('data', (chunk: Buffer) => {
          receivedBytes += chunk.length;
          if (keep) chunks.push(chunk);
        });
        res.on('error', (err: NodeJS.ErrnoException) => fail(err.code ?? 'ERESPONSE', err.message));
        res.on('end', () => {
          const answer = { status, headers: res.headers, text: keep ? Buffer.concat(chunks).toString('utf8') : '', receivedBytes };
          const problem = nginxTlsProblem(answer.status, answer.headers['content-type'], answer.text);
          if (problem) reject(new KongTlsError({ ...where, problem, detail: describeNginxTlsProblem(problem, this.#clientCert, Date.now()) }));
          else resolve(answer);
        });
      });
      req.setTimeout(request.timeoutMs ?? this.#timeoutMs, () => {
        req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }));
      });
      req.on('error', (err: NodeJS.ErrnoException) => fail(err.code ?? 'ENETWORK', `${err.code ?? 'network error'}: ${err.message}`));
      req.end(request.body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }

  #target(pathAndQuery: string): URL {
    const basePath = this.#base.pathname.replace(/\/$/, '');
    const target = new URL(this.#base.href);
    const [path, query] = splitQuery(pathAndQuery);
    target.pathname = `${basePath}${path}`;
    target.search = query;
    return target;
  }
}

function splitQuery(pathAndQuery: string): [string, string] {
  const at = pathAndQuery.indexOf('?');
  return at < 0 ? [pathAndQuery, ''] : [pathAndQuery.slice(0, at), pathAndQuery.slice(at)];
}
