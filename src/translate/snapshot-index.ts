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

function byNamespacedName<T extends { metadata?: { namespace?: string; name?: string } }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((item) => [namespacedName(item), item]));
}

export function indexSnapshot(snapshot: Snapshot): SnapshotIndex {
  const services = byNamespacedName(snapshot.services);
  const secrets = byNamespacedName(snapshot.secrets);
  const classes = new Map(snapshot.ingressClasses.map((c) => [c.metadata?.name ?? '', c]));
  const slices = new Map<string, V1EndpointSlice[]>();
  for (const slice of snapshot.endpointSlices) {
    const service = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (!service) continue;
    const key = `${slice.metadata?.namespace ?? ''}/${service}`;
    const list = slices.get(key);
    if (list) list.push(slice);
    else slices.set(key, [slice]);
  }
  return {
    lookupService: (namespace, name) => services.get(`${namespace}/${name}`),
    lookupSecret: (namespace, name) => secrets.get(`${namespace}/${name}`),
    lookupIngressClass: (name) => classes.get(name),
    lookupEndpointSlices: (namespace, service) => slices.get(`${namespace}/${service}`) ?? [],
  };
}
