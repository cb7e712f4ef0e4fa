// Lookups over one Snapshot: built lazily per table, and by a translator once
// per list (SnapshotIndexer), since watch caches hand out the same list while
// nothing of that kind changed.
import type {
  V1EndpointSlice, V1IngressClass, V1Secret, V1Service,
} from '@kubernetes/client-node';
import type { KongPluginResource } from '../plugins/index.ts';
import { keyedRefOf } from './objects.ts';
import type { KeyedRef, KeyedRefs } from './objects.ts';
import type { Snapshot } from './types.ts';

/** One lookup per referenced kind; plain functions, so a pass can record every call (ingress-memo.ts). */
export interface SnapshotIndex {
  readonly lookupService: (namespace: string, name: string) => V1Service | undefined;
  /**
   * A Service's ref, key and tags: kept with the Service's entry in the lookup
   * table when it is that entry's Service (no table of refs per object), else
   * made anew. Not a read: it follows from the Service.
   */
  readonly serviceRef: (service: V1Service) => KeyedRef;
  readonly lookupSecret: (namespace: string, name: string) => V1Secret | undefined;
  readonly lookupIngressClass: (name: string) => V1IngressClass | undefined;
  /** EndpointSlices of a Service (by the `kubernetes.io/service-name` label). */
  readonly lookupEndpointSlices: (namespace: string, service: string) => readonly V1EndpointSlice[];
  /** By konghq.com/plugins: a KongPlugin of the referrer's namespace, else a KongClusterPlugin. */
  readonly lookupKongPlugin: (namespace: string, name: string) => KongPluginResource | undefined;
  readonly lookupKongClusterPlugin: (name: string) => KongPluginResource | undefined;
}

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** Builds a list's lookup table, or returns the one built before for that list. */
type TableOf = <V>(items: readonly object[], build: () => Map<string, V>) => Map<string, V>;

const buildEveryTime: TableOf = (_items, build) => build();

/** Namespace → name → object (two levels: no `ns/name` key string built per object or per lookup). */
type ByNamespace<T> = Map<string, Map<string, T>>;

function byNamespacedName<T extends { metadata?: { namespace?: string; name?: string } }>(items: readonly T[], tableOf: TableOf): ByNamespace<T> {
  return entriesByNamespacedName(items, tableOf, (item) => item);
}

/** Namespace → name → the entry made for each object. */
function entriesByNamespacedName<T extends { metadata?: { namespace?: string; name?: string } }, E>(items: readonly T[], tableOf: TableOf, entryOf: (item: T) => E): ByNamespace<E> {
  return tableOf(items, () => {
    const table: ByNamespace<E> = new Map();
    // An index loop: built once per list, so run before it is optimized, where a for-of makes an object per item.
    for (let i = 0; i < items.length; i += 1) {
      const item = items[i] as T;
      const namespace = item.metadata?.namespace ?? '';
      let ofNamespace = table.get(namespace);
      if (ofNamespace === undefined) {
        ofNamespace = new Map();
        table.set(namespace, ofNamespace);
      }
      ofNamespace.set(item.metadata?.name ?? '', entryOf(item));
    }
    return table;
  });
}

/** A Service in the lookup table, and its ref once asked for. */
interface ServiceSlot {
  service: V1Service;
  keyed: KeyedRef | undefined;
}

function serviceSlots(items: readonly V1Service[], tableOf: TableOf): ByNamespace<ServiceSlot> {
  return entriesByNamespacedName(items, tableOf, (service): ServiceSlot => ({ service, keyed: undefined }));
}

/** Makes (or finds) a Service's ref: a translator's KeyedRefs, or a new one. */
type ServiceRefOf = (service: V1Service) => KeyedRef;

const newServiceRef: ServiceRefOf = (service) => keyedRefOf('Service', service);

/** The ref kept in `slot` when it is the Service's own, else a ref from `refOf`. */
function refOfSlot(slot: ServiceSlot | undefined, service: V1Service, refOf: ServiceRefOf): KeyedRef {
  if (slot?.service !== service) return refOf(service);
  slot.keyed ??= refOf(service);
  return slot.keyed;
}

function slotOf(table: ByNamespace<ServiceSlot>, service: V1Service): ServiceSlot | undefined {
  return table.get(service.metadata?.namespace ?? '')?.get(service.metadata?.name ?? '');
}

function byName<T extends { metadata?: { name?: string } }>(items: readonly T[], tableOf: TableOf): Map<string, T> {
  return tableOf(items, () => new Map(items.map((c) => [c.metadata?.name ?? '', c])));
}

