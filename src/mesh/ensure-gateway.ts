// The gateway in the mesh, I/O side: desired → compare → server-side apply of
// meshdoor's own keys on the gateway Deployment's pod template and namespace
// (leader only, never when nothing differs), then what keeps the gateway out
// of the mesh (the Mesh where RBAC allows reading it, the rollout, the pods),
// the gateway's mesh identity, and the optional rollout restart of pods that
// still lack the sidecar.
import type { V1Deployment, V1Namespace, V1Pod, V1Service } from '@kubernetes/client-node';
import type { MeshDoorSettings } from '../config/index.ts';
import type { Clock, EventRecorder, KubeWriter } from '../kube/index.ts';
import { errorField, type Logger } from '../observe/index.ts';
import {
  desiredGatewayMetadata, GATEWAY_ANNOTATION, MESH_LABEL, namespaceLabelAction, SIDECAR_INJECTION_LABEL, restartPatch, templateApplyBody, templateNeedsApply, validateGatewayMetadata,
} from './gateway-metadata.ts';
import { gatewayIdentity, type GatewayIdentity } from './gateway-identity.ts';
import { isOwnApplyEntry, migrateLegacyOwnership } from './managed-fields.ts';
import { meshAddressingNote } from './mesh-addressing.ts';
import { blockingCondition, podHealthCondition, type MeshCondition } from './mesh-condition.ts';
import type { MeshLookup, MeshReader } from './mesh-reader.ts';
import { rolloutComplete, summarizeGatewayPods, type GatewayPodSummary } from './sidecar.ts';
import { templateTokenProblem } from './sidecar-token.ts';

export type { MeshCondition } from './mesh-condition.ts';

export interface GatewayMeshInput {
  settings: MeshDoorSettings;
  deployment: V1Deployment | undefined;
  namespace: V1Namespace | undefined;
  /** The Deployment's pods (selected by its matchLabels). */
  pods: readonly V1Pod[];
  /** Services in the gateway's namespace (for its mesh identity) and ExternalName targets. */
  services: readonly V1Service[];
  leader: boolean;
  /** More pod template annotations the gateway must carry (the admin certificates' hash). */
  templateAnnotations?: Readonly<Record<string, string>>;
}

/** What meshdoor knows of the gateway's Mesh. */
export interface GatewayMeshInfo {
  name: string;
  /** Whether meshdoor could read the Mesh object (RBAC and Kuma's API permitting). */
  read: boolean;
  found?: boolean;
  meshServicesMode?: string;
  /** Set when the Mesh no longer serves the names this MeshDoor relies on. */
  warning?: string;
}

export interface GatewayMeshState {
  condition: MeshCondition;
  pods: GatewayPodSummary;
  /** The `kuma.io/service` Kuma derives for the gateway, once the Deployment is known. */
  identity?: GatewayIdentity;
  mesh?: GatewayMeshInfo;
  /** Check again after this long even without a watch event: a Mesh is not watched. */
  recheckInMs?: number;
}

export interface GatewayMeshOptions {
  writer: Pick<KubeWriter, 'patchDeployment' | 'applyDeployment' | 'applyNamespace' | 'rewriteDeploymentManagedFields'>;
  events: EventRecorder;
  clock: Clock;
  log: Logger;
  /** Reads the Mesh where RBAC allows it; without one, only the Deployment's conditions are used. */
  meshReader?: MeshReader;
  /** Roll the Deployment out again when its template is right but its pods lack the sidecar. */
  restartUnmeshed: boolean;
}

const DEPLOYMENT_API = 'apps/v1';
/** How soon a missing Mesh is looked for again (the reader's cache lives as long). */
const MESH_RECHECK_MS = 30_000;
/** The pod-template keys earlier versions wrote with merge patches. */
const LEGACY_KEYS = { labels: [SIDECAR_INJECTION_LABEL, MESH_LABEL], annotations: [GATEWAY_ANNOTATION] };

function meshInfo(lookup: MeshLookup, name: string, note: string | undefined): GatewayMeshInfo {
  if (lookup.state === 'unread') return { name, read: false };
  if (lookup.state === 'missing') return { name, read: true, found: false };
  return { name, read: true, found: true, meshServicesMode: lookup.meshServicesMode, ...(note ? { warning: note } : {}) };
}

export class GatewayMesh {
  /** resourceVersion we last applied to: skip until the watch shows our write. */
  private appliedFrom: string | undefined;
  private namespaceAppliedFrom: string | undefined;
  /** Generation our own restart produced: never restart that one again. */
  private restartedGeneration: number | undefined;

  constructor(private readonly o: GatewayMeshOptions) {}

