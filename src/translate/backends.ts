// Ingress backend → where Kong sends the traffic, per the MeshDoor's upstream
// mode (README.md#backends); ExternalName Services only when they name a mesh
// address or an allow-listed host (confused-deputy risk, CVE-2021-25740).
import type { V1IngressBackend, V1Service, V1ServicePort } from '@kubernetes/client-node';
import { InvalidAnnotationError } from './annotation-values.ts';
import type { TranslateContext } from './context.ts';
import { endpointTargets } from './endpoints.ts';
import { externalNameAddress } from './external-name.ts';
import { kongServiceName, upstreamName } from './naming.ts';
import { ON_SERVICE, referrerPlugins, reportPluginFailures } from './plugin-refs.ts';
import type { AttachedPlugins, PluginProblem } from './plugin-refs.ts';
import type { ServiceOptions } from './service-annotations.ts';
import type { KeyedRef } from './objects.ts';
import type { FailureReason, KongService, KongUpstream } from '../model/index.ts';


export interface UpstreamPlan {
  name: string;
  /** `host:port` targets, sorted and unique; empty when no endpoint is ready. */
  targets: string[];
  hostHeader?: string;
}

export interface BackendPlan {
  kongServiceName: string;
  service: V1Service;
  /** The Service's ref, key and tags (the translator's, shared by every backend of the Service). */
  serviceRef: KeyedRef;
  /** The backend port as written in the Ingress (number or name). */
  portToken: string;
  host: string;
  port: number;
  upstream?: UpstreamPlan;
  options: ServiceOptions;
  /** The Service's konghq.com/plugins, on its Kong service. */
  plugins?: AttachedPlugins;
  /**
   * Its Kong entities, once made (assemble.ts): slots of the plan, not a map
   * entry or an object of their own per backend. `entitiesOf` names the plan
   * they were made for: a copy of a backend carries the slots.
   */
  kongUpstream: KongUpstream | undefined;
  /** The Kong service last assembled from this backend, routes included. */
  kongService: KongService | undefined;
  entitiesOf: BackendPlan | undefined;
}

export interface BackendProblem {
  reason: FailureReason;
  message: string;
  /** Also report it on this Service (its own spec or annotations are at fault). */
  service?: V1Service;
}

export type BackendResult = { plan: BackendPlan } | { problem: BackendProblem } | { excluded: true };

interface ResolveInput {
  namespace: string;
  name: string;
  service: V1Service;
  serviceRef: KeyedRef;
  portToken: string;
  portNumber?: number;
  options: ServiceOptions;
  plugins?: AttachedPlugins;
}

function problem(reason: FailureReason, message: string, service?: V1Service): { problem: BackendProblem } {
  return { problem: service ? { reason, message, service } : { reason, message } };
}

function findServicePort(service: V1Service, port: { number?: number; name?: string }): V1ServicePort | undefined {
  const ports = service.spec?.ports ?? [];
  // A loop, not find(): no closure for each of the ten thousand backends of a cold pass.
  for (let i = 0; i < ports.length; i += 1) {
    const candidate = ports[i] as V1ServicePort;
    if (port.name !== undefined ? candidate.name === port.name : candidate.port === port.number) return candidate;
  }
  return undefined;
}

/** Gives a backend its own upstream when Kong needs one for the Host header. */
function withHostHeader(plan: BackendPlan, input: ResolveInput): BackendPlan {
  const hostHeader = input.options.hostHeader;
  if (hostHeader === undefined) return plan;
  if (plan.upstream) return { ...plan, upstream: { ...plan.upstream, hostHeader } };
  const name = upstreamName(input.namespace, input.name, input.portToken);
  return { ...plan, host: name, upstream: { name, targets: [`${plan.host}:${plan.port}`], hostHeader } };
}

function basePlan(input: ResolveInput, host: string, port: number): BackendPlan {
  const plan: BackendPlan = {
    kongServiceName: kongServiceName(input.namespace, input.name, input.portToken),
    service: input.service,
    serviceRef: input.serviceRef,
    portToken: input.portToken,
    host,
    port,
    options: input.options,
    kongUpstream: undefined,
    kongService: undefined,
    entitiesOf: undefined,
  };
  if (input.plugins) plan.plugins = input.plugins;
  return plan;
}

/**
 * The port an ExternalName backend names: its number, or a port the Service
 * declares by that name (how a MeshService name's real port is written down).
 */
function externalNamePort(input: ResolveInput): number | undefined {
  if (input.portNumber !== undefined) return input.portNumber;
  return input.service.spec?.ports?.find((p) => p.name === input.portToken)?.port;
}

