// Which ExternalName targets Kong may be sent to. Anything else is refused:
// an ExternalName Service could otherwise make the gateway proxy to any host
// its own network can reach (confused deputy, CVE-2021-25740).
import type { MeshDoorSettings } from '../config/index.ts';
import { normaliseDnsName, parseMeshAddress } from '../model/index.ts';

export type ExternalNameAddress = { host: string; port: number } | { refused: string };

/** `name` matches an allow-list entry: an exact name, or `*.suffix` (any depth below the suffix). */
export function matchesAllowList(name: string, allow: readonly string[]): boolean {
  return allow.some((raw) => {
    const pattern = normaliseDnsName(raw);
    if (pattern.startsWith('*.')) return name.endsWith(pattern.slice(1)) && name.length > pattern.length - 1;
    return name === pattern;
  });
}

export function externalNameAddress(externalName: string, backendPort: number, settings: MeshDoorSettings): ExternalNameAddress {
  const name = normaliseDnsName(externalName);
  const mesh = parseMeshAddress(name, { domain: settings.mesh.domain });
  if (mesh?.kind === 'legacy') return { host: name, port: settings.mesh.vipPort };
  if (mesh?.kind === 'meshService') return { host: mesh.host, port: backendPort };
  if (name !== '' && matchesAllowList(name, settings.externalNameAllow)) return { host: name, port: backendPort };
  return {
    refused: `externalName '${externalName}' is neither a Kuma mesh address (<svc>.<ns>.svc.<port>.${settings.mesh.domain} or *.${settings.mesh.domain}.local) nor in the MeshDoor's externalNameAllow list`,
  };
}
