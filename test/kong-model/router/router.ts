// buildRouter: the model of Kong's HTTP router for one set of entities.
import { buildAtcMatchers, matchAtc } from './atc-router.ts';
import { splitHostPort } from './compat-expression.ts';
import { buildTraditionalEntries, matchTraditional } from './traditional-router.ts';
import type { KongEntity, RouteMatch, Router, RouterEntities, RouterOptions, RouterRequest } from './types.ts';
import { upstreamPath } from './upstream-path.ts';

function idOf(ref: unknown): string | undefined {
  if (typeof ref === 'string') return ref;
  if (ref && typeof ref === 'object' && 'id' in ref) return String((ref).id);
  return undefined;
}

function serviceLookup(entities: RouterEntities): (route: KongEntity) => KongEntity | null {
  const byId = new Map(entities.services.map((s) => [String(s['id']), s]));
  return (route) => {
    const id = idOf(route['service']);
    return id === undefined ? null : byId.get(id) ?? null;
  };
}

const HTTP_SUBSYSTEM = new Set(['http', 'https', 'grpc', 'grpcs']);

function servicePath(service: KongEntity | null): string | null {
  if (!service || !HTTP_SUBSYSTEM.has(String(service['protocol']))) return null;
  const path = service['path'];
  return typeof path === 'string' ? path : null;
}

/** kong/runloop/handler.lua: an https-only route matched over http. */
function httpsRequirement(route: KongEntity, req: RouterRequest): RouteMatch['httpsRequired'] {
  const protocols = Array.isArray(route['protocols']) ? route['protocols'] as unknown[] : [];
  if ((req.scheme ?? 'http') === 'https' || !protocols.includes('https') || protocols.includes('http')) return undefined;
  const status = Number(route['https_redirect_status_code'] ?? 426);
  return status === 426 ? { status } : { status, location: `https://${splitHostPort(req.host).host}${req.path}` };
}

interface Hit {
  route: KongEntity;
  service: KongEntity | null;
  matcherId: string;
  requestPath: string;
  matchedPath: string | undefined;
}

function toMatch(hit: Hit, req: RouterRequest): RouteMatch {
  const strip = hit.route['strip_path'] === true;
  const stripped = strip ? hit.matchedPath : undefined;
  const httpsRequired = httpsRequirement(hit.route, req);
  return {
    route: hit.route,
    service: hit.service,
    matcherId: hit.matcherId,
    requestPath: hit.requestPath,
    matchedPath: hit.matchedPath,
    stripped,
    upstreamPath: upstreamPath(servicePath(hit.service), stripped, hit.requestPath, strip),
    upstreamHost: hit.route['preserve_host'] === true ? req.host : undefined,
    ...(httpsRequired ? { httpsRequired } : {}),
  };
}

/**
 * Builds the router Kong would build from these entities. Routes whose
 * expression Kong could not compile are left out, as Kong does (it logs them).
 */
export function buildRouter(entities: RouterEntities, opts: RouterOptions): Router {
  const serviceOf = serviceLookup(entities);
  if (opts.flavor === 'traditional') {
    const entries = buildTraditionalEntries(entities.routes, serviceOf);
    return {
      match(req) {
        const hit = matchTraditional(entries, req);
        if (!hit) return null;
        const { entry } = hit;
        return toMatch({ route: entry.route, service: entry.service, matcherId: String(entry.route['id']),
          requestPath: hit.requestPath, matchedPath: hit.matchedPath }, req);
      },
    };
  }
  const matchers = buildAtcMatchers(entities.routes, serviceOf, opts.flavor);
  return {
    match(req) {
      const hit = matchAtc(matchers, req);
      if (!hit) return null;
      const { matcher } = hit;
      return toMatch({ route: matcher.route, service: matcher.service, matcherId: matcher.id,
        requestPath: hit.requestPath, matchedPath: hit.matchedPath }, req);
    },
  };
}
