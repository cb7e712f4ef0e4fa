// The ATC router (traditional_compatible and expressions flavors): each
// (sub-)route becomes an expression plus a 64-bit priority; matchers are
// tried by descending (priority, uuid) and the first match wins.
import { compatExpression, splitHostPort } from './compat-expression.ts';
import { evaluate, ExpressionError, parseExpression, type EvalState, type Expr, type ExprContext } from './expression.ts';
import { compatPriority, expressionPriority, splitRoute } from './priority.ts';
import { routerRequestPath } from './uri-normalize.ts';
import type { KongEntity, RouterModelFlavor, RouterRequest } from './types.ts';

export interface AtcMatcher {
  id: string;
  priority: bigint;
  route: KongEntity;
  service: KongEntity | null;
  expr: Expr;
}

export interface AtcHit {
  matcher: AtcMatcher;
  requestPath: string;
  matchedPath: string | undefined;
}

const HTTP_PROTOCOLS = new Set(['http', 'https', 'grpc', 'grpcs']);

function isHttpRoute(route: KongEntity): boolean {
  const protocols = route['protocols'];
  const first: unknown = Array.isArray(protocols) ? protocols[0] : 'http';
  return HTTP_PROTOCOLS.has(String(first));
}

function hasExpression(route: KongEntity): boolean {
  return typeof route['expression'] === 'string';
}

/** Kong logs and skips routes whose expression does not compile. */
function compile(source: string): Expr | null {
  try {
    return parseExpression(source);
  } catch (e) {
    if (e instanceof ExpressionError) return null;
    throw e;
  }
}

function matchersFor(route: KongEntity, service: KongEntity | null, flavor: RouterModelFlavor): AtcMatcher[] {
  if (flavor === 'expressions' && hasExpression(route)) {
    const expr = compile(String(route['expression']));
    return expr ? [{ id: String(route['id']), priority: expressionPriority(route), route, service, expr }] : [];
  }
  // Kong's expressions flavor does not split routes; traditional_compatible does.
  const subRoutes = flavor === 'expressions' ? [{ id: String(route['id']), route, view: route }] : splitRoute(route);
  const out: AtcMatcher[] = [];
  for (const sub of subRoutes) {
    const source = compatExpression(sub.view).expression;
    const expr = source === '' ? null : compile(source);
    if (expr) out.push({ id: sub.id, priority: compatPriority(sub.view), route, service, expr });
  }
  return out;
}

/** BTreeMap<(priority, uuid)> iterated in reverse: higher priority, then larger uuid. */
function byPriorityDesc(a: AtcMatcher, b: AtcMatcher): number {
  if (a.priority !== b.priority) return a.priority > b.priority ? -1 : 1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export function buildAtcMatchers(
  routes: readonly KongEntity[], serviceOf: (route: KongEntity) => KongEntity | null, flavor: RouterModelFlavor,
): AtcMatcher[] {
  return routes.filter(isHttpRoute).flatMap((r) => matchersFor(r, serviceOf(r), flavor)).sort(byPriorityDesc);
}

function headerContext(req: RouterRequest, ctx: ExprContext): void {
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    if (name.toLowerCase() === 'host') continue;
    const key = `http.headers.${name.toLowerCase().replaceAll('-', '_')}`;
    const values = typeof value === 'string' ? [value] : [...value];
    const existing = ctx[key];
    ctx[key] = Array.isArray(existing) ? [...(existing as string[]), ...values] : values;
  }
}

export function requestContext(req: RouterRequest, requestPath: string): ExprContext {
  const scheme = req.scheme ?? 'http';
  const { host, port } = splitHostPort(req.host);
  const ctx: ExprContext = {
    'http.method': req.method,
    'http.host': host,
    'http.path': requestPath,
    'net.protocol': scheme,
    // Kong takes the port of the Host header first (ctx.host_port), then the listener's.
    'net.dst.port': port ?? req.port ?? (scheme === 'https' ? 443 : 80),
  };
  if (req.sni !== undefined) ctx['tls.sni'] = req.sni;
  headerContext(req, ctx);
  return ctx;
}

export function matchAtc(matchers: readonly AtcMatcher[], req: RouterRequest): AtcHit | null {
  const requestPath = routerRequestPath(req.path);
  const ctx = requestContext(req, requestPath);
  for (const matcher of matchers) {
    const state: EvalState = {};
    if (evaluate(matcher.expr, ctx, state)) return { matcher, requestPath, matchedPath: state.matchedPath };
  }
  return null;
}
