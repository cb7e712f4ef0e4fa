// Model of Kong's HTTP router: which route (and service, upstream path and
// backend) Kong would pick for a request.
export { buildRouter } from './router.ts';
export { resolveBackend, parseTarget, type Backend, type BackendTarget } from './backend.ts';
export { upstreamPath } from './upstream-path.ts';
export { normalizeUri, routerRequestPath } from './uri-normalize.ts';
export { compatPriority, splitRoute, groupPaths, SPLIT_ROUTE_NAMESPACE } from './priority.ts';
export { compatExpression } from './compat-expression.ts';
export type {
  KongEntity, RouteMatch, Router, RouterEntities, RouterModelFlavor, RouterOptions, RouterRequest,
} from './types.ts';
