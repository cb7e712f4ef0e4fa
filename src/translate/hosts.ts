// Ingress host syntax (Kubernetes IngressRule.host): a lower-case DNS-1123
// subdomain, or `*.` followed by one; no IP addresses, no ports.
import { isIP } from 'node:net';

const LABEL = '[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?';
const SUBDOMAIN = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);

export type HostKind = 'exact' | 'wildcard' | 'any';

/** Null when valid, else why not. */
export function checkIngressHost(host: string): string | null {
  if (host.length > 253) return 'is longer than 253 characters';
  // Only digits and dots (IPv4) or a colon (IPv6) can make an address: no address check for other names.
  if ((host.includes(':') || /^[0-9.]+$/.test(host)) && isIP(host) !== 0) return 'is an IP address; Ingress hosts must be DNS names';
  // Kong's routers disagree on a route host with a port (traditional_compatible
  // matches it without the port, expressions does not), and Kubernetes forbids it.
  if (/:\d*$/.test(host)) return 'has a port; give the host name only';
  const name = host.startsWith('*.') ? host.slice(2) : host;
  if (!SUBDOMAIN.test(name)) {
    return 'is not a lower-case DNS name (a wildcard is allowed only as the whole first label, `*.`)';
  }
  return null;
}

export function hostKind(host: string): HostKind {
  if (host === '') return 'any';
  return host.startsWith('*.') ? 'wildcard' : 'exact';
}

/** The host as it appears in KIC-style entity names (`*` is not a valid name character). */
export function hostNameSegment(host: string): string {
  return host.replaceAll('*', '_');
}
