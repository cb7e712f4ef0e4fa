// Builders for the objects the feature tests put in the fake cluster.
import type {
  KubernetesObject, V1ContainerStatus, V1Deployment, V1EndpointSlice, V1Ingress, V1IngressClass, V1Namespace, V1Pod, V1Secret, V1Service,
} from '@kubernetes/client-node';
import { templateFieldSet } from '../../src/mesh/managed-fields.ts';

export function meshdoor(spec: Record<string, unknown> = {}, name = 'default'): KubernetesObject & { spec: Record<string, unknown> } {
  return { apiVersion: 'meshdoor.dev/v1alpha1', kind: 'MeshDoor', metadata: { name }, spec };
}

export function ingressClass(name = 'kong'): V1IngressClass {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name }, spec: { controller: 'meshdoor.dev/ingress-controller' } };
}

export function service(ns: string, name: string, port = 80): V1Service {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name },
    spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', ports: [{ name: 'http', port, protocol: 'TCP' }], selector: { app: name } },
  };
}

export interface IngressOptions {
  host?: string;
  path?: string;
  className?: string | null;
  backend?: { name: string; port: number };
  tlsSecret?: string;
}

export function ingress(ns: string, name: string, o: IngressOptions = {}): V1Ingress {
  const backend = o.backend ?? { name: 'web', port: 80 };
  const host = o.host ?? `${name}.example.com`;
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { namespace: ns, name },
    spec: {
      ...(o.className === null ? {} : { ingressClassName: o.className ?? 'kong' }),
      ...(o.tlsSecret ? { tls: [{ hosts: [host], secretName: o.tlsSecret }] } : {}),
      rules: [{
        host,
        http: { paths: [{ path: o.path ?? '/', pathType: 'Prefix', backend: { service: { name: backend.name, port: { number: backend.port } } } }] },
      }],
    },
  };
}

/** The EndpointSlice of a backend Service: one endpoint, ready or not. */
export function serviceEndpoints(ns: string, service: string, ready = true): V1EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { namespace: ns, name: `${service}-abc`, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: [{ addresses: ['10.1.0.7'], conditions: { ready } }],
  };
}

export function tlsSecret(ns: string, name: string): V1Secret {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { namespace: ns, name }, type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } };
}

export function gatewayNamespace(labels: Record<string, string> = { 'kuma.io/sidecar-injection': 'enabled' }): V1Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kong', labels } };
}

export function gatewayDeployment(templateLabels: Record<string, string> = {}, templateAnnotations: Record<string, string> = {}): V1Deployment {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { namespace: 'kong', name: 'kong-gateway' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'kong-gateway' } },
      template: {
        metadata: { labels: { app: 'kong-gateway', ...templateLabels }, annotations: templateAnnotations },
        spec: { containers: [{ name: 'proxy', image: 'kong:3.9' }] },
      },
    },
    status: { observedGeneration: 99, replicas: 2, updatedReplicas: 2, readyReplicas: 2 },
  };
}

/** A meshed template, as the controller would leave it. */
export function meshedGatewayDeployment(): V1Deployment {
  const deployment = gatewayDeployment({ 'kuma.io/sidecar-injection': 'enabled' }, { 'kuma.io/gateway': 'enabled' });
  const fieldsV1 = templateFieldSet({ labels: ['kuma.io/sidecar-injection'], annotations: ['kuma.io/gateway'], volumes: [] });
  deployment.metadata = { ...deployment.metadata, managedFields: [{ manager: 'meshdoor', operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1 }] };
  return deployment;
}

export type SidecarPlacement = 'containers' | 'initContainers' | 'none';

export interface GatewayPodOptions {
  /** The kuma-sidecar's container status; default started and ready for a Running pod, none for a Pending one. */
  sidecarStatus?: Partial<V1ContainerStatus> | null;
  /** Whether Kuma mounted a ServiceAccount token into the sidecar (default true). */
  token?: boolean;
}

export function gatewayPod(name: string, sidecar: SidecarPlacement, phase = 'Running', o: GatewayPodOptions = {}): V1Pod {
  const tokenMount = { name: 'kuma-sidecar-token', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true };
  const sidecarContainer = { name: 'kuma-sidecar', image: 'kuma-dp:2.14', ...(o.token === false ? {} : { volumeMounts: [tokenMount] }) };
  const defaultStatus = phase === 'Running' ? { ready: true, started: true } : null;
  const status = o.sidecarStatus === undefined ? defaultStatus : o.sidecarStatus;
  const sidecarStatus: V1ContainerStatus[] = status && sidecar !== 'none'
    ? [{ name: 'kuma-sidecar', image: 'kuma-dp:2.14', imageID: '', restartCount: 0, ready: false, ...status }]
    : [];
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'kong', name, labels: { app: 'kong-gateway' } },
    spec: {
      containers: [...(sidecar === 'containers' ? [sidecarContainer] : []), { name: 'proxy', image: 'kong:3.9' }],
      ...(sidecar === 'initContainers' ? { initContainers: [{ name: 'kuma-init', image: 'kuma-init:2.14' }, { ...sidecarContainer, restartPolicy: 'Always' }] } : {}),
    },
    status: {
      phase,
      ...(sidecar === 'initContainers' ? { initContainerStatuses: sidecarStatus } : {}),
      ...(sidecar === 'containers' ? { containerStatuses: sidecarStatus } : {}),
    },
  };
}

export function publishService(ip = '203.0.113.10'): V1Service {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'kong', name: 'kong-proxy' },
    spec: { type: 'LoadBalancer', clusterIP: '10.96.0.2', clusterIPs: ['10.96.0.2'], ports: [{ name: 'proxy', port: 80 }] },
    status: { loadBalancer: { ingress: [{ ip }] } },
  };
}

/** The Kong admin Service's EndpointSlice, pointing at a local Kong double. */
export function adminEndpointSlice(port: number, ready = true, name = 'kong-admin-abc'): V1EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { namespace: 'kong', name, labels: { 'kubernetes.io/service-name': 'kong-admin' } },
    addressType: 'IPv4',
    ports: [{ name: 'admin', port, protocol: 'TCP', appProtocol: 'http' }],
    endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready } }],
  };
}

/** The cluster the gateway runs in: everything but the apps. */
export function gatewayObjects(adminPort: number): KubernetesObject[] {
  return [
    meshdoor(), ingressClass(), gatewayNamespace(), meshedGatewayDeployment(),
    gatewayPod('kong-gateway-1', 'initContainers'), gatewayPod('kong-gateway-2', 'initContainers'),
    publishService(), adminEndpointSlice(adminPort),
  ];
}
