// PURE: the MeshDoor's status from the last pass: conditions Ready, Synced and
// GatewayInMesh with reasons, counts, config hash, gateway pods, and a bounded
// list of failing objects. Transition times only move when a condition changes.
import type { GatewayAccess } from '../admin-tls/index.ts';
import { canonicalJson } from '../kong/index.ts';
import { objectKey, type HostReport, type KongConfig, type TranslationFailure } from '../model/index.ts';
import type { GatewayPodSummary } from '../mesh/index.ts';
import { hostOwnersToStatus, sharedHostsToStatus, type HostOwnerEntry, type SharedHostEntry } from './host-owners.ts';
import type { LastValidEntry } from './last-valid.ts';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition {
  type: 'Ready' | 'Synced' | 'GatewayInMesh' | 'AdminAPISecured';
  status: ConditionStatus;
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export interface FailingObject {
  kind: string;
  namespace?: string;
  name: string;
  reason: string;
  message: string;
}

/** A Kong rejection remembered per entity content, kept here so a restarted controller needs no extra POST. */
export interface KongRejectionEntry {
  entity: string;
  digest: string;
  exclude: string[];
  kongVersion?: string;
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
  reason: string;
  message: string;
}

export interface MeshDoorStatus {
  observedGeneration?: number;
  conditions: Condition[];
  /** Routes and services the gateways hold (the config they last accepted). */
  routes: number;
  services: number;
  /** Routes and services of the current translation (differs while a push is pending or failing). */
  desiredRoutes: number;
  desiredServices: number;
  gateways: number;
  configHash?: string;
  lastSyncTime?: string;
  gatewayPods: { total: number; withSidecar: number; withoutSidecar: number };
  /** `withSidecar/total`, for the SIDECARS printer column. */
  sidecars: string;
  /** Distinct objects with at least one failure. */
  failingObjectCount: number;
  failingObjects: FailingObject[];
  kongRejections?: KongRejectionEntry[];
  /** Objects served in their last valid version (spec and identifying metadata), for a restart and for other replicas. */
  lastValid?: LastValidEntry[];
  /** How each gateway's Admin API is reached (mTLS, TLS, plain); at most MAX_GATEWAY_ACCESS entries. */
  gatewayAccess?: GatewayAccess[];
  /** Owners of the hosts that keep another namespace out (Namespace ownership), for a restart and for other replicas. */
  hostOwners?: HostOwnerEntry[];
  /** Hosts served from more than one namespace: how many, and the first of them. */
  sharedHostCount?: number;
  sharedHosts?: SharedHostEntry[];
}

const MAX_GATEWAY_ACCESS = 100;

export interface ConditionInput {
  status: ConditionStatus;
  reason: string;
  message: string;
}

export interface MeshDoorStatusInput {
  previous: Partial<MeshDoorStatus> | undefined;
  generation?: number;
  now: number;
  synced: ConditionInput;
  gatewayInMesh: ConditionInput;
  /** A problem with the MeshDoor spec itself (invalid field). */
  specError?: string;
  /** The configured IngressClass belongs to another controller, so nothing is served. */
  classError?: string;
  config?: KongConfig;
  /** What the gateways hold; undefined before the first accepted push. */
  held?: { routes: number; services: number };
  /** Kong's own configuration_hash; never computed locally. */
  configHash?: string;
  /** Ready does not wait for GatewayInMesh: meshdoor manages no gateway Deployment (Kong given by URL, none found). */
  gatewayUnmanaged?: boolean;
  kongRejections?: readonly KongRejectionEntry[];
  lastValid?: readonly LastValidEntry[];
  gateways: number;
  lastSyncTime?: number;
  pods: Pick<GatewayPodSummary, 'total' | 'withSidecar' | 'withoutSidecar'>;
  failures: readonly TranslationFailure[];
  /** How many objects `failures` names (counted from them when not given). */
  failingObjectCount?: number;
  maxFailingObjects?: number;
  /** How the gateways are reached and whether that is safe (AdminAPISecured). */
  adminAccess?: { gateways: readonly GatewayAccess[]; condition: ConditionInput };
  /** Who owns and who serves the hosts (the last translation); the previous status's when absent. */
  hosts?: HostReport;
}

function readyCondition(input: MeshDoorStatusInput): ConditionInput {
  if (input.specError) return { status: 'False', reason: 'InvalidSpec', message: input.specError };
  if (input.classError) return { status: 'False', reason: 'IngressClassNotOwned', message: input.classError };
  if (input.synced.status !== 'True') return { status: 'False', reason: 'NotSynced', message: input.synced.message };
  if (input.gatewayUnmanaged) {
    return { status: 'True', reason: 'Ready', message: `Kong is converged; no gateway Deployment is managed (Kong given by URL), so GatewayInMesh does not apply: ${input.gatewayInMesh.message}` };
  }
  if (input.gatewayInMesh.status !== 'True') {
    return { status: 'False', reason: 'GatewayNotInMesh', message: `GatewayInMesh is ${input.gatewayInMesh.status} (${input.gatewayInMesh.reason}): ${input.gatewayInMesh.message}` };
  }
  return { status: 'True', reason: 'Ready', message: 'Kong is converged and every gateway pod is in the mesh' };
}

function condition(type: Condition['type'], c: ConditionInput, input: MeshDoorStatusInput): Condition {
  const previous = input.previous?.conditions?.find((p) => p.type === type);
  const unchanged = previous?.status === c.status && previous.reason === c.reason;
  return {
    type, ...c,
    lastTransitionTime: unchanged && previous.lastTransitionTime ? previous.lastTransitionTime : new Date(input.now).toISOString(),
    ...(input.generation !== undefined ? { observedGeneration: input.generation } : {}),
  };
}

function failingObjects(failures: readonly TranslationFailure[], max: number): FailingObject[] {
  return failures.slice(0, max).map((f) => ({
    kind: f.object.kind,
    ...(f.object.namespace ? { namespace: f.object.namespace } : {}),
    name: f.object.name, reason: f.reason, message: f.message,
  }));
}

/** Routes and services the gateways hold, and those of the current translation. */
function counts(input: MeshDoorStatusInput): Pick<MeshDoorStatus, 'routes' | 'services' | 'desiredRoutes' | 'desiredServices'> {
  const { previous, held, config } = input;
  return {
    routes: held?.routes ?? previous?.routes ?? 0,
    services: held?.services ?? previous?.services ?? 0,
    desiredRoutes: config?.services.reduce((n, s) => n + s.routes.length, 0) ?? previous?.desiredRoutes ?? 0,
    desiredServices: config?.services.length ?? previous?.desiredServices ?? 0,
  };
}

export function desiredMeshDoorStatus(input: MeshDoorStatusInput): MeshDoorStatus {
  const lastSync = input.lastSyncTime !== undefined ? new Date(input.lastSyncTime).toISOString() : input.previous?.lastSyncTime;
  const { configHash } = input;
  return {
    ...(input.generation !== undefined ? { observedGeneration: input.generation } : {}),
    conditions: [
      condition('Ready', readyCondition(input), input),
      condition('Synced', input.synced, input),
      condition('GatewayInMesh', input.gatewayInMesh, input),
      ...(input.adminAccess ? [condition('AdminAPISecured', input.adminAccess.condition, input)] : []),
    ],
    ...counts(input),
    gateways: input.gateways,
    ...(configHash ? { configHash } : {}),
    ...(lastSync ? { lastSyncTime: lastSync } : {}),
    gatewayPods: { total: input.pods.total, withSidecar: input.pods.withSidecar, withoutSidecar: input.pods.withoutSidecar.length },
    sidecars: `${input.pods.withSidecar}/${input.pods.total}`,
    failingObjectCount: input.failingObjectCount ?? new Set(input.failures.map((f) => objectKey(f.object))).size,
    failingObjects: failingObjects(input.failures, input.maxFailingObjects ?? 50),
    ...withRejections(input.kongRejections),
    ...(input.lastValid && input.lastValid.length > 0 ? { lastValid: [...input.lastValid] } : {}),
    ...(input.adminAccess ? { gatewayAccess: input.adminAccess.gateways.slice(0, MAX_GATEWAY_ACCESS).map((g) => ({ ...g })) } : {}),
    ...hostFields(input),
  };
}

function hostFields(input: MeshDoorStatusInput): Pick<MeshDoorStatus, 'hostOwners' | 'sharedHostCount' | 'sharedHosts'> {
  const { hosts, previous } = input;
  if (!hosts) {
    const { hostOwners, sharedHostCount, sharedHosts } = previous ?? {};
    return { ...(hostOwners ? { hostOwners } : {}), ...(sharedHostCount ? { sharedHostCount } : {}), ...(sharedHosts ? { sharedHosts } : {}) };
  }
  const owners = hostOwnersToStatus(hosts);
  return {
    ...(owners.length > 0 ? { hostOwners: owners } : {}),
    ...(hosts.shared.length > 0 ? { sharedHostCount: hosts.shared.length, sharedHosts: sharedHostsToStatus(hosts) } : {}),
  };
}

function withRejections(entries: readonly KongRejectionEntry[] | undefined): { kongRejections?: KongRejectionEntry[] } {
  return entries && entries.length > 0 ? { kongRejections: [...entries] } : {};
}

/** Whether writing `next` would change what is stored (key order does not matter). */
export function meshDoorStatusDiffers(current: unknown, next: MeshDoorStatus): boolean {
  return canonicalJson(current ?? {}) !== canonicalJson(next);
}