function resolveExternalName(ctx: TranslateContext, input: ResolveInput): BackendResult {
  const port = externalNamePort(input);
  if (port === undefined) {
    return problem('PortNotFound', `backend ${input.name}: an ExternalName Service needs a numeric backend port or the name of one of its spec.ports, not '${input.portToken}'`);
  }
  const address = externalNameAddress(input.service.spec?.externalName ?? '', port, ctx.settings);
  if ('refused' in address) return problem('ExternalNameRefused', `Service ${input.namespace}/${input.name}: ${address.refused}`, input.service);
  return { plan: withHostHeader(basePlan(input, address.host, address.port), input) };
}

function resolveClusterService(ctx: TranslateContext, input: ResolveInput, servicePort: V1ServicePort): BackendResult {
  const { namespace, name } = input;
  const { clusterDomain, mesh, upstreamMode } = ctx.settings;
  if (upstreamMode === 'mesh') {
    // Legacy Kuma VIPs listen on the VIP port whatever port the name carries.
    return { plan: withHostHeader(basePlan(input, `${name}.${namespace}.svc.${servicePort.port}.${mesh.domain}`, mesh.vipPort), input) };
  }
  // join: one flat string (the host is kept in the Kong service and serialized with it).
  const clusterHost = [name, namespace, 'svc', clusterDomain].join('.');
  if (upstreamMode !== 'endpoints') {
    return { plan: withHostHeader(basePlan(input, clusterHost, servicePort.port), input) };
  }
  const upstream = upstreamName(namespace, name, input.portToken);
  const targets = input.options.serviceUpstream
    ? [`${clusterHost}:${servicePort.port}`]
    : endpointTargets(ctx.index.lookupEndpointSlices(namespace, name), servicePort);
  const plan = { ...basePlan(input, upstream, servicePort.port), upstream: { name: upstream, targets } };
  return { plan: withHostHeader(plan, input) };
}

/** Plugins of a Service that cannot all be applied: no route reaches its Kong services. */
function servicePluginsProblem(ctx: TranslateContext, service: V1Service, failures: PluginProblem[]): { problem: BackendProblem } {
  const own = failures.filter((f) => f.object.kind === 'Service');
  reportPluginFailures(ctx.failures, failures.filter((f) => f.object.kind !== 'Service'));
  const first = own[0] ?? failures[0];
  const where = `Service ${service.metadata?.namespace ?? ''}/${service.metadata?.name ?? ''}`;
  const message = `${own.map((f) => f.message).join('; ')}; no route to ${where} is configured`;
  return problem(first?.reason ?? 'PluginNotFound', message.startsWith(where) ? message : `${where}: ${message}`, service);
}

/** Resolves the backend of an Ingress path (or default backend) in `namespace`. */
export function resolveBackend(ctx: TranslateContext, namespace: string, backend: V1IngressBackend | undefined): BackendResult {
  if (backend?.resource) return problem('UnsupportedBackend', `resource backend ${backend.resource.kind}/${backend.resource.name} is not supported; use a Service backend`);
  const ref = backend?.service;
  if (!ref?.name) return problem('InvalidBackend', 'backend has no service name');
  const portNumber = ref.port?.number;
  const portName = ref.port?.name;
  if ((portNumber === undefined) === (portName === undefined)) {
    return problem('PortNotFound', `backend ${ref.name}: set exactly one of port.number and port.name`);
  }
  const service = ctx.index.lookupService(namespace, ref.name);
  if (service && ctx.isExcluded('Service', service)) return { excluded: true };
  if (!service) return problem('ServiceNotFound', `Service ${namespace}/${ref.name} does not exist`);
  const options = ctx.serviceOptions(service);
  if (options instanceof InvalidAnnotationError) return problem('InvalidAnnotation', `Service ${namespace}/${ref.name}: ${options.message}`, service);
  const plugins = referrerPlugins(ctx, 'Service', service, ON_SERVICE);
  if (!plugins.ok) return servicePluginsProblem(ctx, service, plugins.failures);
  const input: ResolveInput = { namespace, name: ref.name, service, serviceRef: ctx.index.serviceRef(service), portToken: String(portNumber ?? portName), options };
  if (portNumber !== undefined) input.portNumber = portNumber;
  if (plugins.attached) input.plugins = plugins.attached;
  if (service.spec?.type === 'ExternalName') return resolveExternalName(ctx, input);
  const servicePort = findServicePort(service, { number: portNumber, name: portName });
  if (!servicePort) return problem('PortNotFound', `Service ${namespace}/${ref.name} has no port ${input.portToken}`);
  return resolveClusterService(ctx, input, servicePort);
}
