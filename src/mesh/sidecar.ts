// PURE: which gateway pods run Kuma's sidecar (kuma.md §5): a container named
// `kuma-sidecar` in `containers` (up to Kuma 2.13) or `initContainers` (native
// sidecar, 2.14+). `kuma-init` is not required: CNI mode omits it.
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';

export const SIDECAR_CONTAINER = 'kuma-sidecar';

export function podHasSidecar(pod: V1Pod): boolean {
  const spec = pod.spec;
  if (!spec) return false;
  return [...spec.containers, ...(spec.initContainers ?? [])].some((c) => c.name === SIDECAR_CONTAINER);
}

export interface GatewayPodSummary {
  /** Live pods: pending or running, not terminating. */
  total: number;
  withSidecar: number;
  /** Names of live pods without the sidecar, sorted. */
  withoutSidecar: string[];
}

/**
 * Injection happens when a pod is created, so a pending pod's spec already
 * says whether it will run with the sidecar; finished and terminating pods do not count.
 */
export function summarizeGatewayPods(pods: readonly V1Pod[]): GatewayPodSummary {
  const live = pods.filter((p) => (p.status?.phase ?? 'Pending') in LIVE_PHASES && !p.metadata?.deletionTimestamp);
  const without = live.filter((p) => !podHasSidecar(p)).map((p) => p.metadata?.name ?? '').sort();
  return { total: live.length, withSidecar: live.length - without.length, withoutSidecar: without };
}

const LIVE_PHASES = { Pending: true, Running: true, Unknown: true };

/** Label selector string for the Deployment's pods (matchLabels only), or undefined without one. */
export function deploymentPodSelector(deployment: V1Deployment | undefined): string | undefined {
  const labels = deployment?.spec?.selector.matchLabels;
  if (!labels || Object.keys(labels).length === 0) return undefined;
  return Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join(',');
}

/** The Deployment controller has caught up and every replica runs the current template. */
export function rolloutComplete(deployment: V1Deployment): boolean {
  const status = deployment.status;
  const replicas = deployment.spec?.replicas ?? 1;
  return (status?.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0)
    && (status?.updatedReplicas ?? 0) >= replicas
    && (status?.replicas ?? 0) === (status?.updatedReplicas ?? 0);
}
