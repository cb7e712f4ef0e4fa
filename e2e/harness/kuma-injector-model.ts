// PURE: a stand-in for Kuma 2.14's sidecar injector, for what meshdoor depends
// on, calibrated on what a real Kuma 2.14.3 did (test/mesh/kuma-injector-model.test.ts
// replays its recorded injection matrix row by row and compares the recorded
// injected gateway pod):
// - which of the Helm chart's two webhooks the API server calls (their
//   namespace and object selectors);
// - whether the injector injects (pod label first, then namespace label),
//   denies (a missing Mesh; a `kuma.io/gateway` value that is not a boolean),
//   or leaves the pod alone;
// - the injected pod: init containers kuma-init and kuma-sidecar (a native
//   sidecar, `restartPolicy: Always`), the `kuma.io/mesh` label, the
//   annotations, the tmp volumes, and the token mount rules.
import type { V1Container, V1Pod, V1VolumeMount } from '@kubernetes/client-node';

export const INJECTION_LABEL = 'kuma.io/sidecar-injection';
export const MESH_KEY = 'kuma.io/mesh';
export const GATEWAY_ANNOTATION = 'kuma.io/gateway';
export const TOKEN_VOLUME_ANNOTATION = 'kuma.io/service-account-token-volume';
export const TOKEN_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
export const NAMESPACE_WEBHOOK = 'namespace-kuma-injector.kuma.io';
export const PODS_WEBHOOK = 'pods-kuma-injector.kuma.io';

export interface NamespaceView {
  name: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface InjectorConfig {
  /** Meshes that exist. */
  meshes: ReadonlySet<string>;
  /** Kuma's own namespace; the chart's webhooks skip it and kube-system. */
  controlPlaneNamespace: string;
}

/**
 * The chart's webhooks the API server calls for a pod CREATE, in order. Both
 * require the namespace to carry the injection label key (Kuma ≥ 2.11) and
 * skip kube-system and Kuma's namespace; `namespace-kuma-injector` wants the
 * namespace value `enabled`/`true`, `pods-kuma-injector` the pod label
 * exactly `enabled`.
 */
export function webhooksCalled(ns: NamespaceView, podLabels: Record<string, string>, config: InjectorConfig): string[] {
  if (ns.name === 'kube-system' || ns.name === config.controlPlaneNamespace) return [];
  const value = ns.labels[INJECTION_LABEL];
  if (value === undefined) return [];
  const called: string[] = [];
  if (value === 'enabled' || value === 'true') called.push(NAMESPACE_WEBHOOK);
  if (podLabels[INJECTION_LABEL] === 'enabled') called.push(PODS_WEBHOOK);
  return called;
}

const TRUE_VALUES = ['enabled', 'true'];
const FALSE_VALUES = ['disabled', 'false'];

/** Pod label first (`disabled` included), then the namespace label. */
function wantsInjection(pod: V1Pod, ns: NamespaceView): boolean {
  const podValue = pod.metadata?.labels?.[INJECTION_LABEL];
  if (podValue !== undefined) return TRUE_VALUES.includes(podValue);
  return TRUE_VALUES.includes(ns.labels[INJECTION_LABEL] ?? '');
}

/** Pod label, pod annotation (deprecated, still honoured in 2.x), namespace label, namespace annotation, `default`. */
export function meshOf(pod: V1Pod, ns: NamespaceView): string {
  return pod.metadata?.labels?.[MESH_KEY] ?? pod.metadata?.annotations?.[MESH_KEY]
    ?? ns.labels[MESH_KEY] ?? ns.annotations?.[MESH_KEY] ?? 'default';
}

export type InjectResult = { allowed: true; pod: V1Pod } | { allowed: false; message: string };

function isGateway(pod: V1Pod): { gateway: boolean } | { wrong: string } {
  const value = pod.metadata?.annotations?.[GATEWAY_ANNOTATION];
  if (value === undefined || FALSE_VALUES.includes(value)) return { gateway: false };
  if (TRUE_VALUES.includes(value)) return { gateway: true };
  return { wrong: value };
}

/** What one call of Kuma's injector does to a pod. */
export function inject(pod: V1Pod, ns: NamespaceView, config: InjectorConfig): InjectResult {
  if (pod.metadata?.annotations?.['kuma.io/sidecar-injected'] === 'true' || !wantsInjection(pod, ns)) return { allowed: true, pod };
  const mesh = meshOf(pod, ns);
  if (!config.meshes.has(mesh)) return { allowed: false, message: `Mesh.kuma.io "${mesh}" not found` };
  const gateway = isGateway(pod);
  if ('wrong' in gateway) {
    return { allowed: false, message: `unable to set kuma.io/virtual-probes: annotation "${GATEWAY_ANNOTATION}" has wrong value "${gateway.wrong}"` };
  }
  return { allowed: true, pod: injected(pod, mesh, gateway.gateway) };
}

/**
 * The sidecar's token mount: the volume the annotation names (it must exist),
 * or else the mount an app container has at the default token path; none
 * otherwise (then the real kuma-dp exits at start).
 */
export function sidecarTokenMount(pod: V1Pod): V1VolumeMount | undefined {
  const named = pod.metadata?.annotations?.[TOKEN_VOLUME_ANNOTATION];
  if (named !== undefined) {
    return pod.spec?.volumes?.some((v) => v.name === named) ? { name: named, mountPath: TOKEN_DIR, readOnly: true } : undefined;
  }
  const app = [...(pod.spec?.containers ?? [])].flatMap((c) => c.volumeMounts ?? []);
  const mount = app.find((m) => m.mountPath.replace(/\/+$/, '') === TOKEN_DIR);
  return mount ? { ...mount } : undefined;
}

function initContainer(gateway: boolean): V1Container {
  return {
    name: 'kuma-init', image: 'docker.io/kumahq/kuma-init:2.14.3',
    command: ['/usr/bin/kumactl', 'install', 'transparent-proxy'],
    args: [...(gateway ? ['--redirect-inbound=false'] : []), '--redirect-all-dns-traffic', '--verbose'],
    securityContext: { runAsUser: 0, runAsGroup: 0, readOnlyRootFilesystem: true, capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] } },
    volumeMounts: [{ name: 'kuma-init-tmp', mountPath: '/tmp' }],
  };
}

