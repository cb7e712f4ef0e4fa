// PURE: the next step of the admin certificates' life cycle, from what the
// three Secrets hold now and whether every gateway pod already runs the
// serving Secret's current content. One step per pass, each safe on its own:
// a new CA is first only trusted (both sides, rolled out), then issues, and
// the old one leaves the trust bundle only once nothing it signed is in use.
import { certFacts, keyMatches, signedBy, splitBundle, type CertFacts } from './x509.ts';

/** Decoded data of one Secret (key → text); undefined when the Secret does not exist. */
export type SecretText = Record<string, string>;

export interface ObservedTls {
  ca: SecretText | undefined;
  serving: SecretText | undefined;
  client: SecretText | undefined;
  /** Every gateway pod was started with the serving Secret as it is now (or there is no gateway). */
  rolledOut: boolean;
}

export interface RotationPolicy {
  caLifetimeMs: number;
  /** Start a CA rotation when the issuing CA has less than this left. */
  caRenewBeforeMs: number;
  leafLifetimeMs: number;
  /** Re-issue a leaf when it has less than this left. */
  leafRenewBeforeMs: number;
  /** Certificates start this far in the past: clocks of the gateway's nodes may lag. */
  backdateMs: number;
  /** DNS names the serving certificate must carry (the admin Service's names). */
  servingDnsNames: readonly string[];
}

const DAY = 86_400_000;

export const DEFAULT_ROTATION_POLICY: Readonly<Omit<RotationPolicy, 'servingDnsNames'>> = Object.freeze({
  caLifetimeMs: 3 * 365 * DAY,
  caRenewBeforeMs: 365 * DAY,
  leafLifetimeMs: 90 * DAY,
  leafRenewBeforeMs: 30 * DAY,
  backdateMs: 5 * 60_000,
});

export type Leaf = 'serving' | 'client';

export type RotationStep =
  | { kind: 'none' }
  | { kind: 'wait'; reason: string }
  /** No usable CA: make a CA, trust only it, issue both leaves. */
  | { kind: 'bootstrap'; reason: string }
  /** The issuing CA nears its end: make the next CA and trust both. */
  | { kind: 'stageCa'; reason: string }
  /** A next CA exists but is not yet in both trust bundles. */
  | { kind: 'trustNext'; reason: string }
  /** Every pod trusts the next CA: it becomes the issuer and re-issues both leaves. */
  | { kind: 'promoteCa'; reason: string }
  /** Both leaves come from the issuer and are rolled out: trust only the issuer. */
  | { kind: 'trimTrust'; reason: string }
  | { kind: 'renewLeaves'; leaves: Leaf[]; reason: string };

export const CA_KEYS = { cert: 'ca.crt', key: 'ca.key', nextCert: 'next-ca.crt', nextKey: 'next-ca.key' } as const;
export const LEAF_KEYS = { cert: 'tls.crt', key: 'tls.key', trust: 'ca.crt' } as const;

/** A CA key pair that parses, matches and is still valid. */
export function usableCa(cert: string | undefined, key: string | undefined, now: number): CertFacts | undefined {
  const facts = certFacts(cert);
  if (!facts?.isCa || key === undefined || !keyMatches(facts.pem, key) || facts.notAfter <= now) return undefined;
  return facts;
}

/** Why a leaf must be issued again, or undefined when it is fine. */
export function leafProblem(which: Leaf, leaf: SecretText | undefined, issuer: CertFacts, at: { now: number; policy: RotationPolicy }): string | undefined {
  const { now, policy } = at;
  const facts = certFacts(leaf?.[LEAF_KEYS.cert]);
  const key = leaf?.[LEAF_KEYS.key];
  if (!facts || key === undefined || !keyMatches(facts.pem, key)) return `${which} certificate missing or unreadable`;
  if (!signedBy(facts.pem, issuer.pem)) return `${which} certificate not issued by the current CA`;
  if (facts.notAfter - now < policy.leafRenewBeforeMs) return `${which} certificate expires ${new Date(facts.notAfter).toISOString()}`;
  if (which === 'serving' && [...policy.servingDnsNames].sort().join(',') !== [...facts.dnsNames].sort().join(',')) {
    return `serving certificate names ${facts.dnsNames.join(', ')} differ from ${policy.servingDnsNames.join(', ')}`;
  }
  return undefined;
}

function fingerprints(pem: string | undefined): Set<string> {
  return new Set(splitBundle(pem).map((p) => certFacts(p)?.fingerprint ?? ''));
}

function trusts(leaf: SecretText | undefined, ca: CertFacts): boolean {
  return fingerprints(leaf?.[LEAF_KEYS.trust]).has(ca.fingerprint);
}

function trustsOnly(leaf: SecretText | undefined, ca: CertFacts): boolean {
  const set = fingerprints(leaf?.[LEAF_KEYS.trust]);
  return set.size === 1 && set.has(ca.fingerprint);
}

function expired(leaf: SecretText | undefined, now: number): boolean {
  const facts = certFacts(leaf?.[LEAF_KEYS.cert]);
  return facts === undefined || facts.notAfter <= now;
}

/** The next step; `none` when everything is current. */
export function planRotation(observed: ObservedTls, now: number, policy: RotationPolicy): RotationStep {
  const issuer = usableCa(observed.ca?.[CA_KEYS.cert], observed.ca?.[CA_KEYS.key], now);
  if (!issuer) return { kind: 'bootstrap', reason: 'no usable CA in the CA Secret' };
  const leaves: Leaf[] = ['serving', 'client'];
  const text = (which: Leaf): SecretText | undefined => (which === 'serving' ? observed.serving : observed.client);
  if (!observed.rolledOut) {
    // Only a certificate that already stopped working is replaced mid-rollout.
    const dead = leaves.filter((which) => expired(text(which), now));
    return dead.length > 0
      ? { kind: 'renewLeaves', leaves: dead, reason: `${dead.join(' and ')} certificate expired or missing` }
      : { kind: 'wait', reason: 'the gateway is rolling out the current serving Secret' };
  }
  const next = usableCa(observed.ca?.[CA_KEYS.nextCert], observed.ca?.[CA_KEYS.nextKey], now);
  if (next) {
    return trusts(observed.serving, next) && trusts(observed.client, next)
      ? { kind: 'promoteCa', reason: 'every gateway pod trusts the next CA' }
      : { kind: 'trustNext', reason: 'the next CA is not yet in both trust bundles' };
  }
  if (issuer.notAfter - now < policy.caRenewBeforeMs) {
    return { kind: 'stageCa', reason: `the CA expires ${new Date(issuer.notAfter).toISOString()}` };
  }
  const problems = leaves.map((which) => [which, leafProblem(which, text(which), issuer, { now, policy })] as const).filter(([, p]) => p !== undefined);
  if (problems.length > 0) {
    return { kind: 'renewLeaves', leaves: problems.map(([which]) => which), reason: problems.map(([, p]) => p).join('; ') };
  }
  if (!trustsOnly(observed.serving, issuer) || !trustsOnly(observed.client, issuer)) {
    return { kind: 'trimTrust', reason: 'the trust bundles hold more than the current CA' };
  }
  return { kind: 'none' };
}
