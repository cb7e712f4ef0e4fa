// PURE: the Kuma metadata the gateway Deployment's pod template must carry to
// be injected as a delegated gateway (kuma.md §1), the comparison with what is
// there, and the values Kuma would reject.
import type { V1Deployment, V1Namespace } from '@kubernetes/client-node';
import type { MeshSettings } from '../config/settings.ts';
import type { MergePatch } from '../kube/kube-writer.ts';

export const SIDECAR_INJECTION_LABEL = 'kuma.io/sidecar-injection';
export const GATEWAY_ANNOTATION = 'kuma.io/gateway';
export const MESH_LABEL = 'kuma.io/mesh';
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

export interface GatewayMetadata {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export function desiredGatewayMetadata(mesh: Pick<MeshSettings, 'name'>): GatewayMetadata {
  const labels: Record<string, string> = { [SIDECAR_INJECTION_LABEL]: 'enabled' };
  if (mesh.name) labels[MESH_LABEL] = mesh.name;
  return { labels, annotations: { [GATEWAY_ANNOTATION]: 'enabled' } };
}

// Annotations Kuma's injector writes itself (kuma.md §1.4).
const INJECTOR_OWNED = [
  'kuma.io/sidecar-injected', 'kuma.io/sidecar-uid', 'kuma.io/envoy-admin-port', 'kuma.io/transparent-proxying',
  'kuma.io/transparent-proxying-inbound-port', 'kuma.io/transparent-proxying-outbound-port', 'kuma.io/transparent-proxying-ip-family-mode',
];
// A Kubernetes label value that is also a valid Kuma Mesh object name.
const MESH_NAME = /^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$/;

/** Why Kuma would reject this metadata; empty when it is safe to write. */
export function validateGatewayMetadata(meta: GatewayMetadata): string[] {
  const problems: string[] = [];
  const gateway = meta.annotations[GATEWAY_ANNOTATION];
  if (gateway !== undefined && gateway !== 'enabled') {
    problems.push(`annotation ${GATEWAY_ANNOTATION}="${gateway}" is not accepted: Kuma only builds a delegated gateway for "enabled" and produces no Dataplane for other values; remove the annotation instead of disabling it`);
  }
  const injection = meta.labels[SIDECAR_INJECTION_LABEL];
  if (injection !== 'enabled') {
    problems.push(`label ${SIDECAR_INJECTION_LABEL}="${injection ?? ''}" is not accepted: Kuma's pod webhook selector matches exactly "enabled"`);
  }
  for (const key of [SIDECAR_INJECTION_LABEL, MESH_LABEL]) {
    if (key in meta.annotations) problems.push(`${key} must be a label, not an annotation: Kuma ignores the annotation form`);
  }
  const mesh = meta.labels[MESH_LABEL];
  if (mesh !== undefined && !MESH_NAME.test(mesh)) {
    problems.push(`label ${MESH_LABEL}="${mesh}" is not a valid mesh name (lower-case letters, digits, '-' and '.', at most 63 characters)`);
  }
  for (const key of INJECTOR_OWNED) {
    if (key in meta.annotations) problems.push(`annotation ${key} is set by Kuma's injector and must not be set on the pod template`);
  }
  if ('kuma.io/workload' in meta.labels) problems.push('label kuma.io/workload is rejected by Kuma\'s pod validator');
  return problems;
}

function missing(current: Record<string, string> | undefined, desired: Record<string, string>): Record<string, string> | undefined {
  const diff: Record<string, string> = {};
  for (const [key, value] of Object.entries(desired)) {
    if (current?.[key] !== value) diff[key] = value;
  }
  return Object.keys(diff).length > 0 ? diff : undefined;
}

/** A merge patch bringing the pod template to the desired metadata, or null when nothing differs. */
export function gatewayMetadataPatch(deployment: V1Deployment, desired: GatewayMetadata): MergePatch | null {
  const meta = deployment.spec?.template.metadata;
  const labels = missing(meta?.labels, desired.labels);
  const annotations = missing(meta?.annotations, desired.annotations);
  if (!labels && !annotations) return null;
  return { spec: { template: { metadata: { ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) } } } };
}

export type NamespaceLabelAction =
  | { action: 'none' }
  | { action: 'patch'; patch: MergePatch }
  | { action: 'report'; message: string };

/**
 * Kuma ≥ 2.11 calls its injection webhook only for namespaces that carry the
 * `kuma.io/sidecar-injection` label key. Add it only when the MeshDoor asks.
 */
export function namespaceLabelAction(namespace: V1Namespace | undefined, labelNamespace: boolean): NamespaceLabelAction {
  if (!namespace) return { action: 'none' };
  if (namespace.metadata?.labels?.[SIDECAR_INJECTION_LABEL] !== undefined) return { action: 'none' };
  if (labelNamespace) return { action: 'patch', patch: { metadata: { labels: { [SIDECAR_INJECTION_LABEL]: 'enabled' } } } };
  return {
    action: 'report',
    message: `namespace ${namespace.metadata?.name ?? ''} has no ${SIDECAR_INJECTION_LABEL} label; Kuma 2.11 and later will not call its injection webhook for the gateway pods (set spec.gateway.labelNamespace or label the namespace)`,
  };
}

/** Merge patch that rolls the Deployment out again, as `kubectl rollout restart` does. */
export function restartPatch(at: Date): MergePatch {
  return { spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: at.toISOString() } } } } };
}
