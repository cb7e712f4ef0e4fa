// Typed reads of what the controller writes (Ingress status, Events, the
// MeshDoor status, the gateway Deployment), through kubectl as cluster admin.
import type { CoreV1Event, V1Deployment, V1Ingress, V1Lease, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import type { Cluster } from './cluster.ts';

interface List<T> {
  items: T[];
}

export async function ingressAddresses(cluster: Cluster, namespace: string, name: string): Promise<string[]> {
  const ingress = await cluster.getJson<V1Ingress>(['ingress', name, '-n', namespace]);
  return (ingress?.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '');
}

/** Warning Events whose involved object is `kind/name` in `namespace`. */
export async function warningEvents(cluster: Cluster, namespace: string, involved: { kind: string; name: string }, type: 'Warning' | 'Normal' = 'Warning'): Promise<CoreV1Event[]> {
  const selector = `type=${type},involvedObject.kind=${involved.kind},involvedObject.name=${involved.name}`;
  const list = await cluster.getJson<List<CoreV1Event>>(['events', '-n', namespace, '--field-selector', selector]);
  return list?.items ?? [];
}

export async function podsWithLabel(cluster: Cluster, namespace: string, selector: string): Promise<V1Pod[]> {
  const list = await cluster.getJson<List<V1Pod>>(['pods', '-n', namespace, '-l', selector]);
  return list?.items ?? [];
}

export interface MeshDoorStatusView {
  conditions?: Array<{ type: string; status: string; reason: string; message: string }>;
  routes?: number;
  services?: number;
  configHash?: string;
  gatewayPods?: { withSidecar?: number; withoutSidecar?: number };
  meshIdentity?: { service: string; fromService: string; warning: string };
  mesh?: { name: string; read: boolean; found: string; meshServicesMode: string; warning: string };
  failingObjectCount?: number;
  failingObjects?: Array<{ kind: string; namespace?: string; name: string; reason: string; message: string }>;
  kongRejections?: Array<{ entity: string; kind: string; name: string }>;
  lastValid?: Array<{ kind: string; object: { metadata?: { name?: string } } }>;
  hostOwners?: Array<{ host: string; namespace: string }>;
  sharedHosts?: Array<{ host: string; namespaces: string[] }>;
}

export async function meshdoorStatus(cluster: Cluster, name = 'default'): Promise<MeshDoorStatusView> {
  const obj = await cluster.getJson<{ status?: MeshDoorStatusView }>(['meshdoors.meshdoor.dev', name]);
  return obj?.status ?? {};
}

export async function gatewayDeployment(cluster: Cluster): Promise<V1Deployment> {
  const deployment = await cluster.getJson<V1Deployment>(['deployment', 'kong-gateway', '-n', 'kong']);
  if (!deployment) throw new Error('deployment kong/kong-gateway not found');
  return deployment;
}

export async function gatewayReplicaSets(cluster: Cluster): Promise<V1ReplicaSet[]> {
  const list = await cluster.getJson<List<V1ReplicaSet>>(['replicasets', '-n', 'kong', '-l', 'app.kubernetes.io/name=kong-gateway']);
  return list?.items ?? [];
}

export async function lease(cluster: Cluster, name: string, namespace = 'kong'): Promise<V1Lease | undefined> {
  return cluster.getJson<V1Lease>(['lease', name, '-n', namespace]);
}
