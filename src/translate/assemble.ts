// Route plans and certificates → the KongConfig, sorted for byte-stable output.
import type { V1Service } from '@kubernetes/client-node';
import type {
  KongCertificate, KongConfig, KongRoute, KongService, KongUpstream, RouterFlavor,
} from '../kong/declarative.ts';
import { entityId, targetId } from './entity-ids.ts';
import type { BackendPlan, UpstreamPlan } from './backends.ts';
import { routeExpression, routePriority } from './expressions.ts';
import { compareStrings, sortedStrings } from './objects.ts';
import type { RoutePlan } from './route-plans.ts';
import { tagsFor } from './tags.ts';

function matchFields(plan: RoutePlan, flavor: RouterFlavor): Partial<KongRoute> {
  if (flavor === 'expressions') return { expression: routeExpression(plan), priority: routePriority(plan) };
  const { methods, headers, snis } = plan.options;
  return {
    ...(plan.hosts.length > 0 ? { hosts: [...plan.hosts] } : {}),
    paths: sortedStrings(plan.paths.flatMap((p) => p.kongPaths)),
    ...(methods ? { methods: [...methods] } : {}),
    ...(headers ? { headers: structuredClone(headers) } : {}),
    ...(snis ? { snis: [...snis] } : {}),
  };
}

function regexPriority(plan: RoutePlan, flavor: RouterFlavor): number {
  if (flavor === 'expressions' || plan.isDefaultBackend) return 0;
  // An Exact path's regex must outrank the `~/foo$` regex of a Prefix /foo.
  return plan.options.regexPriority + (plan.exact ? 1 : 0);
}

export function toKongRoute(plan: RoutePlan, flavor: RouterFlavor): KongRoute {
  const { options } = plan;
  return {
    id: entityId('routes', plan.name),
    name: plan.name,
    protocols: [...options.protocols],
    ...matchFields(plan, flavor),
    strip_path: options.stripPath,
    preserve_host: options.preserveHost,
    regex_priority: regexPriority(plan, flavor),
    path_handling: options.pathHandling,
    https_redirect_status_code: options.httpsRedirectStatusCode,
    request_buffering: options.requestBuffering,
    response_buffering: options.responseBuffering,
    tags: tagsFor('Ingress', plan.ingress),
  };
}

function toKongService(backend: BackendPlan): KongService {
  const { options } = backend;
  return {
    id: entityId('services', backend.kongServiceName),
    name: backend.kongServiceName,
    protocol: options.protocol,
    host: backend.host,
    port: backend.port,
    ...(options.path === undefined ? {} : { path: options.path }),
    retries: options.retries,
    connect_timeout: options.connectTimeout,
    read_timeout: options.readTimeout,
    write_timeout: options.writeTimeout,
    tags: tagsFor('Service', backend.service),
    routes: [],
  };
}

function toKongUpstream(upstream: UpstreamPlan, service: V1Service): KongUpstream {
  const id = entityId('upstreams', upstream.name);
  const tags = tagsFor('Service', service);
  return {
    id,
    name: upstream.name,
    algorithm: 'round-robin',
    ...(upstream.hostHeader === undefined ? {} : { host_header: upstream.hostHeader }),
    tags,
    targets: upstream.targets.map((target) => ({ id: targetId(id, target), target, weight: 100, tags: [...tags] })),
  };
}

export interface AssembleInput {
  routes: readonly RoutePlan[];
  certificates: KongCertificate[];
  flavor: RouterFlavor;
}

export function assembleConfig(input: AssembleInput): KongConfig {
  const services = new Map<string, KongService>();
  const upstreams = new Map<string, KongUpstream>();
  for (const plan of input.routes) {
    const { backend } = plan;
    let service = services.get(backend.kongServiceName);
    if (!service) {
      service = toKongService(backend);
      services.set(backend.kongServiceName, service);
      if (backend.upstream) upstreams.set(backend.upstream.name, toKongUpstream(backend.upstream, backend.service));
    }
    service.routes.push(toKongRoute(plan, input.flavor));
  }
  for (const service of services.values()) service.routes.sort((a, b) => compareStrings(a.name, b.name));
  return {
    _format_version: '3.0',
    services: [...services.values()].sort((a, b) => compareStrings(a.name, b.name)),
    upstreams: [...upstreams.values()].sort((a, b) => compareStrings(a.name, b.name)),
    certificates: input.certificates,
  };
}
