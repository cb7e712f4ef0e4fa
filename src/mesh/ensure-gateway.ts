// The gateway in the mesh, I/O side: desired → compare → merge-patch the gateway
// Deployment's pod template (leader only, never when nothing differs), the
// namespace label, sidecar detection on its pods, and the optional
// rollout restart of pods that still lack the sidecar.
import type { V1Deployment, V1Namespace, V1Pod } from '@kubernetes/client-node';
import type { MeshDoorSettings } from '../config/settings.ts';
import type { Clock } from '../kube/clock.ts';
import type { EventRecorder } from '../kube/events.ts';
import type { KubeWriter } from '../kube/kube-writer.ts';
import { errorField, type Logger } from '../observe/logger.ts';
import {
  desiredGatewayMetadata, gatewayMetadataPatch, namespaceLabelAction, restartPatch, validateGatewayMetadata,
} from './gateway-metadata.ts';
import { rolloutComplete, summarizeGatewayPods, type GatewayPodSummary } from './sidecar.ts';

export interface GatewayMeshInput {
  settings: MeshDoorSettings;
  deployment: V1Deployment | undefined;
  namespace: V1Namespace | undefined;
  /** The Deployment's pods (selected by its matchLabels). */
  pods: readonly V1Pod[];
  leader: boolean;
  /** More pod template annotations the gateway must carry (the admin certificates' hash). */
  templateAnnotations?: Readonly<Record<string, string>>;
}

export interface MeshCondition {
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

export interface GatewayMeshState {
  condition: MeshCondition;
  pods: GatewayPodSummary;
}

export interface GatewayMeshOptions {
  writer: Pick<KubeWriter, 'patchDeployment' | 'patchNamespace'>;
  events: EventRecorder;
  clock: Clock;
  log: Logger;
  /** Roll the Deployment out again when its template is right but its pods lack the sidecar. */
  restartUnmeshed: boolean;
}

const DEPLOYMENT_API = 'apps/v1';

export class GatewayMesh {
  /** resourceVersion we last patched from: skip until the watch shows our write. */
  private patchedFrom: string | undefined;
  private namespacePatchedFrom: string | undefined;
  /** Generation our own restart produced: never restart that one again. */
  private restartedGeneration: number | undefined;

  constructor(private readonly o: GatewayMeshOptions) {}

  async ensure(input: GatewayMeshInput): Promise<GatewayMeshState> {
    const pods = summarizeGatewayPods(input.pods);
    const { deployment, settings } = input;
    const name = `${settings.gateway.namespace}/${settings.gateway.deployment}`;
    if (!deployment) {
      return { pods, condition: { status: 'False', reason: 'GatewayNotFound', message: `gateway Deployment ${name} not found` } };
    }
    const kuma = desiredGatewayMetadata(settings.mesh);
    // One patch for everything the template needs: one rollout, not two.
    const desired = { ...kuma, annotations: { ...input.templateAnnotations, ...kuma.annotations } };
    const problems = validateGatewayMetadata(desired);
    if (problems.length > 0) {
      this.o.log.error('refusing gateway metadata Kuma would reject', { object: name, problems });
      return { pods, condition: { status: 'False', reason: 'InvalidGatewayMetadata', message: problems.join('; ') } };
    }
    const nsNote = await this.ensureNamespace(input);
    const patch = gatewayMetadataPatch(deployment, desired);
    if (patch) {
      const patched = input.leader && await this.patchTemplate(deployment, patch);
      return {
        pods,
        condition: {
          status: 'False', reason: patched ? 'RollingOut' : 'TemplateNotMeshed',
          message: patched
            ? `pod template of ${name} updated (Kuma sidecar metadata or admin certificate hash); the gateway is rolling out`
            : `pod template of ${name} lacks the Kuma sidecar metadata or the current admin certificate hash${input.leader ? '' : ' (the leader will patch it)'}`,
        },
      };
    }
    return { pods, condition: await this.podCondition(input, pods, nsNote) };
  }

  private async patchTemplate(deployment: V1Deployment, patch: Record<string, unknown>): Promise<boolean> {
    const rv = deployment.metadata?.resourceVersion;
    if (rv !== undefined && rv === this.patchedFrom) return true;
    const { namespace = '', name = '' } = deployment.metadata ?? {};
    try {
      await this.o.writer.patchDeployment(namespace, name, patch);
      this.patchedFrom = rv;
      this.o.log.info('patched gateway pod template', { object: `${namespace}/${name}` });
      return true;
    } catch (err) {
      this.o.log.warn('patching gateway deployment failed', { object: `${namespace}/${name}`, error: errorField(err) });
      return false;
    }
  }

  /** Returns a note for the condition message when the namespace keeps Kuma's webhook away. */
  private async ensureNamespace(input: GatewayMeshInput): Promise<string | undefined> {
    const action = namespaceLabelAction(input.namespace, input.settings.gateway.labelNamespace);
    if (action.action === 'report') {
      this.recordOnDeployment(input, 'Warning', 'NamespaceNotLabelled', action.message);
      return action.message;
    }
    if (action.action !== 'patch' || !input.leader) return undefined;
    const name = input.namespace?.metadata?.name ?? '';
    const rv = input.namespace?.metadata?.resourceVersion;
    if (rv !== undefined && rv === this.namespacePatchedFrom) return undefined;
    try {
      await this.o.writer.patchNamespace(name, action.patch);
      this.namespacePatchedFrom = rv;
      this.o.log.info('labelled gateway namespace for sidecar injection', { object: name });
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
      return { status: 'True', reason: 'SidecarsInjected', message: `${pods.withSidecar}/${pods.total} gateway pods have the kuma-sidecar` };
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
