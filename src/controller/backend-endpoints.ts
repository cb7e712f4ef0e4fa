// PURE: configured backend Services with no endpoint, or none ready. Kong routes
// to them but can only answer 503 ("failure to get a peer from the
// ring-balancer"), so they are reported although the configuration is synced.
import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import type { FailureReason, ObjectRef, TranslationFailure } from '../model/index.ts';
import type { ObjectKeys } from './object-keys.ts';

export const NO_READY_ENDPOINTS = 'NoReadyEndpoints' satisfies FailureReason;
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

function slicesByService(slices: readonly V1EndpointSlice[]): Map<string, V1EndpointSlice[]> {
  const by = new Map<string, V1EndpointSlice[]>();
  for (const slice of slices) {
    const service = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (!service) continue;
    const key = `${slice.metadata?.namespace ?? ''}/${service}`;
    const list = by.get(key);
    if (list) list.push(slice);
    else by.set(key, [slice]);
  }
  return by;
}

/** Endpoints in total, and ready ones (an unset `ready` counts as ready, as Kubernetes says). */
function countEndpoints(slices: readonly V1EndpointSlice[]): { total: number; ready: number } {
  const endpoints = slices.flatMap((s) => s.endpoints ?? []);
  return { total: endpoints.length, ready: endpoints.filter((e) => e.conditions?.ready !== false).length };
}

/** `configured`: the keys of the configured objects (`objectKey`); `keys`: an object's key. */
export function noReadyEndpointFailures(configured: ReadonlySet<string>, services: readonly V1Service[], slices: readonly V1EndpointSlice[], keys: Pick<ObjectKeys, 'of'>): TranslationFailure[] {
  if (configured.size === 0) return [];
  let bySlices: Map<string, V1EndpointSlice[]> | undefined;
  const failures: TranslationFailure[] = [];
  for (const service of services) {
    // ExternalName Services have no endpoints: the mesh (or DNS) resolves them.
    if (service.spec?.type === 'ExternalName' || !configured.has(keys.of('Service', service))) continue;
    bySlices ??= slicesByService(slices);
    const { namespace = '', name = '', uid } = service.metadata ?? {};
    const ref: ObjectRef = { kind: 'Service', namespace, name, ...(uid ? { uid } : {}) };
    const { total, ready } = countEndpoints(bySlices.get(`${namespace}/${name}`) ?? []);
    if (ready > 0) continue;
    const what = total === 0 ? 'has no endpoints' : `has ${total} endpoint(s), none ready`;
    failures.push({ object: ref, reason: NO_READY_ENDPOINTS, message: `Service ${namespace}/${name} ${what}: Kong routes to it but answers 503 until a pod is ready` });
  }
  return failures;
}
