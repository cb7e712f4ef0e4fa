// PURE: which Kong Admin API endpoints get the config. Static URLs win; else
// every endpoint of the Kong admin Service's EndpointSlices that is not
// terminating, on the port named in the settings. Not-ready endpoints are
// included on purpose: a fresh DB-less Kong only turns ready once it has a config.
import { isIPv6 } from 'node:net';
import type { V1EndpointSlice } from '@kubernetes/client-node';
import type { MeshDoorSettings } from '../config/index.ts';
import type { GatewayTarget } from '../kong/index.ts';
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
  /** TLS server name for static https URLs (their certificate names the Service, not the address). */
  staticServerName?: string;
}

export function discoverGateways(input: DiscoveryInput): GatewayTarget[] {
  const statics = input.flagUrls.length > 0 ? input.flagUrls : input.settings.kongAdmin.urls;
  if (statics.length > 0) {
    const serverName = input.staticServerName;
    return [...new Set(statics)].sort().map((url) => (serverName !== undefined && url.startsWith('https:') ? { url, serverName } : { url }));
  }
  const service = splitNamespacedName(input.settings.kongAdmin.service);
  if (!service) return [];
  const targets = new Map<string, GatewayTarget>();
  for (const slice of input.adminEndpointSlices) {
    const port = slice.ports?.find((p) => p.name === input.settings.kongAdmin.portName);
    if (!port?.port) continue;
    const scheme = schemeFor(port);
    for (const endpoint of slice.endpoints ?? []) {
      if (endpoint.conditions?.terminating === true) continue;
      const address = endpoint.addresses[0];
      if (!address) continue;
      const host = isIPv6(address) ? `[${address}]` : address;
      const url = `${scheme}://${host}:${port.port}`;
      targets.set(url, scheme === 'https' ? { url, serverName: `${service.name}.${service.namespace}.svc` } : { url });
    }
  }
  return [...targets.values()].sort((a, b) => (a.url < b.url ? -1 : 1));
}

/**
 * Changes when a gateway endpoint comes, goes or flips readiness (e.g. its Kong
 * restarted in place and may have lost its config), so the next pass checks it.
 */
export function gatewayStateKey(adminEndpointSlices: readonly V1EndpointSlice[]): string {
  const states = adminEndpointSlices.flatMap((slice) => (slice.endpoints ?? []).map((e) => {
    const c = e.conditions ?? {};
    return `${e.addresses.join('+')}:${String(c.ready)}:${String(c.serving)}:${String(c.terminating)}:${e.targetRef?.uid ?? ''}`;
  }));
  return states.sort().join(',');
}
