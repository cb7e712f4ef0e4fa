// The webhook's HTTPS listener: POST an AdmissionReview, get one back. It
// starts once a serving certificate exists and swaps certificates in place.
// A review reads only in-memory caches; a body it cannot judge is allowed
// with a warning (the API server's failurePolicy would allow it anyway).
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KeyPairPem } from '../admin-tls/index.ts';
import { errorField, type Logger } from '../observe/index.ts';
import { parseReview, reviewResponse, type AdmissionRequest, type Verdict } from './review.ts';

/** Larger than two of the largest objects the API server stores (1.5 MiB each). */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface WebhookServerOptions {
  port: number;
  host: string;
  judge: (request: AdmissionRequest) => Verdict;
  log: Logger;
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => { resolve(Buffer.concat(chunks).toString('utf8')); });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': status === 200 ? 'application/json' : 'text/plain' }).end(typeof body === 'string' ? body : JSON.stringify(body));
}

/** The verdict, or (when judging throws) an allow that says it was not judged. */
export function judgeSafely(o: Pick<WebhookServerOptions, 'judge' | 'log'>, request: AdmissionRequest): Verdict {
  try {
    return o.judge(request);
  } catch (err) {
    o.log.error('admission review failed; allowing', { kind: request.kind.kind, namespace: request.namespace, name: request.name, error: errorField(err) });
    return { allowed: true, warnings: [`meshdoor could not validate this object (${errorField(err)}); it was allowed`] };
  }
}

async function handle(o: WebhookServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== '/validate') {
    send(res, 404, 'POST an AdmissionReview to /validate\n');
    return;
  }
  const body = await readBody(req);
  if (body === undefined) {
    // Answer, then drop the connection rather than read the rest.
    res.on('finish', () => { req.destroy(); });
    res.setHeader('connection', 'close');
    send(res, 413, 'AdmissionReview too large\n');
    return;
  }
  const request = parseReview(body);
  if ('error' in request) {
    send(res, 400, `${request.error}\n`);
    return;
  }
  const verdict = judgeSafely(o, request);
  o.log.debug('admission review', { kind: request.kind.kind, operation: request.operation, namespace: request.namespace, name: request.name, allowed: verdict.allowed });
  send(res, 200, reviewResponse(request.uid, verdict));
}

export class WebhookServer {
  private server: Server | undefined;
  private listening: Promise<number> | undefined;

  constructor(private readonly o: WebhookServerOptions) {}

  /** Serves with this certificate: starts listening the first time, swaps it in place after. */
  async serve(pair: KeyPairPem): Promise<number> {
    if (this.server) {
      this.server.setSecureContext({ cert: pair.cert, key: pair.key });
      return this.listening ?? Promise.resolve(0);
    }
    const server = createServer({ cert: pair.cert, key: pair.key, minVersion: 'TLSv1.2' }, (req, res) => {
      handle(this.o, req, res).catch((err: unknown) => { this.o.log.error('admission request failed', { error: errorField(err) }); send(res, 500, 'internal error\n'); });
    });
    this.server = server;
    this.listening = new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.o.port, this.o.host, () => {
        server.off('error', reject);
        const { port } = server.address() as AddressInfo;
        this.o.log.info('serving admission reviews', { address: `${this.o.host}:${port}` });
        resolve(port);
      });
    });
    return this.listening;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((done) => {
      server.close(() => { done(); });
      server.closeAllConnections();
    });
  }
}
