// PURE: whether the Mesh still serves the names this MeshDoor sends Kong to.
// With `meshServices.mode: Exclusive` (and always in Kuma 3.0) Kuma no longer
// serves the legacy `<svc>.<ns>.svc.<port>.mesh` VIP names, so
// `upstreamMode: mesh` and legacy ExternalName targets stop resolving; the
// MeshService names (`*.mesh.local`) and ClusterIP DNS names keep working.
import type { V1Service } from '@kubernetes/client-node';
import type { MeshDoorSettings } from '../config/index.ts';
import { parseMeshAddress } from '../model/index.ts';

export interface MeshAddressingInput {
  settings: Pick<MeshDoorSettings, 'upstreamMode' | 'mesh'>;
  meshServicesMode: string;
  services: readonly V1Service[];
}

/** `namespace/name` of ExternalName Services pointing at legacy `.mesh` names, sorted. */
export function legacyExternalNames(services: readonly V1Service[], domain: string): string[] {
  return services
    .filter((s) => s.spec?.type === 'ExternalName' && parseMeshAddress(s.spec.externalName ?? '', { domain })?.kind === 'legacy')
    .map((s) => `${s.metadata?.namespace ?? ''}/${s.metadata?.name ?? ''}`)
    .sort();
}

/** A warning when the Mesh's mode leaves names this MeshDoor relies on unresolved; undefined otherwise. */
export function meshAddressingNote(input: MeshAddressingInput): string | undefined {
  if (input.meshServicesMode !== 'Exclusive') return undefined;
  const { settings } = input;
  const mesh = settings.mesh.name ?? 'default';
  const uses: string[] = [];
  if (settings.upstreamMode === 'mesh') uses.push('spec.upstreamMode: mesh');
  const legacy = legacyExternalNames(input.services, settings.mesh.domain);
  if (legacy.length > 0) uses.push(`ExternalName Services ${legacy.slice(0, 10).join(', ')}${legacy.length > 10 ? ` and ${legacy.length - 10} more` : ''}`);
  if (uses.length === 0) return undefined;
  return `Mesh "${mesh}" has meshServices.mode: Exclusive, so Kuma no longer serves the legacy .${settings.mesh.domain} names used by ${uses.join(' and ')}; `
    + `use upstreamMode: service, or MeshService names (<name>.<namespace>.svc.<zone>.${settings.mesh.domain}.local, <name>.mzsvc.${settings.mesh.domain}.local) on their real ports`;
}
