// The gateway-in-mesh check as its own reconcile loop: its own coalescing
// trigger, marked by the watches of what it reads (the MeshDoor, the gateway
// Deployment, its Pods, Namespace and Services) and by leadership, so a slow
// or stuck Kong push never delays repairing the gateway's pod template. It
// reads the same store as the sync; what it finds is an input of the sync
// pass (the MeshDoor status), and a change of it marks that loop as a watch
// event would.
import type { KubernetesObject, V1Deployment, V1Namespace, V1Pod, V1Service } from '@kubernetes/client-node';
import type { MeshDoorSettings } from '../config/index.ts';
import { canonicalJson } from '../kong/index.ts';
import type { Clock, WatchRole } from '../kube/index.ts';
import type { GatewayMesh, GatewayMeshState } from '../mesh/index.ts';
import { errorField, type Logger, type Metrics } from '../observe/index.ts';
import { CoalescingTrigger } from './coalescing-trigger.ts';
import { DONE, requeueAfter, retryAfter, type PassResult } from './pass-result.ts';

/** The watch roles the check reads: a change to one of them marks its loop. */
export const GATEWAY_MESH_ROLES: ReadonlySet<WatchRole> = new Set<WatchRole>([
  'meshdoor', 'gatewayDeployment', 'gatewayPods', 'gatewayNamespace', 'gatewayServices', 'services',
]);

/**
 * What the sync pass settled for the gateway, published once the watches it
 * planned for these settings synced and the admin certificates were read.
 */
export interface GatewayPlan {
  /** gatewayPlanKey of the settings the plan was made for. */
  key: string;
  /** Pod template annotations the admin certificates ask for (their hash). */
  templateAnnotations: Readonly<Record<string, string>>;
}

/**
 * The settings a plan depends on: which gateway is watched and which admin
 * certificates it carries. Until the sync pass has planned for them, the check
 * waits: applying the template without the certificates' hash would roll the
 * gateway out twice.
 */
export function gatewayPlanKey(settings: MeshDoorSettings): string {
  return canonicalJson([settings.gateway.namespace, settings.gateway.deployment, settings.kongAdmin.tls]);
}

/** What the loop reads from the controller's store. */
export interface GatewayMeshReads {
  /** The served settings; undefined while the MeshDoor is not synced or absent. */
  settings(): MeshDoorSettings | undefined;
  /** Whether every planned watch of GATEWAY_MESH_ROLES has synced. */
  synced(): boolean;
  list<T extends KubernetesObject>(role: WatchRole): readonly T[];
  isLeader(): boolean;
}

export interface GatewayMeshLoopOptions {
  holdoffMs: number;
  maxDelayMs: number;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  mesh: Pick<GatewayMesh, 'ensure'>;
  reads: GatewayMeshReads;
  /** What the check found changed (called after the pass that found it). */
  onStateChange: () => void;
}

const PASS_ERROR_RETRY_MS = 5000;

export class GatewayMeshLoop {
  private readonly trigger: CoalescingTrigger;
  private plan: GatewayPlan | undefined;
  private state: GatewayMeshState | undefined;
  private stateKey: string | undefined;

  constructor(private readonly o: GatewayMeshLoopOptions) {
    this.trigger = new CoalescingTrigger({ holdoffMs: o.holdoffMs, maxDelayMs: o.maxDelayMs, clock: o.clock, run: () => this.pass() });
  }

  /** The last state found; undefined before the first check. */
  current(): GatewayMeshState | undefined {
    return this.state;
  }

  mark(): void {
    this.trigger.mark();
  }

  /** From the sync pass: marks the loop only when the plan changed. */
  publish(plan: GatewayPlan): void {
    const previous = this.plan;
    this.plan = plan;
    if (previous?.key !== plan.key || canonicalJson(previous.templateAnnotations) !== canonicalJson(plan.templateAnnotations)) this.trigger.mark();
  }

  /** Stops scheduling; resolves once the check in flight (if any) has finished. */
  async stop(): Promise<void> {
    await this.trigger.stop();
  }

  private async pass(): Promise<PassResult> {
    const settings = this.o.reads.settings();
    // The sync pass reports a missing MeshDoor; its publish marks this loop once it planned for these settings.
    if (!settings || this.plan?.key !== gatewayPlanKey(settings)) return DONE;
    // A watch's first list marks this loop again.
    if (!this.o.reads.synced()) return DONE;
    let state: GatewayMeshState;
    try {
      state = await this.o.mesh.ensure(this.input(settings, this.plan));
    } catch (err) {
      this.o.log.error('gateway mesh check failed', { error: errorField(err) });
      return retryAfter(PASS_ERROR_RETRY_MS, 'gateway mesh check failed');
    }
    this.o.metrics.gatewayPods.set({ sidecar: 'true' }, state.pods.withSidecar);
    this.o.metrics.gatewayPods.set({ sidecar: 'false' }, state.pods.withoutSidecar.length);
    this.record(state);
    return state.recheckInMs !== undefined ? requeueAfter(state.recheckInMs, 'the gateway\'s Mesh is not found (no watch on Meshes)') : DONE;
  }

  private input(settings: MeshDoorSettings, plan: GatewayPlan): Parameters<GatewayMesh['ensure']>[0] {
    const { reads } = this.o;
    return {
      settings, leader: reads.isLeader(), templateAnnotations: plan.templateAnnotations,
      deployment: reads.list<V1Deployment>('gatewayDeployment')[0],
      namespace: reads.list<V1Namespace>('gatewayNamespace')[0],
      pods: reads.list<V1Pod>('gatewayPods'),
      services: gatewayNamespaceServices(reads.list<V1Service>('services'), reads.list<V1Service>('gatewayServices'), settings.gateway.namespace),
    };
  }

  private record(state: GatewayMeshState): void {
    const { recheckInMs: _recheck, ...reported } = state;
    const key = canonicalJson(reported);
    this.state = state;
    if (key === this.stateKey) return;
    this.stateKey = key;
    this.o.onStateChange();
  }
}

/** The Services the gateway check needs: every watched one, plus the gateway namespace's when that is not watched. */
function gatewayNamespaceServices(watched: readonly V1Service[], gatewayOnly: readonly V1Service[], namespace: string): V1Service[] {
  const seen = watched.some((s) => s.metadata?.namespace === namespace);
  return seen ? [...watched] : [...watched, ...gatewayOnly];
}