  async ensure(input: GatewayMeshInput): Promise<GatewayMeshState> {
    const pods = summarizeGatewayPods(input.pods);
    const { deployment, settings } = input;
    const name = `${settings.gateway.namespace}/${settings.gateway.deployment}`;
    const meshName = settings.mesh.name ?? 'default';
    const lookup = await (this.o.meshReader?.lookup(meshName) ?? Promise.resolve<MeshLookup>({ state: 'unread', why: 'no reader' }));
    const note = lookup.state === 'found' ? meshAddressingNote({ settings, meshServicesMode: lookup.meshServicesMode, services: input.services }) : undefined;
    const mesh = meshInfo(lookup, meshName, note);
    if (note) this.recordOnDeployment(input, 'Warning', 'MeshServicesExclusive', note);
    if (!deployment) {
      return { pods, mesh, condition: { status: 'False', reason: 'GatewayNotFound', message: `gateway Deployment ${name} not found` } };
    }
    const identity = this.identity(input, deployment);
    const condition = await this.condition(input, deployment, pods, lookup);
    return { pods, mesh, identity, condition, ...(lookup.state === 'missing' ? { recheckInMs: MESH_RECHECK_MS } : {}) };
  }

  private identity(input: GatewayMeshInput, deployment: V1Deployment): GatewayIdentity {
    const identity = gatewayIdentity({
      services: input.services, namespace: input.settings.gateway.namespace, workload: input.settings.gateway.deployment,
      podLabels: deployment.spec?.template.metadata?.labels ?? {},
      ...(input.settings.publishService ? { proxyService: input.settings.publishService } : {}),
    });
    if (identity.warning) this.recordOnDeployment(input, 'Warning', 'MeshIdentityNotProxy', identity.warning);
    return identity;
  }

  private async condition(input: GatewayMeshInput, deployment: V1Deployment, pods: GatewayPodSummary, mesh: MeshLookup): Promise<MeshCondition> {
    const { settings } = input;
    const name = `${settings.gateway.namespace}/${settings.gateway.deployment}`;
    const kuma = desiredGatewayMetadata(settings.mesh, settings.gateway, deployment);
    // One apply for everything the template needs: one rollout, not two.
    const desired = { ...kuma, annotations: { ...input.templateAnnotations, ...kuma.annotations } };
    const problems = validateGatewayMetadata(desired);
    if (problems.length > 0) {
      this.o.log.error('refusing gateway metadata Kuma would reject', { object: name, problems });
      return { status: 'False', reason: 'InvalidGatewayMetadata', message: problems.join('; ') };
    }
    const nsNote = await this.ensureNamespace(input);
    if (templateNeedsApply(deployment, desired)) {
      const applied = input.leader && await this.applyTemplate(deployment, templateApplyBody(deployment, desired));
      return {
        status: 'False', reason: applied ? 'RollingOut' : 'TemplateNotMeshed',
        message: applied
          ? `pod template of ${name} updated (Kuma sidecar metadata or admin certificate hash); the gateway is rolling out`
          : `pod template of ${name} lacks the Kuma sidecar metadata or the current admin certificate hash${input.leader ? '' : ' (the leader will patch it)'}`,
      };
    }
    const blocking = blockingCondition({
      gateway: name, deployment, namespace: input.namespace, controlPlaneNamespace: settings.mesh.controlPlaneNamespace,
      pods, meshName: settings.mesh.name ?? 'default', mesh, templateToken: templateTokenProblem(deployment.spec?.template),
    });
    if (blocking) {
      this.recordOnDeployment(input, 'Warning', blocking.reason, blocking.message);
      return blocking;
    }
    return this.podCondition(input, pods, nsNote);
  }

  private async applyTemplate(deployment: V1Deployment, body: Record<string, unknown>): Promise<boolean> {
    const rv = deployment.metadata?.resourceVersion;
    if (rv !== undefined && rv === this.appliedFrom) return true;
    const { namespace = '', name = '' } = deployment.metadata ?? {};
    try {
      await this.takeOverLegacyKeys(deployment);
      await this.o.writer.applyDeployment(namespace, name, body);
      this.appliedFrom = rv;
      this.o.log.info('applied gateway pod template metadata', { object: `${namespace}/${name}` });
      return true;
    } catch (err) {
      this.o.log.warn('applying gateway pod template metadata failed', { object: `${namespace}/${name}`, error: errorField(err) });
      return false;
    }
  }

