// PURE: the Kuma metadata meshdoor keeps on the gateway Deployment's pod
// template so its pods are injected as a delegated gateway, the
// server-side apply that holds exactly those keys, and the values Kuma would
// reject. meshdoor owns these keys through its own field manager: a key it no
// longer wants is dropped from the apply and the API server removes it, while
// keys set by anyone else are never touched.
import type { V1Deployment, V1Namespace, V1Volume } from '@kubernetes/client-node';
import type { GatewaySettings, MeshSettings } from '../config/index.ts';
import type { MergePatch } from '../kube/index.ts';
import { ownedLabels, ownedTemplateKeys, type OwnedTemplateKeys } from './managed-fields.ts';
import { MANAGED_TOKEN_VOLUME, templateTokenProblem, TOKEN_VOLUME_ANNOTATION, tokenVolume } from './sidecar-token.ts';

export const SIDECAR_INJECTION_LABEL = 'kuma.io/sidecar-injection';
export const GATEWAY_ANNOTATION = 'kuma.io/gateway';
export const MESH_LABEL = 'kuma.io/mesh';
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

export interface GatewayMetadata {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Pod-template volumes meshdoor adds (the managed token volume). */
  volumes: V1Volume[];
}

/**
 * The token volume and its annotation are wanted when the MeshDoor asks
 * meshdoor to manage them and the template needs them, and stay wanted once
 * meshdoor added them (otherwise the next pass would take them away again).
 */
function wantsTokenVolume(deployment: V1Deployment | undefined, gateway: Pick<GatewaySettings, 'manageTokenVolume'>): boolean {
  if (!gateway.manageTokenVolume) return false;
  const owned = ownedTemplateKeys(deployment?.metadata);
  return owned.annotations.has(TOKEN_VOLUME_ANNOTATION) || templateTokenProblem(deployment?.spec?.template) !== undefined;
}

export function desiredGatewayMetadata(
  mesh: Pick<MeshSettings, 'name'>,
  gateway: Pick<GatewaySettings, 'manageTokenVolume'> = { manageTokenVolume: false },
  deployment?: V1Deployment,
): GatewayMetadata {
  const labels: Record<string, string> = { [SIDECAR_INJECTION_LABEL]: 'enabled' };
  if (mesh.name) labels[MESH_LABEL] = mesh.name;
  const annotations: Record<string, string> = { [GATEWAY_ANNOTATION]: 'enabled' };
  const volumes: V1Volume[] = [];
  if (wantsTokenVolume(deployment, gateway)) {
    annotations[TOKEN_VOLUME_ANNOTATION] = MANAGED_TOKEN_VOLUME;
    volumes.push(tokenVolume(MANAGED_TOKEN_VOLUME));
  }
  return { labels, annotations, volumes };
}

// Annotations Kuma's injector writes itself.
const INJECTOR_OWNED = [
  'kuma.io/sidecar-injected', 'kuma.io/sidecar-uid', 'kuma.io/envoy-admin-port', 'kuma.io/transparent-proxying',
  'kuma.io/transparent-proxying-inbound-port', 'kuma.io/transparent-proxying-outbound-port', 'kuma.io/transparent-proxying-ip-family-mode',
];
// A Kubernetes label value that is also a valid Kuma Mesh object name.
const MESH_NAME = /^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$/;

