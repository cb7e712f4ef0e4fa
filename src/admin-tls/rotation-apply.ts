// A rotation step → the Secret contents to write, in a safe order (the CA
// Secret first, so a write that fails half-way leaves a state the planner
// continues from). Generates keys and certificates; writes nothing itself.
import {
  CA_KEYS, LEAF_KEYS, usableCa, type Leaf, type ObservedTls, type RotationPolicy, type RotationStep, type SecretText,
} from './rotation-plan.ts';
import { certFacts, createCa, issueLeaf, splitBundle, type KeyPairPem } from './x509.ts';

export type SecretRole = 'ca' | Leaf;

/** Keys to set; `null` removes a key. */
export type SecretDataPatch = Record<string, string | null>;

export interface SecretWrite {
  role: SecretRole;
  data: SecretDataPatch;
}

/** Common names: one per CA generation, so two CAs in one bundle never share a subject. */
const caName = (now: number): string => `meshdoor admin CA ${new Date(now).toISOString().slice(0, 19)}Z`;
export const CLIENT_COMMON_NAME = 'meshdoor';

async function newCa(now: number, policy: RotationPolicy): Promise<KeyPairPem> {
  return createCa({ commonName: caName(now), notBefore: new Date(now - policy.backdateMs), notAfter: new Date(now + policy.caLifetimeMs) });
}

interface Issuer { pair: KeyPairPem; notAfter: number }

async function newLeaf(issuer: Issuer, which: Leaf, now: number, policy: RotationPolicy): Promise<KeyPairPem> {
  const ca = issuer.pair;
  const notAfter = new Date(Math.min(now + policy.leafLifetimeMs, issuer.notAfter));
  return which === 'serving'
    ? issueLeaf(ca, { commonName: policy.servingDnsNames[0] ?? 'kong-admin', usage: 'server', dnsNames: policy.servingDnsNames, notBefore: new Date(now - policy.backdateMs), notAfter })
    : issueLeaf(ca, { commonName: CLIENT_COMMON_NAME, usage: 'client', notBefore: new Date(now - policy.backdateMs), notAfter });
}

function leafData(pair: KeyPairPem, trust: string): SecretDataPatch {
  return { [LEAF_KEYS.cert]: pair.cert, [LEAF_KEYS.key]: pair.key, [LEAF_KEYS.trust]: trust };
}

const bundle = (...pems: string[]): string => pems.map((p) => (p.endsWith('\n') ? p : `${p}\n`)).join('');

function currentIssuer(observed: ObservedTls, now: number): Issuer {
  const cert = observed.ca?.[CA_KEYS.cert];
  const key = observed.ca?.[CA_KEYS.key];
  const facts = usableCa(cert, key, now);
  if (!facts || cert === undefined || key === undefined) throw new Error('no usable CA to issue from');
  return { pair: { cert, key }, notAfter: facts.notAfter };
}

function trustOf(secret: SecretText | undefined): string {
  return secret?.[LEAF_KEYS.trust] ?? '';
}

async function bootstrap(now: number, policy: RotationPolicy): Promise<SecretWrite[]> {
  const ca = await newCa(now, policy);
  const notAfter = now + policy.caLifetimeMs;
  return [
    { role: 'ca', data: { [CA_KEYS.cert]: ca.cert, [CA_KEYS.key]: ca.key, [CA_KEYS.nextCert]: null, [CA_KEYS.nextKey]: null } },
    { role: 'serving', data: leafData(await newLeaf({ pair: ca, notAfter }, 'serving', now, policy), ca.cert) },
    { role: 'client', data: leafData(await newLeaf({ pair: ca, notAfter }, 'client', now, policy), ca.cert) },
  ];
}

function trustWrites(trust: string): SecretWrite[] {
  return [{ role: 'serving', data: { [LEAF_KEYS.trust]: trust } }, { role: 'client', data: { [LEAF_KEYS.trust]: trust } }];
}

async function stageCa(observed: ObservedTls, now: number, policy: RotationPolicy): Promise<SecretWrite[]> {
  const issuer = currentIssuer(observed, now);
  const next = await newCa(now, policy);
  return [
    { role: 'ca', data: { [CA_KEYS.nextCert]: next.cert, [CA_KEYS.nextKey]: next.key } },
    ...trustWrites(bundle(issuer.pair.cert, next.cert)),
  ];
}

function trustNext(observed: ObservedTls, now: number): SecretWrite[] {
  const issuer = currentIssuer(observed, now);
  return trustWrites(bundle(issuer.pair.cert, observed.ca?.[CA_KEYS.nextCert] ?? ''));
}

async function promoteCa(observed: ObservedTls, now: number, policy: RotationPolicy): Promise<SecretWrite[]> {
  const cert = observed.ca?.[CA_KEYS.nextCert] ?? '';
  const key = observed.ca?.[CA_KEYS.nextKey] ?? '';
  const facts = usableCa(cert, key, now);
  if (!facts) throw new Error('the next CA is not usable');
  const next = { pair: { cert, key }, notAfter: facts.notAfter };
  return [
    { role: 'ca', data: { [CA_KEYS.cert]: cert, [CA_KEYS.key]: key, [CA_KEYS.nextCert]: null, [CA_KEYS.nextKey]: null } },
    // The trust bundles still hold both CAs: pods not yet restarted keep working.
    { role: 'serving', data: leafData(await newLeaf(next, 'serving', now, policy), trustOf(observed.serving)) },
    { role: 'client', data: leafData(await newLeaf(next, 'client', now, policy), trustOf(observed.client)) },
  ];
}

async function renewLeaves(observed: ObservedTls, leaves: readonly Leaf[], now: number, policy: RotationPolicy): Promise<SecretWrite[]> {
  const issuer = currentIssuer(observed, now);
  const writes: SecretWrite[] = [];
  for (const which of leaves) {
    const current = which === 'serving' ? observed.serving : observed.client;
    // Keep a bundle that already trusts the issuer (it may also hold a CA being phased in or out).
    const issuerPrint = certFacts(issuer.pair.cert)?.fingerprint;
    const trusted = splitBundle(trustOf(current)).some((p) => certFacts(p)?.fingerprint === issuerPrint);
    const trust = trusted ? trustOf(current) : bundle(issuer.pair.cert);
    writes.push({ role: which, data: leafData(await newLeaf(issuer, which, now, policy), trust) });
  }
  return writes;
}

/** The writes that carry out `step` (empty for `none` and `wait`). */
export async function rotationWrites(step: RotationStep, observed: ObservedTls, now: number, policy: RotationPolicy): Promise<SecretWrite[]> {
  switch (step.kind) {
    case 'none':
    case 'wait':
      return [];
    case 'bootstrap':
      return bootstrap(now, policy);
    case 'stageCa':
      return stageCa(observed, now, policy);
    case 'trustNext':
      return trustNext(observed, now);
    case 'promoteCa':
      return promoteCa(observed, now, policy);
    case 'trimTrust':
      return trustWrites(bundle(currentIssuer(observed, now).pair.cert));
    case 'renewLeaves':
      return renewLeaves(observed, step.leaves, now, policy);
  }
}
