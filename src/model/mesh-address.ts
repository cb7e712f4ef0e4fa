// Kuma mesh DNS names an ExternalName Service may point at (docs/kuma.md#mesh-dns-names).
// Pure: no I/O. Inputs are lower-cased and one trailing dot is dropped first.

/** A legacy `kuma.io/service` VIP name: `<svc>.<ns>.svc.<port>.<domain>` or `<svc>_<ns>_svc_<port>.<domain>`. */
export interface LegacyMeshAddress {
  kind: 'legacy';
  service: string;
  namespace: string;
  /** The Service port the name carries; Kuma's VIP itself listens on its VIP port (80). */
  port: number;
}

/** A MeshService-style name ending `.<domain>.local`; it uses the real service port. */
export interface MeshServiceAddress {
  kind: 'meshService';
  host: string;
}

export type MeshAddress = LegacyMeshAddress | MeshServiceAddress;

export interface MeshAddressOptions {
  /** Kuma DNS domain (KUMA_DNS_SERVER_DOMAIN), usually `mesh`. */
  domain: string;
}

const LABEL = '[a-z0-9](?:[-a-z0-9]*[a-z0-9])?';
const DNS_NAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);

/** Lower-cases a DNS name and strips one trailing dot, as resolvers treat names. */
export function normaliseDnsName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

// Labels hold no dot or underscore, so what follows the port is the domain, compared as text:
// two constant patterns, not two compiled per name and domain.
const LEGACY_PATTERNS = [
  new RegExp(`^(${LABEL})\\.(${LABEL})\\.svc\\.([0-9]{1,5})\\.(.+)$`),
  new RegExp(`^(${LABEL})_(${LABEL})_svc_([0-9]{1,5})\\.(.+)$`),
];

function parseLegacy(name: string, domain: string): LegacyMeshAddress | null {
  for (const pattern of LEGACY_PATTERNS) {
    const match = pattern.exec(name);
    if (!match || match[4] !== domain) continue;
    const [, service, namespace, portText] = match;
    const port = Number(portText);
    if (!service || !namespace || port < 1 || port > 65535) return null;
    return { kind: 'legacy', service, namespace, port };
  }
  return null;
}

function parseMeshService(name: string, domain: string): MeshServiceAddress | null {
  const suffix = `.${domain}.local`;
  if (!name.endsWith(suffix) || name.length === suffix.length) return null;
  if (name.length > 253 || !DNS_NAME.test(name)) return null;
  return { kind: 'meshService', host: name };
}

/**
 * Parses a Kuma mesh address; null when `name` is not one (including
 * Universal `<tag>.mesh` names, which say nothing about a Kubernetes Service).
 */
export function parseMeshAddress(name: string, options: MeshAddressOptions): MeshAddress | null {
  const normalised = normaliseDnsName(name);
  const domain = normaliseDnsName(options.domain);
  if (normalised === '' || domain === '') return null;
  return parseLegacy(normalised, domain) ?? parseMeshService(normalised, domain);
}
