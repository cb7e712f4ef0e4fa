// The watch abstraction the store is fed from: list + watch of one resource
// kind, optionally namespaced and label/field selected. A client-node
// implementation lives in informer-source.ts, an in-memory one for tests in
// test/kube/fake-cluster.ts.
import type { KubernetesObject } from '@kubernetes/client-node';

export type WatchKind =
  | 'Ingress' | 'IngressClass' | 'Service' | 'EndpointSlice' | 'Secret'
  | 'MeshDoor' | 'Deployment' | 'Pod' | 'Namespace'
  | 'KongPlugin' | 'KongClusterPlugin' | 'KongConsumer';

/**
 * What the controller uses a watch for; several watches may share a role.
 * A translated kind's watches take the role its description names (the
 * controller's to give: this module knows no translated kind), hence any string.
 */
export type WatchRole =
  | 'ingresses' | 'ingressClasses' | 'services' | 'endpointSlices' | 'secrets'
  | 'meshdoor' | 'gatewayDeployment' | 'gatewayPods' | 'gatewayNamespace'
  | 'adminEndpoints' | 'publishService' | 'gatewayServices' | 'adminTlsSecrets'
  /** EndpointSlices outside `endpoints` mode: read only to report backends without ready endpoints. */
  | 'backendEndpoints'
  | (string & {});

export interface WatchSpec {
  role: WatchRole;
  kind: WatchKind;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /**
   * Only these objects (`namespace/name`) are kept: any other the watch
   * receives is dropped on arrival, before it is cached anywhere. Lets one
   * selector-wide watch (all TLS Secrets of a namespace) stand in for one
   * watch per object without holding the data of objects nobody references.
   */
  keep?: readonly string[];
  /**
   * `hard` watches must have synced before anything is pushed to Kong; `soft`
   * ones (per-Secret watches) are waited for only briefly, so one unreadable
   * Secret cannot block every other route.
   */
  gate: 'hard' | 'soft';
  /**
   * The resource may not be served at all (a CRD that is not installed): a
   * list answered 404 counts as synced and empty, and is retried in the
   * background until the resource appears. Any other failure gates as usual.
   */
  optionalResource?: boolean;
}

/** The watch's request: role, kind, namespace and selectors (what the API server sees). */
export function watchRequestId(spec: WatchSpec): string {
  return [spec.role, spec.kind, spec.namespace ?? '*', spec.labelSelector ?? '', spec.fieldSelector ?? ''].join('|');
}

/** The request plus the objects kept: a new `keep` list is a new watch (it must list again to find the added objects). */
export function watchSpecId(spec: WatchSpec): string {
  const request = watchRequestId(spec);
  return spec.keep ? `${request}|keep=${spec.keep.join(',')}` : request;
}

const keepSets = new WeakMap<readonly string[], ReadonlySet<string>>();

function keepSet(keep: readonly string[]): ReadonlySet<string> {
  let set = keepSets.get(keep);
  if (!set) keepSets.set(keep, set = new Set(keep));
  return set;
}

/** Whether the watch keeps `obj` (see `WatchSpec.keep`). */
export function keptBySpec(spec: WatchSpec, obj: KubernetesObject): boolean {
  return spec.keep === undefined || keepSet(spec.keep).has(metaKey(obj));
}

/** `items` less those the watch does not keep. */
export function keptItems<T extends KubernetesObject>(spec: WatchSpec, items: readonly T[]): T[] {
  return spec.keep === undefined ? [...items] : items.filter((obj) => keptBySpec(spec, obj));
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
   * the store freezes what it keeps of them, nested objects included (object-store.ts),
   * so never hand over an object the source still edits, such as its view of the server.
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
