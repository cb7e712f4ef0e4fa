// Route plans and certificates → the KongConfig, sorted for byte-stable output.
import type {
  KongCertificate, KongConfig, KongProtocol, KongRoute, KongService, KongUpstream, RouterFlavor,
} from '../model/index.ts';
import { freezeDeep, freezeWithMembers } from '../model/index.ts';
import type { EntityIds } from './entity-ids.ts';
import type { BackendPlan, UpstreamPlan } from './backends.ts';
import { routeExpression, routePriority } from './expressions.ts';
import { compareStrings, sortSmall } from './objects.ts';
import type { KeyedRef } from './objects.ts';
import type { TranslatedPath } from './paths.ts';
import type { RoutePlan } from './route-plans.ts';
import type { ObjectTags } from './tags.ts';

/** Kong `paths`: every path's, sorted and unique (sorted first: no Set per route). */
function kongPathsOf(plan: RoutePlan): readonly string[] {
  const [only] = plan.paths;
  // One path (most routes): its Kong paths are sorted and unique already.
  if (plan.paths.length === 1 && only) return only.kongPaths;
  const [first, second] = plan.paths;
  // Two paths (the other common case): one exact-length list, not one grown by push.
  const all: string[] = plan.paths.length === 2 && first && second ? first.kongPaths.concat(second.kongPaths) : [];
  if (all.length === 0) for (let p = 0; p < plan.paths.length; p += 1) all.push(...(plan.paths[p] as TranslatedPath).kongPaths);
  sortSmall(all, compareStrings);
  let kept = 0;
  for (let i = 0; i < all.length; i += 1) if (kept === 0 || all[kept - 1] !== all[i]) all[kept++] = all[i] as string;
  // An exact copy when needed: the array grown by push would keep its spare slots for the route's life.
  return kept === all.length && plan.paths.length === 2 ? all : all.slice(0, kept);
}

/** Adds the match fields in the order Kong's schema lists them (byte-stable output). */
function addMatchFields(route: KongRoute, plan: RoutePlan, flavor: RouterFlavor): void {
  if (flavor === 'expressions') {
    route.expression = routeExpression(plan);
    route.priority = routePriority(plan);
    return;
  }
  const { methods, headers, snis } = plan.options;
  if (plan.hosts.length > 0) route.hosts = plan.hosts;
  route.paths = kongPathsOf(plan);
  if (methods) route.methods = [...methods];
  if (headers) route.headers = structuredClone(headers);
  if (snis) route.snis = [...snis];
}

function regexPriority(plan: RoutePlan, flavor: RouterFlavor): number {
  if (flavor === 'expressions' || plan.isDefaultBackend) return 0;
  // An Exact path's regex must outrank the `~/foo$` regex of a Prefix /foo.
  return plan.options.regexPriority + (plan.exact ? 1 : 0);
}

/** How entities are named and tagged: a translator's remembered ids and tags. */
interface Labels {
  ids: EntityIds;
  tags: ObjectTags;
}

// No spreads: a 10k-Ingress pass makes these by the ten thousand.
function toKongRoute(plan: RoutePlan, flavor: RouterFlavor, labels: Labels): KongRoute {
  const { options } = plan;
  if (flavor === 'expressions' || plan.hosts.length === 0 || options.methods || options.headers || options.snis) return routeFieldByField(plan, flavor, labels);
  // The common shape as one literal: its fields sit in the object itself, not
  // in a property array grown (and copied) field by field.
  const route: KongRoute = {
    id: labels.ids.entityFor(plan.ingressRef, 'routes', plan.name),
    name: plan.name,
    protocols: options.protocols,
    hosts: plan.hosts,
    paths: kongPathsOf(plan),
    strip_path: options.stripPath,
    preserve_host: options.preserveHost,
    regex_priority: regexPriority(plan, flavor),
    path_handling: options.pathHandling,
    https_redirect_status_code: options.httpsRedirectStatusCode,
    request_buffering: options.requestBuffering,
    response_buffering: options.responseBuffering,
    tags: labels.tags.ofRef(plan.ingressRef),
  };
  // Its tags are frozen already (tags.ts).
  return freezeWithMembers(route, route.protocols, route.hosts, route.paths);
}

function routeFieldByField(plan: RoutePlan, flavor: RouterFlavor, { ids, tags }: Labels): KongRoute {
  const { options } = plan;
  const protocols: readonly KongProtocol[] = options.protocols;
  const route = { id: ids.entityFor(plan.ingressRef, 'routes', plan.name), name: plan.name, protocols } as KongRoute;
  addMatchFields(route, plan, flavor);
  route.strip_path = options.stripPath;
  route.preserve_host = options.preserveHost;
  route.regex_priority = regexPriority(plan, flavor);
  route.path_handling = options.pathHandling;
  route.https_redirect_status_code = options.httpsRedirectStatusCode;
  route.request_buffering = options.requestBuffering;
  route.response_buffering = options.responseBuffering;
  route.tags = tags.ofRef(plan.ingressRef);
  return freezeDeep(route);
}

