// PURE: what keeps the gateway out of the mesh although its pod template is
// right, from what the watches show (Deployment conditions, pod statuses, the
// namespace's labels) and, where RBAC allows, the Mesh itself. Each finding is
// a GatewayInMesh=False reason with a message that says what to do.
import type { V1Deployment, V1Namespace } from '@kubernetes/client-node';
import type { MeshLookup } from './mesh-reader.ts';
import type { GatewayPodSummary } from './sidecar.ts';

export interface MeshCondition {
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

export const POD_SECURITY_ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
/** Namespaces the Helm chart's webhooks exclude besides Kuma's own. */
const NEVER_INJECTED = ['kube-system'];

export interface BlockingInput {
  /** `namespace/name` of the gateway Deployment. */
  gateway: string;
  deployment: V1Deployment;
  namespace: V1Namespace | undefined;
  /** Kuma's control-plane namespace (the chart's webhooks skip it). */
  controlPlaneNamespace: string;
  pods: GatewayPodSummary;
  meshName: string;
  mesh: MeshLookup;
  /** Why the template's sidecar would get no token (sidecar-token.ts). */
  templateToken: string | undefined;
}

function false_(reason: string, message: string): MeshCondition {
  return { status: 'False', reason, message };
}

/** The namespace is one Kuma's injection webhooks never see, whatever its labels. */
export function namespaceNeverInjected(namespace: string, controlPlaneNamespace: string): boolean {
  return NEVER_INJECTED.includes(namespace) || namespace === controlPlaneNamespace;
}

export function replicaFailure(deployment: V1Deployment): string | undefined {
  const c = deployment.status?.conditions?.find((x) => x.type === 'ReplicaFailure' && x.status === 'True');
  return c ? `${c.reason ?? 'ReplicaFailure'}: ${c.message ?? ''}` : undefined;
}

const MESH_NOT_FOUND = /Mesh\.kuma\.io "([^"]*)" not found/;

function replicaFailureCondition(input: BlockingInput, failure: string): MeshCondition {
  const running = input.pods.total > 0 ? `; ${input.pods.total} pod(s) of an earlier template still run` : '';
  const mesh = MESH_NOT_FOUND.exec(failure)?.[1];
  const hint = mesh !== undefined
    ? `; create Mesh "${mesh}" or correct spec.mesh.name on the MeshDoor`
    : '; see kubectl describe replicaset for the rejected pod';
  return false_(mesh !== undefined ? 'MeshNotFound' : 'ReplicaFailure', `Deployment ${input.gateway} cannot create pods: ${failure}${running}${hint}`);
}

function podSecurityCondition(input: BlockingInput): MeshCondition | undefined {
  const level = input.namespace?.metadata?.labels?.[POD_SECURITY_ENFORCE_LABEL];
  if (level !== 'restricted' || input.pods.cniMode) return undefined;
  return false_('PodSecurityRestricted', `namespace ${input.namespace?.metadata?.name ?? ''} enforces Pod Security "restricted": `
    + 'Kuma\'s kuma-init init container runs as root with NET_ADMIN and NET_RAW, so injected gateway pods are rejected; '
    + 'run Kuma with its CNI plugin (then kuma-init is not added and this warning clears once a gateway pod runs meshed) '
    + `or set ${POD_SECURITY_ENFORCE_LABEL}: privileged on the namespace`);
}

/**
 * The first finding that keeps the gateway out of the mesh whatever its pods
 * say, or undefined. Order: what no restart can fix, then the template, the
 * Mesh, the rollout, and the namespace's Pod Security level.
 */
export function blockingCondition(input: BlockingInput): MeshCondition | undefined {
  const ns = input.deployment.metadata?.namespace ?? '';
  if (namespaceNeverInjected(ns, input.controlPlaneNamespace)) {
    return false_('NamespaceNeverInjected', `the gateway runs in namespace ${ns}, which Kuma's injection webhooks never see (they skip kube-system and Kuma's own namespace ${input.controlPlaneNamespace}); restarting the gateway cannot help: run it in another namespace`);
  }
  if (input.templateToken) return false_('SidecarTokenMissing', `pod template of ${input.gateway}: ${input.templateToken}`);
  if (input.mesh.state === 'missing') {
    return false_('MeshNotFound', `Mesh "${input.meshName}" does not exist, so Kuma's injector denies the gateway pods; create it or correct spec.mesh.name on the MeshDoor`);
  }
  const failure = replicaFailure(input.deployment);
  if (failure) return replicaFailureCondition(input, failure);
  return podSecurityCondition(input);
}

/** Meshed pods that still cannot work: a sidecar without a token, or not started/ready. */
export function podHealthCondition(pods: GatewayPodSummary): MeshCondition | undefined {
  if (pods.sidecarWithoutToken.length > 0) {
    return false_('SidecarTokenMissing', `the kuma-sidecar of ${pods.sidecarWithoutToken.join(', ')} has no ServiceAccount token mount, so kuma-dp exits at start; give the pod template a token volume named by kuma.io/service-account-token-volume and restart the gateway`);
  }
  if (pods.sidecarNotReady.length > 0) {
    return false_('SidecarNotReady', `${pods.sidecarNotReady.length}/${pods.withSidecar} gateway pods have a kuma-sidecar that is not started and ready: ${pods.sidecarNotReady.join('; ')}`);
  }
  return undefined;
}