  /**
   * Before meshdoor's first apply to a Deployment (no Apply entry of its own
   * yet), move the Kuma keys an earlier version merge-patched into that entry,
   * so that meshdoor can remove them once it no longer wants them.
   */
  private async takeOverLegacyKeys(deployment: V1Deployment): Promise<void> {
    if (deployment.metadata?.managedFields?.some(isOwnApplyEntry)) return;
    const { namespace = '', name = '' } = deployment.metadata ?? {};
    const moved = await this.o.writer.rewriteDeploymentManagedFields(namespace, name, (entries) => migrateLegacyOwnership(entries, LEGACY_KEYS));
    if (moved) this.o.log.info('took over the Kuma keys an earlier meshdoor merge-patched', { object: `${namespace}/${name}` });
  }

  /** Returns a note for the condition message when the namespace keeps Kuma's webhook away. */
  private async ensureNamespace(input: GatewayMeshInput): Promise<string | undefined> {
    const action = namespaceLabelAction(input.namespace, input.settings.gateway.labelNamespace);
    if (action.action === 'report') {
      this.recordOnDeployment(input, 'Warning', 'NamespaceNotLabelled', action.message);
      return action.message;
    }
    if (action.action !== 'apply' || !input.leader) return undefined;
    const name = input.namespace?.metadata?.name ?? '';
    const rv = input.namespace?.metadata?.resourceVersion;
    if (rv !== undefined && rv === this.namespaceAppliedFrom) return undefined;
    try {
      await this.o.writer.applyNamespace(name, action.body);
      this.namespaceAppliedFrom = rv;
      this.o.log.info('applied the gateway namespace\'s sidecar-injection label', { object: name });
    } catch (err) {
      this.o.log.warn('labelling gateway namespace failed', { object: name, error: errorField(err) });
    }
    return undefined;
  }

  private async podCondition(input: GatewayMeshInput, pods: GatewayPodSummary, nsNote: string | undefined): Promise<MeshCondition> {
    if (pods.total === 0) {
      return { status: 'Unknown', reason: 'NoGatewayPods', message: 'the gateway Deployment has no pods' };
    }
    if (pods.withoutSidecar.length === 0) {
      const unhealthy = podHealthCondition(pods);
      if (unhealthy) this.recordOnDeployment(input, 'Warning', unhealthy.reason, unhealthy.message);
      return unhealthy ?? { status: 'True', reason: 'SidecarsReady', message: `${pods.withSidecar}/${pods.total} gateway pods run a started and ready kuma-sidecar` };
    }
    for (const pod of input.leader ? pods.withoutSidecar : []) {
      this.o.events.record(
        { apiVersion: 'v1', kind: 'Pod', namespace: input.settings.gateway.namespace, name: pod },
        'Warning', 'SidecarMissing', 'gateway pod runs without the kuma-sidecar container; traffic from Kong bypasses the mesh',
      );
    }
    const restarted = nsNote === undefined && await this.maybeRestart(input);
    const base = `${pods.withoutSidecar.length}/${pods.total} gateway pods have no kuma-sidecar: ${pods.withoutSidecar.join(', ')}`;
    const hint = nsNote ?? (restarted ? 'rollout restart triggered' : 'restart the gateway pods (kubectl rollout restart) or use --restart-unmeshed-gateway');
    return { status: 'False', reason: 'SidecarMissing', message: `${base}; ${hint}` };
  }

  private async maybeRestart(input: GatewayMeshInput): Promise<boolean> {
    const deployment = input.deployment;
    if (!this.o.restartUnmeshed || !input.leader || !deployment || !rolloutComplete(deployment)) return false;
    const generation = deployment.metadata?.generation ?? 0;
    if (this.restartedGeneration !== undefined && generation <= this.restartedGeneration) return false;
    const { namespace = '', name = '' } = deployment.metadata ?? {};
    try {
      await this.o.writer.patchDeployment(namespace, name, restartPatch(new Date(this.o.clock.now())));
      this.restartedGeneration = generation + 1;
      this.o.log.info('restarted gateway pods without sidecar', { object: `${namespace}/${name}` });
      this.recordOnDeployment(input, 'Normal', 'RolloutRestarted', 'gateway pods lacked the kuma-sidecar although the pod template is meshed; restarted the rollout');
      return true;
    } catch (err) {
      this.o.log.warn('restarting gateway deployment failed', { object: `${namespace}/${name}`, error: errorField(err) });
      return false;
    }
  }

  private recordOnDeployment(input: GatewayMeshInput, type: 'Normal' | 'Warning', reason: string, message: string): void {
    if (!input.leader || !input.deployment?.metadata?.name) return;
    const { namespace, name, uid } = input.deployment.metadata;
    this.o.events.record({ apiVersion: DEPLOYMENT_API, kind: 'Deployment', namespace, name, ...(uid ? { uid } : {}) }, type, reason, message);
  }
}
