// Which backend a proxied request would reach, through the router model
// (test/kong-model/router) built from the double's current routes and services.
import { buildRouter, resolveBackend } from '../kong-model/router/index.ts';
import type { BackendTarget } from '../kong-model/router/index.ts';
import type { DoubleState } from './double-state.ts';
import type { DoubleRecord } from './store.ts';

export interface DoubleRouteRequest {
  method?: string;
  /** Host header, optionally with a port. */
  host?: string;
  path: string;
  scheme?: 'http' | 'https';
  headers?: Record<string, string>;
  sni?: string;
}

export interface DoubleRouteResult {
  /** 200 when a route matched; 404 (`no Route matched with those values`); 426/301/302/307/308 for https-only routes. */
  status: number;
  route?: DoubleRecord;
  service?: DoubleRecord;
  /** `host:port` the request goes to (an upstream's first target when the service host names an upstream). */
  backend?: string;
  /** All targets when the service host names an upstream. */
  targets?: BackendTarget[];
  /** Path sent upstream. */
  upstreamPath?: string;
  /** Host header sent upstream with preserve_host. */
  upstreamHost?: string;
  /** Location of an https redirect. */
  location?: string;
}

function backendOf(result: DoubleRouteResult, backend: ReturnType<typeof resolveBackend>): void {
  if (backend === null) return;
  if (backend.kind === 'host') {
    result.backend = `${backend.host}:${backend.port}`;
    return;
  }
  result.targets = backend.targets;
  const first = backend.targets[0];
  if (first) result.backend = `${first.host}:${first.port}`;
}

export function routeRequest(state: DoubleState, request: DoubleRouteRequest): DoubleRouteResult {
  const entities = {
    services: state.store.list('services'), routes: state.store.list('routes'),
    upstreams: state.store.list('upstreams'), targets: state.store.list('targets'),
  };
  const router = buildRouter(entities, { flavor: state.options.routerFlavor });
  const match = router.match({
    method: request.method ?? 'GET', host: request.host ?? '', path: request.path, scheme: request.scheme ?? 'http',
    ...(request.headers ? { headers: request.headers } : {}), ...(request.sni ? { sni: request.sni } : {}),
  });
  if (match === null) return { status: 404 };
  if (match.httpsRequired) {
    return { status: match.httpsRequired.status, route: match.route, ...(match.httpsRequired.location ? { location: match.httpsRequired.location } : {}) };
  }
  const result: DoubleRouteResult = { status: 200, route: match.route, upstreamPath: match.upstreamPath };
  if (match.service) result.service = match.service;
  if (match.upstreamHost !== undefined) result.upstreamHost = match.upstreamHost;
  backendOf(result, resolveBackend(match, entities));
  return result;
}
