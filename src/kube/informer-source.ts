// WatchSource on the API server: client-node's typed list calls and its Watch
// request, resumed from the last version seen (resuming-watch.ts). A failing
// list rejects start(), so the supervisor restarts with backoff.
import { Watch, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import type { KubeClients } from './clients.ts';
import { ResumingWatchSource, type WatchTransport } from './resuming-watch.ts';
import { keptBySpec, keptItems, type WatchKind, type WatchSourceFactory, type WatchSpec } from './watch-source.ts';

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

export interface InformerSourceOptions {
  /**
   * The server ends each watch after this to twice this (randomised, as
   * client-go does, so watches do not reconnect in step); default 5 minutes.
   */
  minWatchTimeoutMs?: number;
}

/**
 * A watch that received nothing, not even a bookmark, for this long is taken as
 * a silently dropped connection and resumed. The watch cache sends a bookmark
 * about every minute (and just before the server's timeout) once anything of
 * that kind changed anywhere; client-node's default (30 s) would cut every quiet
 * watch before its first bookmark, so it would always resume from its original version.
 */
export const WATCH_IDLE_TIMEOUT_MS = 150_000;

function clientNodeTransport(clients: KubeClients, spec: WatchSpec, minTimeoutS: number): WatchTransport {
  const info = KINDS[spec.kind];
  const sel: Selectors = {
    ...(spec.labelSelector ? { labelSelector: spec.labelSelector } : {}),
    ...(spec.fieldSelector ? { fieldSelector: spec.fieldSelector } : {}),
  };
  const namespace = info.namespaced ? spec.namespace : undefined;
  const watch = new Watch(clients.config);
  // The idle timeout is a private field of client-node's Watch (no option for it).
  (watch as unknown as { requestTimeoutMs: number }).requestTimeoutMs = WATCH_IDLE_TIMEOUT_MS;
  const path = watchPath(spec);
  return {
    async list() {
      const list = await info.list(clients, namespace, sel);
      // Dropped here, before the resuming source keeps its copy of the list.
      return { items: keptItems(spec, list.items).map(normalize), resourceVersion: list.metadata?.resourceVersion ?? '' };
    },
    watch(resourceVersion, onEvent, onDone) {
      const timeoutSeconds = minTimeoutS + Math.floor(Math.random() * minTimeoutS);
      const params = { ...sel, resourceVersion, allowWatchBookmarks: true, timeoutSeconds };
      return watch.watch(path, params, (type: string, obj: KubernetesObject) => {
        if (type === 'BOOKMARK' || type === 'ERROR' || keptBySpec(spec, obj)) onEvent(type, type === 'BOOKMARK' ? obj : normalize(obj));
        // An object not kept still moves the version the watch resumes from, without its data.
        else onEvent('BOOKMARK', { metadata: { resourceVersion: obj.metadata?.resourceVersion ?? '' } });
      }, onDone);
    },
  };
}

export function informerSourceFactory(clients: KubeClients, options: InformerSourceOptions = {}): WatchSourceFactory {
  const minTimeoutS = Math.max(1, Math.round((options.minWatchTimeoutMs ?? 300_000) / 1000));
  return (spec) => new ResumingWatchSource(clientNodeTransport(clients, spec, minTimeoutS));
}
