// Kong's proxy around the router, as a request sees it: nginx's own 400s
// before routing, the certificate served for an SNI, the router's verdict
// (404, https-only answers), and where the request goes upstream.
import { X509Certificate } from 'node:crypto';
import { resolveBackend } from '../router/backend.ts';
import { buildRouter } from '../router/router.ts';
import type { KongEntity, RouteMatch, RouterModelFlavor } from '../router/types.ts';

export interface ProxyEntities {
  services: readonly KongEntity[];
  routes: readonly KongEntity[];
  upstreams: readonly KongEntity[];
  targets: readonly KongEntity[];
  certificates: readonly KongEntity[];
  snis: readonly KongEntity[];
}

export interface ProxyRequest {
  method: string;
  scheme: 'http' | 'https';
  listenerPort: number;
  /** The Host header; null when absent. */
  host: string | null;
  /** The request target exactly as on the request line. */
  path: string;
  headers: Readonly<Record<string, string>>;
  /** TLS SNI (https); null when the client sent none. */
  sni: string | null;
}

export interface ProxyResult {
  status: number;
  /** `backend`: proxied; `kong`: Kong's JSON answer; `nginx`: an nginx page or redirect. */
  source: 'backend' | 'kong' | 'nginx';
  /** `host:port` the request went to. */
  backend?: string;
  /** The request target sent upstream (path and query). */
  upstreamUrl?: string;
  upstreamHost?: string;
  message?: string;
  location?: string;
  /** CN of the certificate served (https). */
  tlsCertCn?: string;
}

/** Kong's own self-signed default certificate. */
const DEFAULT_CERT_CN = 'localhost';

/** Request lines nginx refuses with 400 before Kong routes them. */
function nginxRejects(req: ProxyRequest): boolean {
  if (!/^[A-Z]+$/.test(req.method)) return true;
  if (req.host === null || req.host === '') return true;
  if (!req.path.startsWith('/') || [...req.path].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f)) return true;
  return climbsAboveRoot(req.path.split('?')[0] ?? '');
}

function climbsAboveRoot(path: string): boolean {
  let depth = 0;
  for (const segment of path.split('/').slice(1)) {
    if (segment === '..') depth -= 1;
    else if (segment !== '.' && segment !== '') depth += 1;
    if (depth < 0) return true;
  }
  return false;
}

function commonName(pem: unknown): string | undefined {
  if (typeof pem !== 'string') return undefined;
  const subject = new X509Certificate(pem).subject;
  return /(?:^|\n)CN=([^\n]*)/.exec(subject)?.[1];
}

/** The certificate for an SNI: an exact name, else a `*.` wildcard one label deep (case-sensitive), else Kong's default. */
export function servedCertificateCn(entities: Pick<ProxyEntities, 'certificates' | 'snis'>, sni: string | null): string {
  if (sni === null) return DEFAULT_CERT_CN;
  const dot = sni.indexOf('.');
  const wildcard = dot > 0 ? `*${sni.slice(dot)}` : undefined;
  const byName = (name: string | undefined): KongEntity | undefined => entities.snis.find((s) => s['name'] === name);
  const chosen = byName(sni) ?? byName(wildcard);
  const certificateId = (chosen?.['certificate'] as { id?: unknown } | undefined)?.id;
  const certificate = entities.certificates.find((c) => c['id'] === certificateId);
  return commonName(certificate?.['cert']) ?? DEFAULT_CERT_CN;
}

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, grpc: 80, grpcs: 443 };

/** The Host header Kong sends upstream: the client's with preserve_host, else the service's host (and port when not the default). */
function upstreamHost(match: RouteMatch, host: string): string {
  if (match.upstreamHost !== undefined) return host;
  const service = match.service ?? {};
  const port = Number(service['port'] ?? 80);
  const name = String(service['host']);
  const protocol = typeof service['protocol'] === 'string' ? service['protocol'] : 'http';
  return port === DEFAULT_PORTS[protocol] ? name : `${name}:${port}`;
}

/**
 * kong/tools/uri.lua `escape`: the decoded path goes upstream with every byte
 * outside the reserved and unreserved sets percent-encoded (upper-case hex).
 */
export function escapeUri(path: string): string {
  return [...Buffer.from(path, 'utf8')].map((byte) => {
    const c = String.fromCharCode(byte);
    return /[!#$&'()*+,/:;=?@[\]A-Za-z0-9\-_.~%]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

function queryOf(path: string): string {
  const q = path.indexOf('?');
  return q >= 0 ? path.slice(q) : '';
}

/** nginx drops the optional whitespace around a header value. */
function headerValues(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, value.trim()]));
}

export interface Proxy {
  request(req: ProxyRequest): ProxyResult;
}

export function buildProxy(entities: ProxyEntities, flavor: RouterModelFlavor): Proxy {
  const router = buildRouter(entities, { flavor });
  return {
    request(req) {
      const tls = req.scheme === 'https' ? { tlsCertCn: servedCertificateCn(entities, req.sni) } : {};
      if (nginxRejects(req)) return { status: 400, source: 'nginx', ...tls };
      const host = req.host ?? '';
      const match = router.match({
        method: req.method, host, path: req.path, scheme: req.scheme, headers: headerValues(req.headers), port: req.listenerPort,
        ...(req.sni !== null ? { sni: req.sni } : {}),
      });
      if (match === null) return { status: 404, source: 'kong', message: 'no Route matched with those values', ...tls };
      if (match.httpsRequired) {
        const { status, location } = match.httpsRequired;
        if (location === undefined) return { status, source: 'kong', message: 'Please use HTTPS protocol', ...tls };
        return { status, source: 'nginx', location, ...tls };
      }
      const backend = resolveBackend(match, entities);
      const target = backend?.kind === 'upstream' ? backend.targets[0] : backend;
      return {
        status: 200, source: 'backend', ...tls,
        ...(target ? { backend: `${target.host}:${target.port}` } : {}),
        upstreamUrl: escapeUri(match.upstreamPath) + queryOf(req.path),
        upstreamHost: upstreamHost(match, host),
      };
    },
  };
}
