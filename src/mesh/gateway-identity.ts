// PURE: the `kuma.io/service` tag Kuma gives the gateway's Dataplane, i.e. the
// name a MeshTrafficPermission must use for traffic from the gateway. Kuma
// takes the first inbound (port) of the first Service, by name, that selects
// the pod, skipping ExternalName Services and those annotated
// `kuma.io/ignore: "true"`; with none, `<workload>_<namespace>_svc`.
import type { V1Service } from '@kubernetes/client-node';

export const IGNORE_ANNOTATION = 'kuma.io/ignore';

export interface GatewayIdentity {
  /** The `kuma.io/service` value, e.g. `kong-proxy_kong_svc_80`. */
  service: string;
  /** `namespace/name` of the Service it comes from; absent for the service-less tag. */
  fromService?: string;
  /** Set when the identity is not the proxy (publish) Service. */
  warning?: string;
}

function selects(service: V1Service, podLabels: Record<string, string>): boolean {
  const selector = service.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => podLabels[k] === v);
}

function candidate(service: V1Service, namespace: string, podLabels: Record<string, string>): boolean {
  return service.metadata?.namespace === namespace
    && service.spec?.type !== 'ExternalName'
    && service.metadata.annotations?.[IGNORE_ANNOTATION] !== 'true'
    && (service.spec?.ports?.length ?? 0) > 0
    && selects(service, podLabels);
}

export interface GatewayIdentityInput {
  services: readonly V1Service[];
  namespace: string;
  /** The workload (Deployment) name, for the service-less tag. */
  workload: string;
  /** Labels of the gateway's pod template. */
  podLabels: Record<string, string>;
  /** `namespace/name` of the Service Kong's proxy is published through. */
  proxyService?: string;
}

export function gatewayIdentity(input: GatewayIdentityInput): GatewayIdentity {
  const first = input.services
    .filter((s) => candidate(s, input.namespace, input.podLabels))
    .sort((a, b) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1))[0];
  const port = first?.spec?.ports?.[0]?.port;
  if (!first || port === undefined) {
    return withWarning(input, { service: `${input.workload}_${input.namespace}_svc` });
  }
  const name = first.metadata?.name ?? '';
  return withWarning(input, { service: `${name}_${input.namespace}_svc_${port}`, fromService: `${input.namespace}/${name}` });
}

function withWarning(input: GatewayIdentityInput, identity: GatewayIdentity): GatewayIdentity {
  if (!input.proxyService || identity.fromService === input.proxyService) return identity;
  const from = identity.fromService ? `Service ${identity.fromService}` : 'no Service (none selects the gateway pods)';
  return {
    ...identity,
    warning: `the gateway's mesh identity is ${identity.service}, taken from ${from}, not from the proxy Service ${input.proxyService}: `
      + `Kuma uses the first Service by name that selects the gateway pods; annotate the others ${IGNORE_ANNOTATION}: "true"`,
  };
}
