// Every write the controller makes to the API server, behind one small interface
// so the status/event/mesh logic can be tested against a recording fake.
import {
  PatchStrategy, setHeaderOptions,
  type CoreV1Event, type V1IngressStatus, type V1ManagedFieldsEntry, type V1Secret,
} from '@kubernetes/client-node';
import type { KubeClients } from './clients.ts';

/** JSON merge patch (RFC 7386) body. */
export type MergePatch = Record<string, unknown>;

export interface KubeWriter {
  /** Merge-patches an Ingress's status subresource. */
  patchIngressStatus(namespace: string, name: string, status: V1IngressStatus): Promise<void>;
  patchDeployment(namespace: string, name: string, patch: MergePatch): Promise<void>;
  /**
   * Server-side applies `body` (a partial Deployment) with meshdoor's own field
   * manager, forcing ownership of the fields it names: the API server removes
   * fields a previous apply named and this one does not, and no others.
   */
  applyDeployment(namespace: string, name: string, body: Record<string, unknown>): Promise<void>;
  /**
   * Reads a Deployment and replaces its managedFields with what `rewrite`
   * makes of them (nothing when it returns undefined), guarded by the
   * resourceVersion it read. Returns whether it wrote.
   */
  rewriteDeploymentManagedFields(
    namespace: string, name: string, rewrite: (entries: V1ManagedFieldsEntry[] | undefined) => V1ManagedFieldsEntry[] | undefined,
  ): Promise<boolean>;
  /** Server-side applies a partial Namespace, like applyDeployment. */
  applyNamespace(name: string, body: Record<string, unknown>): Promise<void>;
  /** Merge-patches the MeshDoor's status subresource. */
  patchMeshDoorStatus(name: string, status: Record<string, unknown>): Promise<void>;
  createEvent(event: CoreV1Event): Promise<void>;
  /** Merge-patches a Secret (the admin TLS Secrets meshdoor manages). */
  patchSecret(namespace: string, name: string, patch: MergePatch): Promise<void>;
  createSecret(secret: V1Secret): Promise<void>;
}

export const FIELD_MANAGER = 'meshdoor';
const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const APPLY = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);
const JSON_PATCH = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

export function kubeWriter(clients: KubeClients): KubeWriter {
  return {
    async patchIngressStatus(namespace, name, status) {
      await clients.networking.patchNamespacedIngressStatus({ namespace, name, body: { status }, fieldManager: FIELD_MANAGER }, MERGE);
    },
    async patchDeployment(namespace, name, patch) {
      await clients.apps.patchNamespacedDeployment({ namespace, name, body: patch, fieldManager: FIELD_MANAGER }, MERGE);
    },
    async applyDeployment(namespace, name, body) {
      await clients.apps.patchNamespacedDeployment({ namespace, name, body, fieldManager: FIELD_MANAGER, force: true }, APPLY);
    },
    async rewriteDeploymentManagedFields(namespace, name, rewrite) {
      const current = await clients.apps.readNamespacedDeployment({ namespace, name });
      const next = rewrite(current.metadata?.managedFields);
      if (!next) return false;
      const body = [
        { op: 'test', path: '/metadata/resourceVersion', value: current.metadata?.resourceVersion },
        { op: 'replace', path: '/metadata/managedFields', value: next },
      ];
      await clients.apps.patchNamespacedDeployment({ namespace, name, body, fieldManager: FIELD_MANAGER }, JSON_PATCH);
      return true;
    },
    async applyNamespace(name, body) {
      await clients.core.patchNamespace({ name, body, fieldManager: FIELD_MANAGER, force: true }, APPLY);
    },
    async patchMeshDoorStatus(name, status) {
      await clients.custom.patchClusterCustomObjectStatus(
        { group: 'meshdoor.dev', version: 'v1alpha1', plural: 'meshdoors', name, body: { status }, fieldManager: FIELD_MANAGER },
        MERGE,
      );
    },
    async patchSecret(namespace, name, patch) {
      await clients.core.patchNamespacedSecret({ namespace, name, body: patch, fieldManager: FIELD_MANAGER }, MERGE);
    },
    async createSecret(secret) {
      await clients.core.createNamespacedSecret({ namespace: secret.metadata?.namespace ?? '', body: secret, fieldManager: FIELD_MANAGER });
    },
    async createEvent(event) {
      await clients.core.createNamespacedEvent({ namespace: event.metadata.namespace ?? 'default', body: event });
    },
  };
}
