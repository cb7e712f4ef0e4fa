// WatchSource on client-node's ListWatch. ListWatch reports list failures
// through its 'error' callback and stops; here they become a rejected start()
// so the supervisor can restart with backoff.
import { ListWatch, Watch, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import type { KubeClients } from './clients.ts';
import type { WatchHandlers, WatchKind, WatchSource, WatchSourceFactory, WatchSpec } from './watch-source.ts';

interface Selectors { labelSelector?: string; fieldSelector?: string }
type ListFn = (c: KubeClients, ns: string | undefined, sel: Selectors) => Promise<KubernetesListObject<KubernetesObject>>;

interface KindInfo { prefix: string; plural: string; namespaced: boolean; list: ListFn }

const MESHDOOR = { group: 'meshdoor.dev', version: 'v1alpha1', plural: 'meshdoors' } as const;

const KINDS: Record<WatchKind, KindInfo> = {
  Ingress: {
    prefix: '/apis/networking.k8s.io/v1', plural: 'ingresses', namespaced: true,
    list: (c, namespace, sel) => (namespace ? c.networking.listNamespacedIngress({ namespace, ...sel }) : c.networking.listIngressForAllNamespaces(sel)),
  },
  IngressClass: {
    prefix: '/apis/networking.k8s.io/v1', plural: 'ingressclasses', namespaced: false,
    list: (c, _ns, sel) => c.networking.listIngressClass(sel),
  },
  Service: {
    prefix: '/api/v1', plural: 'services', namespaced: true,
    list: (c, namespace, sel) => (namespace ? c.core.listNamespacedService({ namespace, ...sel }) : c.core.listServiceForAllNamespaces(sel)),
  },
  EndpointSlice: {
    prefix: '/apis/discovery.k8s.io/v1', plural: 'endpointslices', namespaced: true,
    list: (c, namespace, sel) => (namespace ? c.discovery.listNamespacedEndpointSlice({ namespace, ...sel }) : c.discovery.listEndpointSliceForAllNamespaces(sel)),
  },
  Secret: {
    prefix: '/api/v1', plural: 'secrets', namespaced: true,
    list: (c, namespace, sel) => (namespace ? c.core.listNamespacedSecret({ namespace, ...sel }) : c.core.listSecretForAllNamespaces(sel)),
  },
  MeshDoor: {
    prefix: `/apis/${MESHDOOR.group}/${MESHDOOR.version}`, plural: MESHDOOR.plural, namespaced: false,
    list: (c, _ns, sel) => c.custom.listClusterCustomObject({ ...MESHDOOR, ...sel }) as Promise<KubernetesListObject<KubernetesObject>>,
  },
  Deployment: {
    prefix: '/apis/apps/v1', plural: 'deployments', namespaced: true,
    list: (c, namespace, sel) => (namespace ? c.apps.listNamespacedDeployment({ namespace, ...sel }) : c.apps.listDeploymentForAllNamespaces(sel)),
  },
  Pod: {
    prefix: '/api/v1', plural: 'pods', namespaced: true,
    list: (c, namespace, sel) => (namespace ? c.core.listNamespacedPod({ namespace, ...sel }) : c.core.listPodForAllNamespaces(sel)),
  },
  Namespace: {
    prefix: '/api/v1', plural: 'namespaces', namespaced: false,
    list: (c, _ns, sel) => c.core.listNamespace(sel),
  },
};

export function watchPath(spec: WatchSpec): string {
  const info = KINDS[spec.kind];
  const ns = info.namespaced && spec.namespace ? `/namespaces/${spec.namespace}` : '';
  return `${info.prefix}${ns}/${info.plural}`;
}

/** Watch events carry raw JSON; typed lists carry Dates. Make timestamps Dates in both. */
function normalize<T extends KubernetesObject>(obj: T): T {
  const meta = obj.metadata as { creationTimestamp?: unknown; deletionTimestamp?: unknown } | undefined;
  if (meta && typeof meta.creationTimestamp === 'string') meta.creationTimestamp = new Date(meta.creationTimestamp);
  if (meta && typeof meta.deletionTimestamp === 'string') meta.deletionTimestamp = new Date(meta.deletionTimestamp);
  return obj;
}

class InformerSource implements WatchSource {
  private readonly listWatch: ListWatch<KubernetesObject>;

  constructor(clients: KubeClients, spec: WatchSpec) {
    const info = KINDS[spec.kind];
    const sel: Selectors = {
      ...(spec.labelSelector ? { labelSelector: spec.labelSelector } : {}),
      ...(spec.fieldSelector ? { fieldSelector: spec.fieldSelector } : {}),
    };
    const namespace = info.namespaced ? spec.namespace : undefined;
    this.listWatch = new ListWatch(
      watchPath(spec), new Watch(clients.config), () => info.list(clients, namespace, sel),
      false, spec.labelSelector, spec.fieldSelector,
    );
  }

  async start(handlers: WatchHandlers<KubernetesObject>): Promise<readonly KubernetesObject[]> {
    let starting = true;
    let startError: unknown;
    const upsert = (obj: KubernetesObject): void => { handlers.onUpsert(normalize(obj)); };
    this.listWatch.on('add', upsert);
    this.listWatch.on('update', upsert);
    this.listWatch.on('delete', (obj) => { handlers.onDelete(obj); });
    this.listWatch.on('error', (err?: unknown) => {
      const error = err ?? new Error('watch ended with an unknown error');
      if (starting) startError ??= error;
      else handlers.onError(error);
    });
    await this.listWatch.start();
    starting = false;
    if (startError !== undefined) {
      await this.listWatch.stop();
      throw startError instanceof Error ? startError : new Error(JSON.stringify(startError));
    }
    return this.listWatch.list().map(normalize);
  }

  async stop(): Promise<void> {
    await this.listWatch.stop();
  }
}

export function informerSourceFactory(clients: KubeClients): WatchSourceFactory {
  return (spec) => new InformerSource(clients, spec);
}
