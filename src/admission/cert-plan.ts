// PURE: the next step of the webhook's own certificates, from what the Secret
// and the webhook configuration hold now. The order makes rotation invisible
// to the API server: a new CA is first added to `caBundle` (next to the old
// one), and only once the configuration trusts it does it sign the serving
// certificate that the replicas load; the old CA leaves the bundle when it
// expires.
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { certFacts, keyMatches, signedBy, splitBundle, usableCa } from '../admin-tls/index.ts';

/** Keys of the webhook's Secret (a kubernetes.io/tls-shaped Secret plus meshdoor's CA). */
export const WEBHOOK_KEYS = { cert: 'tls.crt', key: 'tls.key', ca: 'ca.crt', caKey: 'ca.key', previousCa: 'previous-ca.crt' } as const;

export type SecretText = Record<string, string>;

export interface WebhookCertPolicy {
  caLifetimeMs: number;
  leafLifetimeMs: number;
  /** Names the serving certificate must carry (DNS names or IP addresses). */
  servingNames: readonly string[];
}

export type WebhookCertStep =
  | { kind: 'none' }
  /** No usable CA: a new CA and serving certificate (the only step a call may fail across, once). */
  | { kind: 'bootstrap'; reason: string }
  /** The CA has a third of its life left: the next CA issues from now on; the old one stays trusted. */
  | { kind: 'rotateCa'; reason: string }
  /** The configuration's caBundle is not the CAs to trust: write it. */
  | { kind: 'publishBundle'; bundle: string; reason: string }
  | { kind: 'renewLeaf'; reason: string }
  /** The previous CA expired: leave it out of the Secret (and then of the bundle). */
  | { kind: 'dropPreviousCa'; reason: string };

/** Renew when less than this share of a certificate's life is left. */
const RENEW_AT_REMAINING = 1 / 3;

export const DEFAULT_WEBHOOK_CERT_POLICY: Readonly<Omit<WebhookCertPolicy, 'servingNames'>> = Object.freeze({
  caLifetimeMs: 3 * 365 * 86_400_000,
  leafLifetimeMs: 90 * 86_400_000,
});

function fingerprints(pem: string | undefined): string[] {
  return splitBundle(pem).map((p) => certFacts(p)?.fingerprint ?? '').sort();
}

/** The CAs the API server must trust: the issuer, and the previous CA while it is valid. */
export function trustBundle(secret: SecretText | undefined, now: number): string {
  const previous = certFacts(secret?.[WEBHOOK_KEYS.previousCa]);
  const cas = [secret?.[WEBHOOK_KEYS.ca] ?? '', previous && previous.notAfter > now ? previous.pem : ''];
  return cas.filter((pem) => pem !== '').map((pem) => (pem.endsWith('\n') ? pem : `${pem}\n`)).join('');
}

function namesMissing(certPem: string, names: readonly string[]): string[] {
  const cert = new X509Certificate(certPem);
  return names.filter((name) => (isIP(name) ? cert.checkIP(name) === undefined : cert.checkHost(name, { wildcards: false }) === undefined));
}

function leafProblem(secret: SecretText | undefined, issuerPem: string, now: number, policy: WebhookCertPolicy): string | undefined {
  const facts = certFacts(secret?.[WEBHOOK_KEYS.cert]);
  const key = secret?.[WEBHOOK_KEYS.key];
  if (!facts || key === undefined || !keyMatches(facts.pem, key)) return 'serving certificate missing or unreadable';
  if (!signedBy(facts.pem, issuerPem)) return 'serving certificate not issued by the current CA';
  if (facts.notAfter - now < (facts.notAfter - facts.notBefore) * RENEW_AT_REMAINING) return `serving certificate expires ${new Date(facts.notAfter).toISOString()}`;
  const missing = namesMissing(facts.pem, policy.servingNames);
  return missing.length > 0 ? `serving certificate lacks ${missing.join(', ')}` : undefined;
}

/** The next step; `none` when the Secret and `caBundle` are current. `caBundle` is undefined when the configuration does not exist. */
export function planWebhookCerts(secret: SecretText | undefined, caBundle: string | undefined, now: number, policy: WebhookCertPolicy): WebhookCertStep {
  const issuer = usableCa(secret?.[WEBHOOK_KEYS.ca], secret?.[WEBHOOK_KEYS.caKey], now);
  if (!issuer) return { kind: 'bootstrap', reason: 'no usable CA in the webhook Secret' };
  if (issuer.notAfter - now < (issuer.notAfter - issuer.notBefore) * RENEW_AT_REMAINING) {
    return { kind: 'rotateCa', reason: `the webhook CA expires ${new Date(issuer.notAfter).toISOString()}` };
  }
  const previous = certFacts(secret?.[WEBHOOK_KEYS.previousCa]);
  if (previous && previous.notAfter <= now) return { kind: 'dropPreviousCa', reason: 'the previous webhook CA expired' };
  const bundle = trustBundle(secret, now);
  if (caBundle !== undefined && fingerprints(caBundle).join() !== fingerprints(bundle).join()) {
    return { kind: 'publishBundle', bundle, reason: 'caBundle differs from the CAs in the webhook Secret' };
  }
  // Reached only once caBundle trusts the issuer: its new leaf is trusted at once.
  const problem = leafProblem(secret, issuer.pem, now, policy);
  return problem ? { kind: 'renewLeaf', reason: problem } : { kind: 'none' };
}
