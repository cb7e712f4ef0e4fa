// Ready EndpointSlice addresses → Kong targets (`endpoints` upstream mode).
import { isIP } from 'node:net';
import type { V1EndpointSlice, V1ServicePort } from '@kubernetes/client-node';
import { sortedStrings } from './objects.ts';

function formatTarget(address: string, port: number): string {
  return isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

/** The port endpoints of this slice listen on for `servicePort`, matched by port name as Kubernetes does. */
function slicePort(slice: V1EndpointSlice, servicePort: V1ServicePort): number | undefined {
  const wanted = servicePort.name ?? '';
  const match = slice.ports?.find((p) => (p.name ?? '') === wanted);
  if (match?.port !== undefined) return match.port;
  return typeof servicePort.targetPort === 'number' && !slice.ports?.length ? servicePort.targetPort : undefined;
}

/** `ip:port` of every ready endpoint (unset `ready` counts as ready), sorted, without duplicates. */
export function endpointTargets(slices: readonly V1EndpointSlice[], servicePort: V1ServicePort): string[] {
  const targets: string[] = [];
  for (const slice of slices) {
    const port = slicePort(slice, servicePort);
    if (port === undefined) continue;
    for (const endpoint of slice.endpoints ?? []) {
      if (endpoint.conditions?.ready === false) continue;
      for (const address of endpoint.addresses ?? []) targets.push(formatTarget(address, port));
    }
  }
  return sortedStrings(targets);
}
