// /healthz (the process is alive), /readyz (caches synced and, once there are
// gateways, the last sync succeeded) and /metrics on one port.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface ReadinessProbe {
  /** `undefined` when ready, else the reason it is not. */
  notReadyReason(): string | undefined;
}

export interface HealthServerOptions {
  port: number;
  host: string;
  readiness: ReadinessProbe;
  registry: Registry;
}

export interface HealthServer {
  /** The bound port (useful with port 0). */
  port: number;
  close(): Promise<void>;
}

function handler(o: HealthServerOptions) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    if (path === '/readyz') {
      const reason = o.readiness.notReadyReason();
      res.writeHead(reason ? 503 : 200, { 'content-type': 'text/plain' }).end(reason ? `not ready: ${reason}\n` : 'ok\n');
      return;
    }
    if (path === '/metrics') {
      o.registry.metrics().then(
        (body) => { res.writeHead(200, { 'content-type': o.registry.contentType }).end(body); },
        () => { res.writeHead(500).end(); },
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  };
}

export function startHealthServer(o: HealthServerOptions): Promise<HealthServer> {
  const server: Server = createServer(handler(o));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise((done) => {
          server.close(() => { done(); });
          server.closeAllConnections();
        }),
      });
    });
  });
}
