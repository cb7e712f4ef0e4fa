// PURE: configured backend Services with no endpoint, or none ready. Kong routes
// to them but can only answer 503 ("failure to get a peer from the
// ring-balancer"), so they are reported although the configuration is synced.
import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import { objectKey, type FailureReason, type ObjectRef, type TranslationFailure } from '../model/index.ts';

export const NO_READY_ENDPOINTS = 'NoReadyEndpoints' satisfies FailureReason;
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

function slicesByService(slices: readonly V1EndpointSlice[]): Map<string, V1EndpointSlice[]> {
  const by = new Map<string, V1EndpointSlice[]>();
  for (const slice of slices) {
    const service = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (!service) continue;
    const key = `${slice.metadata?.namespace ?? ''}/${service}`;
    by.set(key, [...(by.get(key) ?? []), slice]);
  }
  return by;
}

/** Endpoints in total, and ready ones (an unset `ready` counts as ready, as Kubernetes says). */
function countEndpoints(slices: readonly V1EndpointSlice[]): { total: number; ready: number } {
  const endpoints = slices.flatMap((s) => s.endpoints ?? []);
  return { total: endpoints.length, ready: endpoints.filter((e) => e.conditions?.ready !== false).length };
}

export function noReadyEndpointFailures(configured: readonly ObjectRef[], services: readonly V1Service[], slices: readonly V1EndpointSlice[]): TranslationFailure[] {
  const wanted = new Set(configured.filter((r) => r.kind === 'Service').map(objectKey));
  if (wanted.size === 0) return [];
  const bySlices = slicesByService(slices);
  const failures: TranslationFailure[] = [];
  for (const service of services) {
    const { namespace = '', name = '', uid } = service.metadata ?? {};
    const ref: ObjectRef = { kind: 'Service', namespace, name, ...(uid ? { uid } : {}) };
    // ExternalName Services have no endpoints: the mesh (or DNS) resolves them.
    if (!wanted.has(objectKey(ref)) || service.spec?.type === 'ExternalName') continue;
    const { total, ready } = countEndpoints(bySlices.get(`${namespace}/${name}`) ?? []);
    if (ready > 0) continue;
    const what = total === 0 ? 'has no endpoints' : `has ${total} endpoint(s), none ready`;
    failures.push({ object: ref, reason: NO_READY_ENDPOINTS, message: `Service ${namespace}/${name} ${what}: Kong routes to it but answers 503 until a pod is ready` });
  }
  return failures;
}