/** Why Kuma would reject this metadata; empty when it is safe to write. */
export function validateGatewayMetadata(meta: Pick<GatewayMetadata, 'labels' | 'annotations'>): string[] {
  const problems: string[] = [];
  const gateway = meta.annotations[GATEWAY_ANNOTATION];
  if (gateway !== undefined && gateway !== 'enabled') {
    problems.push(`annotation ${GATEWAY_ANNOTATION}="${gateway}" is not accepted: Kuma only builds a delegated gateway for "enabled" and produces no Dataplane for other values; remove the annotation instead of disabling it`);
  }
  const injection = meta.labels[SIDECAR_INJECTION_LABEL];
  if (injection !== 'enabled') {
    problems.push(`label ${SIDECAR_INJECTION_LABEL}="${injection ?? ''}" is not accepted: Kuma's pod webhook selector matches exactly "enabled"`);
  }
  if (SIDECAR_INJECTION_LABEL in meta.annotations) {
    problems.push(`${SIDECAR_INJECTION_LABEL} must be a label, not an annotation: Kuma ignores the annotation form`);
  }
  if (MESH_LABEL in meta.annotations) {
    problems.push(`${MESH_LABEL} must be a label: Kuma 2.x still honours the annotation but deprecates it, and Kuma 3.0 ignores it`);
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

function differs(current: Record<string, string> | undefined, desired: Record<string, string>, owned: Set<string>): boolean {
  for (const [key, value] of Object.entries(desired)) {
    if (current?.[key] !== value || !owned.has(key)) return true;
  }
  return [...owned].some((key) => !(key in desired));
}

function volumesDiffer(deployment: V1Deployment, desired: readonly V1Volume[], owned: Set<string>): boolean {
  const present = new Set((deployment.spec?.template.spec?.volumes ?? []).map((v) => v.name));
  const wanted = new Set(desired.map((v) => v.name));
  return desired.some((v) => !present.has(v.name) || !owned.has(v.name)) || [...owned].some((name) => !wanted.has(name));
}

/**
 * Whether the template differs from what meshdoor wants: a wanted key is
 * missing, has another value or is not yet meshdoor's; or meshdoor owns a key
 * it no longer wants.
 */
export function templateNeedsApply(deployment: V1Deployment, desired: GatewayMetadata, owned: OwnedTemplateKeys = ownedTemplateKeys(deployment.metadata)): boolean {
  const meta = deployment.spec?.template.metadata;
  return differs(meta?.labels, desired.labels, owned.labels)
    || differs(meta?.annotations, desired.annotations, owned.annotations)
    || volumesDiffer(deployment, desired.volumes, owned.volumes);
}

/** The server-side apply body holding exactly meshdoor's pod-template keys. */
export function templateApplyBody(deployment: V1Deployment, desired: GatewayMetadata): Record<string, unknown> {
  const { namespace, name } = deployment.metadata ?? {};
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { namespace, name },
    spec: {
      template: {
        metadata: { labels: desired.labels, annotations: desired.annotations },
        ...(desired.volumes.length > 0 ? { spec: { volumes: desired.volumes } } : {}),
      },
    },
  };
}

export type NamespaceLabelAction =
  | { action: 'none' }
  | { action: 'apply'; body: Record<string, unknown> }
  | { action: 'report'; message: string };

function namespaceApply(name: string, labels: Record<string, string>): NamespaceLabelAction {
  return { action: 'apply', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } } };
}

/**
 * Kuma ≥ 2.11 calls its injection webhooks only for namespaces that carry the
 * `kuma.io/sidecar-injection` label key, whatever its value. meshdoor writes
 * `disabled` when the key is missing and the MeshDoor asks: `enabled` would
 * make Kuma inject every pod of the namespace, meshdoor's own included, while
 * the gateway opts in with its pod label. An existing value is never changed;
 * meshdoor takes back only a label it wrote itself once the MeshDoor stops asking.
 */
export function namespaceLabelAction(namespace: V1Namespace | undefined, labelNamespace: boolean): NamespaceLabelAction {
  if (!namespace) return { action: 'none' };
  const name = namespace.metadata?.name ?? '';
  const ours = ownedLabels(namespace.metadata).has(SIDECAR_INJECTION_LABEL);
  const present = namespace.metadata?.labels?.[SIDECAR_INJECTION_LABEL] !== undefined;
  if (ours && !labelNamespace) return namespaceApply(name, {});
  if (present) return { action: 'none' };
  if (labelNamespace) return namespaceApply(name, { [SIDECAR_INJECTION_LABEL]: 'disabled' });
  return {
    action: 'report',
    message: `namespace ${name} has no ${SIDECAR_INJECTION_LABEL} label; Kuma 2.11 and later will not call its injection webhook for the gateway pods (set spec.gateway.labelNamespace, or label the namespace ${SIDECAR_INJECTION_LABEL}=disabled: the key is what Kuma needs)`,
  };
}

/** Merge patch that rolls the Deployment out again, as `kubectl rollout restart` does. */
export function restartPatch(at: Date): MergePatch {
  return { spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: at.toISOString() } } } } };
}
