// TLS failures talking to a Kong Admin API, told apart from other errors: the
// answers nginx gives for the admin listener's client-certificate check
// (before Kong sees the request), and the TLS errors of our own handshake.
// Each message names the gateway and what to fix; none is worth a retry.
import { X509Certificate } from 'node:crypto';

export type AdminTlsProblem =
  | 'client-certificate-required'
  | 'client-certificate-rejected'
  | 'plain-http-to-tls-port'
  | 'server-certificate-untrusted'
  | 'server-certificate-expired'
  | 'server-name-mismatch';

/** The gateway and we could not agree on TLS; retrying the same request cannot help. */
export class KongTlsError extends Error {
  readonly problem: AdminTlsProblem;

  constructor(init: { method: string; path: string; gateway: string; problem: AdminTlsProblem; detail: string }) {
    super(`${init.method} ${init.gateway}${init.path}: ${init.detail}`);
    this.name = 'KongTlsError';
    this.problem = init.problem;
  }
}

/** nginx's 400 pages for the admin listener's TLS checks (title text → problem). */
const NGINX_TLS_PAGES: ReadonlyArray<[string, AdminTlsProblem]> = [
  ['No required SSL certificate was sent', 'client-certificate-required'],
  ['The SSL certificate error', 'client-certificate-rejected'],
  ['The plain HTTP request was sent to HTTPS port', 'plain-http-to-tls-port'],
];

/** The TLS problem an nginx error page reports, or undefined for any other answer. */
export function nginxTlsProblem(status: number, contentType: string | undefined, text: string): AdminTlsProblem | undefined {
  if (status !== 400 || !(contentType ?? '').startsWith('text/html')) return undefined;
  return NGINX_TLS_PAGES.find(([title]) => text.includes(`<title>400 ${title}</title>`))?.[1];
}

/** Why our client certificate may have been refused, read from the certificate itself. */
function clientCertificateNote(cert: string | undefined, now: number): string {
  if (cert === undefined) return '';
  try {
    const parsed = new X509Certificate(cert);
    const notAfter = Date.parse(parsed.validTo);
    if (notAfter <= now) return ` (meshdoor's client certificate expired at ${new Date(notAfter).toISOString()})`;
    if (Date.parse(parsed.validFrom) > now) return ` (meshdoor's client certificate is not valid before ${new Date(Date.parse(parsed.validFrom)).toISOString()})`;
    return ` (meshdoor's client certificate, issued by ${parsed.issuer.replace(/\n/g, ', ')}, is valid; the gateway does not trust its CA)`;
  } catch {
    return '';
  }
}

/** What to tell the user for a problem nginx reported. */
export function describeNginxTlsProblem(problem: AdminTlsProblem, clientCert: string | undefined, now: number): string {
  switch (problem) {
    case 'client-certificate-required':
      return clientCert === undefined
        ? 'the gateway requires a client certificate and meshdoor has none (set spec.kongAdmin.tls on the MeshDoor, or --kong-client-cert-file/--kong-client-key-file)'
        : 'the gateway requires a client certificate and did not get one';
    case 'client-certificate-rejected':
      return `the gateway refused meshdoor's client certificate: expired, not yet valid or not signed by a CA in its nginx_admin_ssl_client_certificate${clientCertificateNote(clientCert, now)}`;
    case 'plain-http-to-tls-port':
      return 'this port speaks TLS: use an https:// admin URL (or the admin Service port with appProtocol https)';
    default:
      return problem;
  }
}

const HANDSHAKE_CODES: Readonly<Record<string, AdminTlsProblem>> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'server-certificate-untrusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'server-certificate-untrusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'server-certificate-untrusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'server-certificate-untrusted',
  CERT_SIGNATURE_FAILURE: 'server-certificate-untrusted',
  CERT_HAS_EXPIRED: 'server-certificate-expired',
  CERT_NOT_YET_VALID: 'server-certificate-expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'server-name-mismatch',
};

/** The TLS problem behind a socket error of our handshake, or undefined for other errors. */
export function handshakeTlsProblem(code: string | undefined): AdminTlsProblem | undefined {
  return code === undefined ? undefined : HANDSHAKE_CODES[code];
}

export function describeHandshakeProblem(problem: AdminTlsProblem, message: string): string {
  switch (problem) {
    case 'server-certificate-expired':
      return `the gateway's serving certificate is expired or not yet valid (${message}); it is renewed and rolled out before expiry when meshdoor manages it`;
    case 'server-name-mismatch':
      return `the gateway's serving certificate does not name this host (${message}); use the admin Service's DNS name as TLS server name`;
    default:
      return `the gateway's serving certificate is not signed by a CA meshdoor trusts (${message}); check the ca.crt of the client Secret or --kong-ca-file`;
  }
}