/** A Kong service with its routes, built once (routes last, as Kong's schema lists them). */
function toKongService(backend: BackendPlan, { ids, tags }: Labels, routes: KongRoute[]): KongService {
  const { options } = backend;
  const id = ids.entityFor(backend.serviceRef, 'services', backend.kongServiceName);
  // One literal per shape: fields added one by one would grow a property store (ten thousand services at 10k).
  if (options.path === undefined) {
    return {
      id,
      name: backend.kongServiceName,
      protocol: options.protocol,
      host: backend.host,
      port: backend.port,
      retries: options.retries,
      connect_timeout: options.connectTimeout,
      read_timeout: options.readTimeout,
      write_timeout: options.writeTimeout,
      tags: tags.ofRef(backend.serviceRef),
      routes,
    };
  }
  return {
    id,
    name: backend.kongServiceName,
    protocol: options.protocol,
    host: backend.host,
    port: backend.port,
    path: options.path,
    retries: options.retries,
    connect_timeout: options.connectTimeout,
    read_timeout: options.readTimeout,
    write_timeout: options.writeTimeout,
    tags: tags.ofRef(backend.serviceRef),
    routes,
  };
}

function toKongUpstream(upstream: UpstreamPlan, service: KeyedRef, labels: Labels): KongUpstream {
  const id = labels.ids.entityFor(service, 'upstreams', upstream.name);
  const tags = labels.tags.ofRef(service);
  return {
    id,
    name: upstream.name,
    algorithm: 'round-robin',
    ...(upstream.hostHeader === undefined ? {} : { host_header: upstream.hostHeader }),
    tags,
    targets: upstream.targets.map((target) => ({ id: labels.ids.target(id, target), target, weight: 100, tags })),
  };
}

/**
 * Incremental translation, step three: the Kong entities of a route plan or
 * backend reused from an earlier pass are the (deep-frozen) entities made then,
 * and a service whose routes are all the same is the same service object.
 * They are kept in a slot of the plan itself (a map entry per route and
 * backend cost more than making some of them): they follow from the plan and
 * the flavor alone, as ids and tags follow from names and objects.
 */
export class KongEntities {
  constructor(private readonly labels: Labels) {}

  routeOf(plan: RoutePlan, flavor: RouterFlavor): KongRoute {
    if (plan.kongOf === plan && plan.kongFlavor === flavor && plan.kongRoute !== undefined) return plan.kongRoute;
    // Frozen deep as made (toKongRoute).
    const route = toKongRoute(plan, flavor, this.labels);
    plan.kongRoute = route;
    plan.kongFlavor = flavor;
    plan.kongOf = plan;
    return route;
  }

  /** The backend with its Kong upstream made (when it needs one). */
  backendOf(backend: BackendPlan): BackendPlan {
    // A copy of a backend carries the slots, with entities of the backend it was copied from.
    if (backend.entitiesOf === backend) return backend;
    backend.kongUpstream = backend.upstream ? freezeDeep(toKongUpstream(backend.upstream, backend.serviceRef, this.labels)) : undefined;
    backend.kongService = undefined;
    backend.entitiesOf = backend;
    return backend;
  }

  /** The id of a backend's Kong service (its name's: no service built for it). */
  serviceIdOf(backend: BackendPlan): string {
    return this.labels.ids.entityFor(backend.serviceRef, 'services', backend.kongServiceName);
  }

  /** The backend's Kong service with `routes`: the last one made while its routes are the same. */
  serviceWithRoutes(backend: BackendPlan, routes: KongRoute[], list: 'grown' | 'exact and kept'): KongService {
    const last = backend.kongService;
    if (last?.routes.length === routes.length && last.routes.every((route, i) => route === routes[i])) return last;
    // A list grown by push has spare slots: an exact copy is kept. A list of the
    // caller's that is exact and never changed again is kept itself (frozen with the service).
    const kept = list === 'grown' ? routes.slice() : routes;
    // The first service of a backend is built with its routes (not built, then copied with them).
    const service = last ? { ...last, routes: kept } : toKongService(backend, this.labels, kept);
    // A service's only object members are its tags (frozen already, tags.ts) and routes (each frozen deep already).
    backend.kongService = freezeWithMembers(service, service.routes);
    return backend.kongService;
  }
}

export const byName = (a: { name: string }, b: { name: string }): number => compareStrings(a.name, b.name);

export interface AssembleInput {
  entities: KongEntities;
  routes: readonly RoutePlan[];
  certificates: KongCertificate[];
  flavor: RouterFlavor;
}

export function assembleConfig(input: AssembleInput): KongConfig {
  const groups = new Map<string, { backend: BackendPlan; routes: KongRoute[] }>();
  for (const plan of input.routes) {
    const name = plan.backend.kongServiceName;
    let group = groups.get(name);
    if (!group) {
      group = { backend: input.entities.backendOf(plan.backend), routes: [] };
      groups.set(name, group);
    }
    group.routes.push(input.entities.routeOf(plan, input.flavor));
  }
  const services: KongService[] = [];
  const upstreams: KongUpstream[] = [];
  for (const { backend, routes } of groups.values()) {
    services.push(input.entities.serviceWithRoutes(backend, routes.sort(byName), 'grown'));
    if (backend.kongUpstream) upstreams.push(backend.kongUpstream);
  }
  return {
    _format_version: '3.0',
    services: services.sort(byName),
    upstreams: upstreams.sort(byName),
    certificates: input.certificates,
  };
}
