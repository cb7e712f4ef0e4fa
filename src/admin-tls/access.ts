// PURE: how meshdoor reaches each gateway's Admin API (mutual TLS, TLS without
// a client certificate, plain HTTP) and the MeshDoor condition that says
// whether that is safe. Plain HTTP is only acceptable on a loopback address.
import { isIP } from 'node:net';
import type { AdminClientTls, GatewayTarget } from '../kong/index.ts';

export type AdminTransportKind = 'mTLS' | 'TLS' | 'plain';

export interface GatewayAccess {
  url: string;
  transport: AdminTransportKind;
}

export interface AccessCondition {
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

/** Gives each gateway the client material read from the client Secret, unless flags fixed it. */
export function withClientTls(gateways: readonly GatewayTarget[], tls: AdminClientTls | undefined, staticTls: boolean): GatewayTarget[] {
  if (staticTls || tls === undefined) return [...gateways];
  return gateways.map((g) => (g.url.startsWith('https:') ? { ...g, tls } : g));
}

export function transportKind(target: GatewayTarget, staticClientCert: boolean): AdminTransportKind {
  if (!target.url.startsWith('https:')) return 'plain';
  return target.tls?.cert !== undefined || staticClientCert ? 'mTLS' : 'TLS';
}

export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

const MAX_LISTED = 5;
const listed = (urls: readonly string[]): string =>
  `${urls.slice(0, MAX_LISTED).join(', ')}${urls.length > MAX_LISTED ? ` and ${urls.length - MAX_LISTED} more` : ''}`;

/** The `AdminAPISecured` condition: mutual TLS everywhere, or what is not. */
export function adminAccessCondition(access: readonly GatewayAccess[], certificateProblem: string | undefined): AccessCondition {
  if (certificateProblem) return { status: 'False', reason: 'CertificatesNotReady', message: certificateProblem };
  if (access.length === 0) return { status: 'Unknown', reason: 'NoGateways', message: 'no gateway to reach' };
  const plain = access.filter((a) => a.transport === 'plain' && !isLoopbackUrl(a.url)).map((a) => a.url);
  if (plain.length > 0) {
    return {
      status: 'False', reason: 'PlainHTTP',
      message: `Admin API reached over plain HTTP on a non-loopback address: ${listed(plain)}; whoever reaches it controls the ingress. Serve the admin listener with TLS and client-certificate verification (see deploy/)`,
    };
  }
  const noClientCert = access.filter((a) => a.transport === 'TLS').map((a) => a.url);
  if (noClientCert.length > 0) {
    return { status: 'False', reason: 'NoClientCertificate', message: `Admin API reached over TLS without a client certificate: ${listed(noClientCert)}` };
  }
  const loopback = access.filter((a) => a.transport === 'plain').length;
  return loopback > 0
    ? { status: 'True', reason: 'Loopback', message: `${access.length - loopback} gateway(s) over mutual TLS, ${loopback} over plain HTTP on loopback` }
    : { status: 'True', reason: 'MutualTLS', message: `every gateway (${access.length}) is reached over mutual TLS` };
}
