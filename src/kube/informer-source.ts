// WatchSource on the API server: lists paged and read as plain JSON
// (paged-list.ts), then client-node's Watch request, resumed from the last
// version seen (resuming-watch.ts). A failing list rejects start(), so the
// supervisor restarts with backoff.
import { Watch, type KubernetesObject } from '@kubernetes/client-node';
import type { KubeClients } from './clients.ts';
import { kubeGetJson, listAllPages } from './paged-list.ts';
import { ResumingWatchSource, type WatchTransport } from './resuming-watch.ts';
import { keptBySpec, keptItems, type WatchKind, type WatchSourceFactory, type WatchSpec } from './watch-source.ts';

interface Selectors { labelSelector?: string; fieldSelector?: string }

interface KindInfo { prefix: string; plural: string; namespaced: boolean }

const KINDS: Record<WatchKind, KindInfo> = {
  Ingress: { prefix: '/apis/networking.k8s.io/v1', plural: 'ingresses', namespaced: true },
  IngressClass: { prefix: '/apis/networking.k8s.io/v1', plural: 'ingressclasses', namespaced: false },
  Service: { prefix: '/api/v1', plural: 'services', namespaced: true },
  EndpointSlice: { prefix: '/apis/discovery.k8s.io/v1', plural: 'endpointslices', namespaced: true },
  Secret: { prefix: '/api/v1', plural: 'secrets', namespaced: true },
  MeshDoor: { prefix: '/apis/meshdoor.dev/v1alpha1', plural: 'meshdoors', namespaced: false },
  Deployment: { prefix: '/apis/apps/v1', plural: 'deployments', namespaced: true },
  Pod: { prefix: '/api/v1', plural: 'pods', namespaced: true },
  Namespace: { prefix: '/api/v1', plural: 'namespaces', namespaced: false },
  KongPlugin: { prefix: '/apis/configuration.konghq.com/v1', plural: 'kongplugins', namespaced: true },
  KongClusterPlugin: { prefix: '/apis/configuration.konghq.com/v1', plural: 'kongclusterplugins', namespaced: false },
  KongConsumer: { prefix: '/apis/configuration.konghq.com/v1', plural: 'kongconsumers', namespaced: true },
};

export function watchPath(spec: WatchSpec): string {
  const info = KINDS[spec.kind];
  const ns = info.namespaced && spec.namespace ? `/namespaces/${spec.namespace}` : '';
  return `${info.prefix}${ns}/${info.plural}`;
}

/** Lists and watch events carry raw JSON; the rest of the controller reads timestamps as Dates (client-node's types). */
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

function listUrl(clients: KubeClients, path: string, sel: Selectors): URL {
  const server = clients.config.getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig names no current cluster');
  const url = new URL(server + path);
  if (sel.labelSelector) url.searchParams.set('labelSelector', sel.labelSelector);
  if (sel.fieldSelector) url.searchParams.set('fieldSelector', sel.fieldSelector);
  return url;
}

function clientNodeTransport(clients: KubeClients, spec: WatchSpec, minTimeoutS: number): WatchTransport {
  const sel: Selectors = {
    ...(spec.labelSelector ? { labelSelector: spec.labelSelector } : {}),
    ...(spec.fieldSelector ? { fieldSelector: spec.fieldSelector } : {}),
  };
  const watch = new Watch(clients.config);
  // The idle timeout is a private field of client-node's Watch (no option for it).
  (watch as unknown as { requestTimeoutMs: number }).requestTimeoutMs = WATCH_IDLE_TIMEOUT_MS;
  const path = watchPath(spec);
  const getJson = kubeGetJson(clients.config);
  return {
    async list() {
      const listed = await listAllPages(getJson, listUrl(clients, path, sel));
      // Dropped here, before the resuming source keeps its copy of the list.
      return { items: keptItems(spec, listed.items).map(normalize), resourceVersion: listed.resourceVersion };
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
