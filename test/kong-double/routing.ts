// Which backend a proxied request would reach, through the router model of
// the double's loaded routes and services. TEMPORARY naive matcher until the
// router model (src/kong/router) lands.
import type { DoubleState } from './double-state.ts';
import type { DoubleRecord } from './store.ts';
import { foreignIdOf } from './store.ts';

export interface DoubleRouteRequest {
  method?: string;
  host?: string;
  path: string;
  scheme?: 'http' | 'https';
  headers?: Record<string, string>;
}

export interface DoubleRouteResult {
  /** 200 when a route matched; 404 (`no Route matched with those values`) otherwise; 426 etc. for https-only. */
  status: number;
  route?: DoubleRecord;
  service?: DoubleRecord;
  /** `host:port` the request would be sent to. */
  backend?: string;
  /** Path sent upstream. */
  upstreamPath?: string;
}

export function routeRequest(state: DoubleState, request: DoubleRouteRequest): DoubleRouteResult {
  const routes = state.store.list('routes');
  const host = (request.host ?? '').split(':')[0];
  const route = routes.find((r) => {
    const hosts = r.hosts as string[] | null;
    const paths = r.paths as string[] | null;
    const hostOk = !hosts || hosts.includes(host ?? '');
    const pathOk = !paths || paths.some((p) => (p.startsWith('~') ? new RegExp(`^${p.slice(1)}`).test(request.path) : request.path.startsWith(p)));
    return hostOk && pathOk;
  });
  if (!route) return { status: 404 };
  const serviceId = foreignIdOf(route.service);
  const service = serviceId ? state.store.get('services', serviceId) : undefined;
  return { status: 200, route, ...(service ? { service, backend: `${String(service.host)}:${String(service.port)}` } : {}) };
}
