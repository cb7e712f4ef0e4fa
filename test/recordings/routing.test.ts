// Routing truth tables of a real Kong 3.9.3 (both router flavors), replayed
// through the proxy model: status, who answered, which backend, the path
// sent upstream exactly as on the wire, the upstream Host, the Location of
// https redirects and the certificate served for an SNI.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { buildProxy } from '../kong-model/proxy/proxy.ts';
import type { ProxyEntities, ProxyResult } from '../kong-model/proxy/proxy.ts';
import { readRecording, recordingsDir } from './recordings-dir.ts';

interface RoutingCase {
  id: string;
  request: { method: string; scheme: 'http' | 'https'; listener_port: number; host: string | null; path: string; headers: Record<string, string>; sni?: string | null };
  result: {
    status: number; source: string; backend?: string; upstream_url?: string; upstream_host?: string;
    message?: string; location?: string; tls_cert_cn?: string;
  };
}

interface RoutingFile {
  config: string;
  flavors: Record<'traditional_compatible' | 'expressions', { entities: ProxyEntities; cases: RoutingCase[] }>;
}

/** Cases not replayed, with the reason (by config/flavor/id). */
export const SKIPPED: Record<string, string> = {};

/** The echo server on port P is `e<P>`. */
function backendName(backend: string | undefined): string | undefined {
  const port = backend === undefined ? undefined : /:(\d+)$/.exec(backend)?.[1];
  return port === undefined ? undefined : `e${port}`;
}

function expectedView(result: RoutingCase['result']): Record<string, unknown> {
  const view: Record<string, unknown> = { status: result.status, source: result.source };
  if (result.source === 'backend') Object.assign(view, { backend: result.backend, upstream_url: result.upstream_url, upstream_host: result.upstream_host });
  if (result.source === 'kong') view.message = result.message;
  if (result.location !== undefined) view.location = result.location;
  if (result.tls_cert_cn !== undefined) view.tls_cert_cn = result.tls_cert_cn;
  return view;
}

/** The same fields from the model; the echo server of a non-Kong answer (source `other`) counts as the backend. */
function modelView(result: ProxyResult, expected: RoutingCase['result']): Record<string, unknown> {
  const source = expected.source === 'other' && result.source === 'backend' ? 'other' : result.source;
  const view: Record<string, unknown> = { status: source === 'other' ? expected.status : result.status, source };
  if (result.source === 'backend' && source === 'backend') {
    Object.assign(view, { backend: backendName(result.backend), upstream_url: result.upstreamUrl, upstream_host: result.upstreamHost });
  }
  if (result.source === 'kong') view.message = result.message;
  if (result.location !== undefined) view.location = result.location;
  if (result.tlsCertCn !== undefined) view.tls_cert_cn = result.tlsCertCn;
  return view;
}

describe('Kong recordings', () => {
  const files = readdirSync(path.join(recordingsDir(), 'routing')).filter((f) => f.endsWith('.json')).sort();
  for (const name of files) {
    const file = readRecording<RoutingFile>(`routing/${name}`);
    for (const [flavor, table] of Object.entries(file.flavors)) {
      describe(`routing ${file.config} (${flavor}), ${table.cases.length} requests`, () => {
        const proxy = buildProxy(table.entities, flavor as 'traditional_compatible' | 'expressions');
        for (const kase of table.cases) {
          const key = `${file.config}/${flavor}/${kase.id}`;
          const reason = SKIPPED[key] ?? SKIPPED[`${file.config}/*/${kase.id}`];
          const { request } = kase;
          const title = `${kase.id}: ${request.method} ${request.scheme}://${request.host ?? '(no host)'}${request.path}`;
          if (reason !== undefined) {
            it.skip(`${title}: ${reason}`);
            continue;
          }
          it(title, () => {
            const result = proxy.request({
              method: request.method, scheme: request.scheme, listenerPort: request.listener_port, host: request.host,
              path: request.path, headers: request.headers, sni: request.sni ?? null,
            });
            expect(modelView(result, kase.result)).to.deep.equal(expectedView(kase.result));
          });
        }
      });
    }
  }
});
