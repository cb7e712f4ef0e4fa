// Lookups over one Snapshot: built lazily per table, and by a translator once
// per list (SnapshotIndexer), since watch caches hand out the same list while
// nothing of that kind changed.
import type {
  V1EndpointSlice, V1IngressClass, V1Secret, V1Service,
} from '@kubernetes/client-node';
import type { Snapshot } from './types.ts';
import { namespacedName } from './objects.ts';

/** One lookup per referenced kind; plain functions, so a pass can record every call (ingress-memo.ts). */
export interface SnapshotIndex {
  readonly lookupService: (namespace: string, name: string) => V1Service | undefined;
  readonly lookupSecret: (namespace: string, name: string) => V1Secret | undefined;
  readonly lookupIngressClass: (name: string) => V1IngressClass | undefined;
  /** EndpointSlices of a Service (by the `kubernetes.io/service-name` label). */
  readonly lookupEndpointSlices: (namespace: string, service: string) => readonly V1EndpointSlice[];
}

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** Builds a list's lookup table, or returns the one built before for that list. */
type TableOf = <V>(items: readonly object[], build: () => Map<string, V>) => Map<string, V>;

const buildEveryTime: TableOf = (_items, build) => build();

function byNamespacedName<T extends { metadata?: { namespace?: string; name?: string } }>(items: readonly T[], tableOf: TableOf): Map<string, T> {
  return tableOf(items, () => new Map(items.map((item) => [namespacedName(item), item])));
}

function byName(items: readonly V1IngressClass[], tableOf: TableOf): Map<string, V1IngressClass> {
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

// The lookups close over the four lists only: never over the snapshot, whose
// Ingress list (the list that changes most) would otherwise live as long as
// the index does.
function buildIndex(snapshot: Snapshot, tableOf: TableOf): SnapshotIndex {
  const { Service: serviceList, Secret: secretList, IngressClass: ingressClasses, EndpointSlice: endpointSlices } = snapshot;
  const services = lazy(() => byNamespacedName(serviceList, tableOf));
  const secrets = lazy(() => byNamespacedName(secretList, tableOf));
  const classes = lazy(() => byName(ingressClasses, tableOf));
  const slices = lazy(() => slicesByService(endpointSlices, tableOf));
  return {
    lookupService: (namespace, name) => services().get(`${namespace}/${name}`),
    lookupSecret: (namespace, name) => secrets().get(`${namespace}/${name}`),
    lookupIngressClass: (name) => classes().get(name),
    lookupEndpointSlices: (namespace, service) => slices().get(`${namespace}/${service}`) ?? [],
  };
}

/** Lookups over a snapshot, remembering nothing: each table is built when first used. */
export function indexSnapshot(snapshot: Snapshot): SnapshotIndex {
  return buildIndex(snapshot, buildEveryTime);
}

type Lists = [readonly object[], readonly object[], readonly object[], readonly object[]];
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
  private readonly indexes: Level<Level<Level<Level<SnapshotIndex>>>> = new WeakMap();
  /** One WeakRef per index, shared by the plans made with it (not one per plan). */
  private readonly weakRefs = new WeakMap<SnapshotIndex, WeakRef<SnapshotIndex>>();

  /** A WeakRef to `index`, the same one for every caller while the index lives. */
  weakRefOf(index: SnapshotIndex): WeakRef<SnapshotIndex> {
    return level(this.weakRefs, index, () => new WeakRef(index));
  }

  index(snapshot: Snapshot): SnapshotIndex {
    const [a, b, c, d]: Lists = [snapshot.Service, snapshot.Secret, snapshot.IngressClass, snapshot.EndpointSlice];
    const byLast = level(level(level(this.indexes, a, () => new WeakMap()), b, () => new WeakMap()), c, () => new WeakMap());
    return level(byLast, d, () => buildIndex(snapshot, this.tableOf));
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
