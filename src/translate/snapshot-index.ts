// Lookups over one Snapshot, built once per translation.
import type {
  V1EndpointSlice, V1IngressClass, V1Secret, V1Service,
} from '@kubernetes/client-node';
import type { Snapshot } from './types.ts';
import { namespacedName } from './objects.ts';

export interface SnapshotIndex {
  lookupService(namespace: string, name: string): V1Service | undefined;
  lookupSecret(namespace: string, name: string): V1Secret | undefined;
  lookupIngressClass(name: string): V1IngressClass | undefined;
  /** EndpointSlices of a Service (by the `kubernetes.io/service-name` label). */
  lookupEndpointSlices(namespace: string, service: string): readonly V1EndpointSlice[];
}

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

// Watch caches hand out the same list while nothing of that kind changed, so
// each list's lookup table is built once per list, not once per translation.
const tables = new WeakMap<readonly object[], Map<string, unknown>>();

function memoized<T extends object, V>(items: readonly T[], build: () => Map<string, V>): Map<string, V> {
  let table = tables.get(items) as Map<string, V> | undefined;
  if (table === undefined) {
    table = build();
    tables.set(items, table);
  }
  return table;
}

function byNamespacedName<T extends { metadata?: { namespace?: string; name?: string } }>(items: readonly T[]): Map<string, T> {
  return memoized(items, () => new Map(items.map((item) => [namespacedName(item), item])));
}

function slicesByService(items: readonly V1EndpointSlice[]): Map<string, V1EndpointSlice[]> {
  return memoized(items, () => {
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

// An index is reused while the lists it was built from are the same lists (an
// edited Ingress changes none of them), so plans made with it stay valid.
// Keyed list by list, so that translations of other snapshots in between
// (a dry run, another test) do not evict it.
type Lists = [readonly object[], readonly object[], readonly object[], readonly object[]];
const indexes = new WeakMap<readonly object[], WeakMap<readonly object[], WeakMap<readonly object[], WeakMap<readonly object[], SnapshotIndex>>>>();

function level<K extends object, V extends object>(map: WeakMap<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

export function indexSnapshot(snapshot: Snapshot): SnapshotIndex {
  const [a, b, c, d]: Lists = [snapshot.services, snapshot.secrets, snapshot.ingressClasses, snapshot.endpointSlices];
  const byLast = level(level(level(indexes, a, () => new WeakMap()), b, () => new WeakMap()), c, () => new WeakMap());
  return level(byLast, d, () => buildIndex(snapshot));
}

function byName(items: readonly V1IngressClass[]): Map<string, V1IngressClass> {
  return memoized(items, () => new Map(items.map((c) => [c.metadata?.name ?? '', c])));
}

// The lookups close over the four tables only: never over the snapshot, whose
// Ingress list (the list that changes most) would otherwise live as long as
// the index does.
function buildIndex(snapshot: Snapshot): SnapshotIndex {
  const services = byNamespacedName(snapshot.services);
  const secrets = byNamespacedName(snapshot.secrets);
  const classes = byName(snapshot.ingressClasses);
  const slices = slicesByService(snapshot.endpointSlices);
  return {
    lookupService: (namespace, name) => services.get(`${namespace}/${name}`),
    lookupSecret: (namespace, name) => secrets.get(`${namespace}/${name}`),
    lookupIngressClass: (name) => classes.get(name),
    lookupEndpointSlices: (namespace, service) => slices.get(`${namespace}/${service}`) ?? [],
  };
}
