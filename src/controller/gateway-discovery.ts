// PURE: which Kong Admin API endpoints get the config. Static URLs win; else
// every ready endpoint of the Kong admin Service's EndpointSlices, on the port
// named in the settings.
import { isIPv6 } from 'node:net';
import type { V1EndpointSlice } from '@kubernetes/client-node';
import type { MeshDoorSettings } from '../config/settings.ts';
import type { GatewayTarget } from '../kong/sync-types.ts';
import { splitNamespacedName } from './watch-plan.ts';

function schemeFor(port: { name?: string; port?: number; appProtocol?: string }): 'http' | 'https' {
  const proto = port.appProtocol?.toLowerCase();
  if (proto === 'https' || proto === 'http') return proto;
  const name = port.name?.toLowerCase() ?? '';
  return name.includes('tls') || name.includes('https') || port.port === 8444 ? 'https' : 'http';
}

export interface DiscoveryInput {
  settings: Pick<MeshDoorSettings, 'kongAdmin'>;
  /** URLs from flags; override everything. */
  flagUrls: readonly string[];
  adminEndpointSlices: readonly V1EndpointSlice[];
}

export function discoverGateways(input: DiscoveryInput): GatewayTarget[] {
  const statics = input.flagUrls.length > 0 ? input.flagUrls : input.settings.kongAdmin.urls;
  if (statics.length > 0) return [...new Set(statics)].sort().map((url) => ({ url }));
  const service = splitNamespacedName(input.settings.kongAdmin.service);
  if (!service) return [];
  const targets = new Map<string, GatewayTarget>();
  for (const slice of input.adminEndpointSlices) {
    const port = slice.ports?.find((p) => p.name === input.settings.kongAdmin.portName);
    if (!port?.port) continue;
    const scheme = schemeFor(port);
    for (const endpoint of slice.endpoints ?? []) {
      if (endpoint.conditions?.ready === false || endpoint.conditions?.terminating === true) continue;
      const address = endpoint.addresses[0];
      if (!address) continue;
      const host = isIPv6(address) ? `[${address}]` : address;
      const url = `${scheme}://${host}:${port.port}`;
      targets.set(url, scheme === 'https' ? { url, serverName: `${service.name}.${service.namespace}.svc` } : { url });
    }
  }
  return [...targets.values()].sort((a, b) => (a.url < b.url ? -1 : 1));
}
