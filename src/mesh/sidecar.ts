// PURE: which gateway pods run Kuma's sidecar (docs/kuma.md#detecting-the-sidecar): a container named
// `kuma-sidecar` in `containers` (up to Kuma 2.13) or `initContainers` (native
// sidecar, 2.14+). `kuma-init` is not required: CNI mode omits it.
import type { V1ContainerStatus, V1Deployment, V1Pod } from '@kubernetes/client-node';
import { INIT_CONTAINER, SIDECAR_CONTAINER } from './kuma-names.ts';
import { podSidecarLacksToken } from './sidecar-token.ts';

export { SIDECAR_CONTAINER };

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
  /** `pod: why` for live pods whose kuma-sidecar is not started and ready, sorted. */
  sidecarNotReady: string[];
  /** Names of live pods whose kuma-sidecar has no ServiceAccount token mount, sorted. */
  sidecarWithoutToken: string[];
  /** Some sidecar pod runs without kuma-init: Kuma's CNI sets up the redirect instead. */
  cniMode: boolean;
}

/**
 * Injection happens when a pod is created, so a pending pod's spec already
 * says whether it will run with the sidecar; finished and terminating pods do not count.
 */
export function summarizeGatewayPods(pods: readonly V1Pod[]): GatewayPodSummary {
  const live = pods.filter((p) => (p.status?.phase ?? 'Pending') in LIVE_PHASES && !p.metadata?.deletionTimestamp);
  const name = (p: V1Pod): string => p.metadata?.name ?? '';
  const without = live.filter((p) => !podHasSidecar(p)).map(name).sort();
  const meshed = live.filter(podHasSidecar);
  return {
    total: live.length, withSidecar: live.length - without.length, withoutSidecar: without,
    sidecarNotReady: meshed.flatMap((p) => {
      const why = sidecarNotReadyReason(p);
      return why ? [`${name(p)}: ${why}`] : [];
    }).sort(),
    sidecarWithoutToken: meshed.filter((p) => podSidecarLacksToken(p.spec)).map(name).sort(),
    cniMode: meshed.some((p) => ![...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])].some((c) => c.name === INIT_CONTAINER)),
  };
}

function sidecarStatus(pod: V1Pod): V1ContainerStatus | undefined {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  return statuses.find((s) => s.name === SIDECAR_CONTAINER);
}

/**
 * Why a pod's kuma-sidecar is not started and ready (from its container
 * status, in either placement); undefined when it is.
 */
export function sidecarNotReadyReason(pod: V1Pod): string | undefined {
  const status = sidecarStatus(pod);
  if (!status) return `kuma-sidecar has not started (pod ${pod.status?.phase ?? 'Pending'})`;
  if (status.ready && status.started !== false) return undefined;
  const waiting = status.state?.waiting;
  const terminated = status.state?.terminated ?? status.lastState?.terminated;
  const details = [
    waiting?.reason ? `waiting: ${waiting.reason}` : undefined,
    terminated ? `last exit code ${terminated.exitCode}${terminated.reason ? ` (${terminated.reason})` : ''}` : undefined,
    status.restartCount > 0 ? `${status.restartCount} restarts` : undefined,
  ].filter((d): d is string => d !== undefined);
  return `kuma-sidecar is not ${status.started === false ? 'started' : 'ready'}${details.length > 0 ? `: ${details.join(', ')}` : ''}`;
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