function slicesByService(items: readonly V1EndpointSlice[], tableOf: TableOf): Map<string, V1EndpointSlice[]> {
  return tableOf(items, () => {
    const slices = new Map<string, V1EndpointSlice[]>();
    for (const slice of items) {
      const service = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
      if (!service) continue;
      const key = `${slice.metadata?.namespace ?? ''}/${service}`;
      const list = slices.get(key);
      if (list) list.push(slice);
      else slices.set(key, [slice]);
    }
    return slices;
  });
}

/** A value made on first use (a lookup table nobody asks for is never built). */
function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

// The lookups close over the lists they look in only: never over the snapshot, whose
// Ingress list (the list that changes most) would otherwise live as long as
// the index does.
function buildIndex(snapshot: Snapshot, tableOf: TableOf, refOf: ServiceRefOf): SnapshotIndex {
  const { Service: serviceList, Secret: secretList, IngressClass: ingressClasses, EndpointSlice: endpointSlices } = snapshot;
  const services = lazy(() => serviceSlots(serviceList, tableOf));
  const secrets = lazy(() => byNamespacedName(secretList, tableOf));
  const classes = lazy(() => byName(ingressClasses, tableOf));
  const slices = lazy(() => slicesByService(endpointSlices, tableOf));
  const { KongPlugin: pluginList, KongClusterPlugin: clusterPluginList } = snapshot;
  const plugins = lazy(() => byNamespacedName(pluginList, tableOf));
  const clusterPlugins = lazy(() => byName(clusterPluginList, tableOf));
  // The slot lookupService last found: its Service's ref is asked for next (backends.ts), without a second lookup.
  let lastSlot: ServiceSlot | undefined;
  return {
    lookupService: (namespace, name) => {
      lastSlot = services().get(namespace)?.get(name);
      return lastSlot?.service;
    },
    serviceRef: (service) => refOfSlot(lastSlot?.service === service ? lastSlot : slotOf(services(), service), service, refOf),
    lookupSecret: (namespace, name) => secrets().get(namespace)?.get(name),
    lookupIngressClass: (name) => classes().get(name),
    lookupEndpointSlices: (namespace, service) => slices().get(`${namespace}/${service}`) ?? [],
    lookupKongPlugin: (namespace, name) => plugins().get(namespace)?.get(name),
    lookupKongClusterPlugin: (name) => clusterPlugins().get(name),
  };
}

/** Lookups over a snapshot, remembering nothing: each table is built when first used. */
export function indexSnapshot(snapshot: Snapshot): SnapshotIndex {
  return buildIndex(snapshot, buildEveryTime, newServiceRef);
}

type Level<V> = WeakMap<readonly object[], V>;

function level<K extends object, V extends object>(map: WeakMap<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

/** A translator's snapshot indexes, remembered list by list. */
export class SnapshotIndexer {
  private readonly tables = new WeakMap<readonly object[], Map<string, unknown>>();
  // An index is reused while the lists it was built from are the same lists (an
  // edited Ingress changes none of them), so plans made with it stay valid.
  // Keyed list by list, so that translations of other snapshots in between
  // (a dry run, another test) do not evict it.
  private readonly indexes: Level<Level<Level<Level<Level<Level<SnapshotIndex>>>>>> = new WeakMap();
  /** One token per index, shared by the plans made with it (not one per plan). */
  private readonly identities = new WeakMap<SnapshotIndex, object>();
  /** Service refs from the translator's KeyedRefs: a relisted Service keeps its ref, tags and entity ids. */
  private readonly serviceRefOf: ServiceRefOf;

  constructor(refs: KeyedRefs) {
    this.serviceRefOf = (service) => refs.ofObject('Service', service);
  }

  /**
   * A token standing for `index`, the same for every caller while the index
   * lives, that holds nothing of it. Not a WeakRef: V8 keeps a WeakRef's
   * target alive until the task that made or read it ends, so a run of passes
   * in one task (a benchmark's, a test's) kept every pass's tables.
   */
  identityOf(index: SnapshotIndex): object {
    // Looked up before level(): no closure made for each of the ten thousand plans of a cold pass.
    return this.identities.get(index) ?? level(this.identities, index, () => ({}));
  }

  index(snapshot: Snapshot): SnapshotIndex {
    const next = <V extends object>(map: Level<Level<V>>, list: readonly object[]): Level<V> => level(map, list, () => new WeakMap());
    const byFour = next(next(next(this.indexes, snapshot.Service), snapshot.Secret), snapshot.IngressClass);
    const bySix = next(next(byFour, snapshot.EndpointSlice), snapshot.KongPlugin);
    return level(bySix, snapshot.KongClusterPlugin, () => buildIndex(snapshot, this.tableOf, this.serviceRefOf));
  }

  private readonly tableOf: TableOf = <V>(items: readonly object[], build: () => Map<string, V>): Map<string, V> => {
    let table = this.tables.get(items) as Map<string, V> | undefined;
    if (table === undefined) {
      table = build();
      this.tables.set(items, table);
    }
    return table;
  };
}
