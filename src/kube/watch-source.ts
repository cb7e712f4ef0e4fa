// The watch abstraction the store is fed from: list + watch of one resource
// kind, optionally namespaced and label/field selected. A client-node
// implementation lives in informer-source.ts, an in-memory one in fake-cluster.ts.
import type { KubernetesObject } from '@kubernetes/client-node';

export type WatchKind =
  | 'Ingress' | 'IngressClass' | 'Service' | 'EndpointSlice' | 'Secret'
  | 'MeshDoor' | 'Deployment' | 'Pod' | 'Namespace';

/** What the controller uses a watch for; several watches may share a role. */
export type WatchRole =
  | 'ingresses' | 'ingressClasses' | 'services' | 'endpointSlices' | 'secrets'
  | 'meshdoor' | 'gatewayDeployment' | 'gatewayPods' | 'gatewayNamespace'
  | 'adminEndpoints' | 'publishService' | 'gatewayServices' | 'adminTlsSecrets'
  /** EndpointSlices outside `endpoints` mode: read only to report backends without ready endpoints. */
  | 'backendEndpoints';

export interface WatchSpec {
  role: WatchRole;
  kind: WatchKind;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /**
   * `hard` watches must have synced before anything is pushed to Kong; `soft`
   * ones (per-Secret watches) are waited for only briefly, so one unreadable
   * Secret cannot block every other route.
   */
  gate: 'hard' | 'soft';
}

export function watchSpecId(spec: WatchSpec): string {
  return [spec.role, spec.kind, spec.namespace ?? '*', spec.labelSelector ?? '', spec.fieldSelector ?? ''].join('|');
}

export interface WatchHandlers<T> {
  onUpsert(obj: T): void;
  onDelete(obj: T): void;
  /** The source listed again (its resourceVersion was gone): these objects replace everything it handed over. */
  onRelist(items: readonly T[]): void;
  /** The watch stopped for good; the supervisor restarts it with a fresh source. */
  onError(err: unknown): void;
}

export interface WatchSource<T extends KubernetesObject = KubernetesObject> {
  /**
   * Lists, then watches. Resolves with the full list; rejects when listing or connecting fails.
   * Objects handed over (listed or upserted) belong to the watch layer from then on:
   * it trims them in place before caching (cache-trim.ts), so never hand over an
   * object that must stay whole, such as a source's view of the server itself.
   */
  start(handlers: WatchHandlers<T>): Promise<readonly T[]>;
  stop(): Promise<void>;
}

export type WatchSourceFactory = (spec: WatchSpec) => WatchSource;

/** `namespace/name` (or `name` for cluster-scoped objects). */
export function metaKey(obj: KubernetesObject): string {
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? '';
  return ns ? `${ns}/${name}` : name;
}
