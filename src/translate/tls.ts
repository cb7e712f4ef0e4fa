// Ingress tls[] → Kong certificates with SNIs. A host belongs to one Secret:
// the oldest Ingress's. Broken or missing Secrets are failures, and the routes
// are still served over plain HTTP.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { V1Ingress, V1IngressTLS, V1Secret } from '@kubernetes/client-node';
import type { KongCertificate } from '../kong/declarative.ts';
import { freezeDeep } from '../kong/frozen.ts';
import { entityId } from './entity-ids.ts';
import { guarded } from './context.ts';
import type { TranslateContext } from './context.ts';
import { checkIngressHost } from './hosts.ts';
import { compareStrings, namespacedName, precedence, refOf, sortedStrings } from './objects.ts';
import { tagsFor } from './tags.ts';

type KeyPair = { cert: string; key: string } | { error: string };

export interface TlsResult {
  certificates: KongCertificate[];
  secrets: V1Secret[];
}

interface SecretClaim {
  secret: V1Secret;
  pair: { cert: string; key: string };
  hosts: Set<string>;
}

interface TlsState {
  ctx: TranslateContext;
  claims: Map<string, SecretClaim>;
  /** Secret ns/name → why it cannot be used. */
  broken: Map<string, string>;
  /** host → Secret ns/name and the Ingress that claimed it first. */
  owners: Map<string, { secretKey: string; ingress: string; object: V1Ingress }>;
}

function decode(secret: V1Secret, field: string): string | undefined {
  const data = secret.data?.[field];
  return data === undefined ? undefined : Buffer.from(data, 'base64').toString('utf8');
}

/** Checks a TLS Secret without ever echoing its contents. */
export function readKeyPair(secret: V1Secret): KeyPair {
  if (secret.type !== undefined && secret.type !== 'kubernetes.io/tls') return { error: `type is ${secret.type}, not kubernetes.io/tls` };
  const cert = decode(secret, 'tls.crt');
  const key = decode(secret, 'tls.key');
  if (!cert || !key) return { error: 'needs both tls.crt and tls.key' };
  if (!cert.includes('-----BEGIN CERTIFICATE-----')) return { error: 'tls.crt is not a PEM certificate' };
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    return { error: 'tls.crt does not parse as an X.509 certificate' };
  }
  try {
    if (!key.includes('-----BEGIN') || !x509.checkPrivateKey(createPrivateKey(key))) return { error: 'tls.key does not match the certificate in tls.crt' };
  } catch {
    return { error: 'tls.key does not parse as a PEM private key' };
  }
  return { cert, key };
}

// Store objects are replaced, never mutated: a Secret object parses the same
// way every time, and parsing 1k key pairs was a sixth of a 10k translation.
const parsedPairs = new WeakMap<V1Secret, KeyPair>();

function lookupKeyPair(secret: V1Secret): KeyPair {
  let pair = parsedPairs.get(secret);
  if (pair === undefined) {
    pair = readKeyPair(secret);
    parsedPairs.set(secret, pair);
  }
  return pair;
}

function claimSecret(state: TlsState, ingress: V1Ingress, index: number, secretName: string): SecretClaim | undefined {
  const { ctx } = state;
  const namespace = ingress.metadata?.namespace ?? '';
  const key = `${namespace}/${secretName}`;
  const secret = ctx.index.lookupSecret(namespace, secretName);
  if (secret && ctx.isExcluded('Secret', secret)) return undefined;
  if (!secret) {
    ctx.failures.add(refOf('Ingress', ingress), 'SecretNotFound', `tls[${index}]: Secret ${key} does not exist; its hosts are served without a TLS certificate`);
    return undefined;
  }
  const known = state.claims.get(key);
  if (known) return known;
  const pair = state.broken.has(key) ? { error: state.broken.get(key) ?? '' } : lookupKeyPair(secret);
  if ('error' in pair) {
    state.broken.set(key, pair.error);
    const message = `Secret ${key} ${pair.error}; its hosts are served without a TLS certificate`;
    ctx.failures.add(refOf('Ingress', ingress), 'InvalidCertificate', message);
    ctx.failures.add(refOf('Secret', secret), 'InvalidCertificate', message);
    return undefined;
  }
  const claim = { secret, pair, hosts: new Set<string>() };
  state.claims.set(key, claim);
  return claim;
}

function claimHosts(state: TlsState, ingress: V1Ingress, tls: V1IngressTLS, index: number): void {
  const claim = tls.secretName ? claimSecret(state, ingress, index, tls.secretName) : undefined;
  if (!claim) return;
  const secretKey = namespacedName(claim.secret);
  const ref = refOf('Ingress', ingress);
  for (const host of tls.hosts ?? []) {
    const problem = checkIngressHost(host);
    if (problem) {
      state.ctx.failures.add(ref, 'InvalidHost', `tls[${index}].hosts '${host}' ${problem}`);
      continue;
    }
    const owner = state.owners.get(host);
    if (owner && owner.secretKey !== secretKey) {
      state.ctx.failures.add(ref, 'HostConflict', `tls[${index}] host '${host}' already uses Secret ${owner.secretKey} (Ingress ${owner.ingress}, ${precedence(owner.object, ingress)}); Secret ${secretKey} is not used for it`);
      continue;
    }
    if (!owner) state.owners.set(host, { secretKey, ingress: namespacedName(ingress), object: ingress });
    claim.hosts.add(host);
  }
}

// A Secret serving the same hosts as last pass gives the same (deep-frozen) certificate.
const certificates = new WeakMap<V1Secret, { hosts: string; certificate: KongCertificate }>();

function certificateOf(claim: SecretClaim): KongCertificate {
  const hosts = sortedStrings(claim.hosts).join(' ');
  const known = certificates.get(claim.secret);
  if (known?.hosts === hosts) return known.certificate;
  const certificate = freezeDeep(toCertificate(claim));
  certificates.set(claim.secret, { hosts, certificate });
  return certificate;
}

function toCertificate(claim: SecretClaim): KongCertificate {
  const tags = tagsFor('Secret', claim.secret);
  return {
    id: claim.secret.metadata?.uid ?? entityId('certificates', namespacedName(claim.secret)),
    cert: claim.pair.cert,
    key: claim.pair.key,
    tags,
    snis: sortedStrings(claim.hosts).map((name) => ({ id: entityId('snis', name), name, tags })),
  };
}

/** Certificates for the given Ingresses, which must be sorted oldest first. */
export function translateTls(ctx: TranslateContext, ingresses: readonly V1Ingress[]): TlsResult {
  const state: TlsState = { ctx, claims: new Map(), broken: new Map(), owners: new Map() };
  for (const ingress of ingresses) {
    guarded(ctx, ingress, () => (ingress.spec?.tls ?? []).forEach((tls, index) => claimHosts(state, ingress, tls, index)));
  }
  const used = [...state.claims.values()].filter((claim) => claim.hosts.size > 0);
  return {
    certificates: used.map(certificateOf).sort((a, b) => compareStrings(a.id, b.id)),
    secrets: used.map((claim) => claim.secret),
  };
}
