// A pass-through in front of the Kong double's Admin API that records what the
// gateway held after every accepted DB-less push: once the double answered a
// POST /config with 2xx, the tap reads the double's entities before passing
// the answer on, so the controller cannot push again in between. A test can
// then check a property of every configuration Kong ever served, not only of
// the one it happens to poll.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KongDoubleClient, type DoubleState } from './kong-double-client.ts';

export interface ConfigTap {
  /** The Admin API URL to give the controller. */
  url: string;
  /** The double's entities after each accepted push, oldest first. */
  served: DoubleState['entities'][];
  close(): Promise<void>;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => { resolve(Buffer.concat(chunks)); });
    req.on('error', reject);
  });
}

function forward(target: URL, req: http.IncomingMessage, body: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, host: target.host, 'content-length': String(body.length) };
    const out = http.request(new URL(req.url ?? '/', target), { method: req.method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => { resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }); });
      res.on('error', reject);
    });
    out.on('error', reject);
    out.end(body);
  });
}

/** Starts the tap in front of the double at `doubleUrl` (plain HTTP). */
export async function startConfigTap(doubleUrl: string): Promise<ConfigTap> {
  const target = new URL(doubleUrl);
  const double = new KongDoubleClient(doubleUrl);
  const served: ConfigTap['served'] = [];
  const server = http.createServer((req, res) => {
    void (async () => {
      try {
        const body = await readBody(req);
        const answer = await forward(target, req, body);
        const pushed = req.method === 'POST' && (req.url ?? '').split('?')[0] === '/config' && answer.status < 300;
        if (pushed) served.push((await double.state()).entities);
        const { connection: _connection, 'transfer-encoding': _te, ...headers } = answer.headers;
        res.writeHead(answer.status, { ...headers, 'content-length': String(answer.body.length) });
        res.end(answer.body);
      } catch (err) {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `config tap: ${err instanceof Error ? err.message : String(err)}` }));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => { resolve(); });
    }),
  };
}
