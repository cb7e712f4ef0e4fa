// Every write the controller makes to the API server, behind one small interface
// so the status/event/mesh logic can be tested against a recording fake.
import {
  PatchStrategy, setHeaderOptions,
  type CoreV1Event, type V1IngressStatus, type V1Secret,
} from '@kubernetes/client-node';
import type { KubeClients } from './clients.ts';

/** JSON merge patch (RFC 7386) body. */
export type MergePatch = Record<string, unknown>;

export interface KubeWriter {
  /** Merge-patches an Ingress's status subresource. */
  patchIngressStatus(namespace: string, name: string, status: V1IngressStatus): Promise<void>;
  patchDeployment(namespace: string, name: string, patch: MergePatch): Promise<void>;
  patchNamespace(name: string, patch: MergePatch): Promise<void>;
  /** Merge-patches the MeshDoor's status subresource. */
  patchMeshDoorStatus(name: string, status: Record<string, unknown>): Promise<void>;
  createEvent(event: CoreV1Event): Promise<void>;
  /** Merge-patches a Secret (the admin TLS Secrets meshdoor manages). */
  patchSecret(namespace: string, name: string, patch: MergePatch): Promise<void>;
  createSecret(secret: V1Secret): Promise<void>;
}

export const FIELD_MANAGER = 'meshdoor';
const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export function kubeWriter(clients: KubeClients): KubeWriter {
  return {
    async patchIngressStatus(namespace, name, status) {
      await clients.networking.patchNamespacedIngressStatus({ namespace, name, body: { status }, fieldManager: FIELD_MANAGER }, MERGE);
    },
    async patchDeployment(namespace, name, patch) {
      await clients.apps.patchNamespacedDeployment({ namespace, name, body: patch, fieldManager: FIELD_MANAGER }, MERGE);
    },
    async patchNamespace(name, patch) {
      await clients.core.patchNamespace({ name, body: patch, fieldManager: FIELD_MANAGER }, MERGE);
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