function sidecarContainer(pod: V1Pod, mesh: string): V1Container {
  const token = sidecarTokenMount(pod);
  return {
    name: 'kuma-sidecar', image: 'docker.io/kumahq/kuma-dp:2.14.3', args: ['run', '--log-level=info'], restartPolicy: 'Always',
    env: [
      { name: 'KUMA_DATAPLANE_MESH', value: mesh },
      { name: 'KUMA_DATAPLANE_RUNTIME_TOKEN_PATH', value: `${TOKEN_DIR}/token` },
    ],
    securityContext: { runAsUser: 5678, runAsGroup: 5678, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    volumeMounts: [{ name: 'kuma-sidecar-tmp', mountPath: '/tmp' }, ...(token ? [token] : [])],
  };
}

function injectedAnnotations(pod: V1Pod, gateway: boolean): Record<string, string> {
  const current = pod.metadata?.annotations ?? {};
  const exclude = current['traffic.kuma.io/exclude-inbound-ports'];
  return {
    ...current,
    'kubectl.kubernetes.io/default-container': pod.spec?.containers[0]?.name ?? '',
    'kuma.io/builtin-dns': 'enabled', 'kuma.io/builtin-dns-port': '15053', 'kuma.io/builtin-dns-logging': 'false',
    'kuma.io/envoy-admin-port': '9901', 'kuma.io/virtual-probes-port': '9000',
    'kuma.io/sidecar-injected': 'true', 'kuma.io/sidecar-uid': '5678',
    'kuma.io/transparent-proxying': 'enabled', 'kuma.io/transparent-proxying-inbound-port': '15006',
    'kuma.io/transparent-proxying-outbound-port': '15001', 'kuma.io/transparent-proxying-ip-family-mode': 'dualstack',
    ...(gateway ? { 'kuma.io/application-probe-proxy-port': '0', 'kuma.io/virtual-probes': 'disabled' } : {}),
    // The recorded pod had "8001,8444" and got the sidecar's readiness port appended.
    ...(exclude !== undefined ? { 'traffic.kuma.io/exclude-inbound-ports': `${exclude},9902` } : {}),
  };
}

function injected(pod: V1Pod, mesh: string, gateway: boolean): V1Pod {
  const copy = structuredClone(pod);
  const spec = copy.spec ?? { containers: [] };
  copy.metadata = {
    ...copy.metadata,
    labels: { ...copy.metadata?.labels, [MESH_KEY]: mesh },
    annotations: injectedAnnotations(pod, gateway),
  };
  copy.spec = {
    ...spec,
    initContainers: [initContainer(gateway), sidecarContainer(pod, mesh), ...(spec.initContainers ?? [])],
    volumes: [
      ...(spec.volumes ?? []),
      { name: 'kuma-init-tmp', emptyDir: { sizeLimit: '10M' } },
      { name: 'kuma-sidecar-tmp', emptyDir: { sizeLimit: '10M' } },
    ],
  };
  return copy;
}

export type AdmissionOutcome = { allowed: true; pod: V1Pod } | { allowed: false; message: string };

/** Every webhook the API server calls, in order, as it would (a denial stops admission). */
export function admit(pod: V1Pod, ns: NamespaceView, config: InjectorConfig): AdmissionOutcome {
  let current = pod;
  for (const webhook of webhooksCalled(ns, pod.metadata?.labels ?? {}, config)) {
    const result = inject(current, ns, config);
    if (!result.allowed) return { allowed: false, message: `admission webhook "${webhook}" denied the request: ${result.message}` };
    current = result.pod;
  }
  return { allowed: true, pod: current };
}
