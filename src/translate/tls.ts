// Ingress tls[] → Kong certificates with SNIs. A host belongs to one Secret:
// the oldest Ingress's. Broken or missing Secrets are failures, and the routes
// are still served over plain HTTP.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { V1Ingress, V1IngressTLS, V1Secret } from '@kubernetes/client-node';
import type { KongCertificate } from '../model/index.ts';
import { freezeDeep } from '../model/index.ts';
import { guarded } from './context.ts';
import type { TranslateContext } from './context.ts';
import type { TranslatorMemory } from './memory.ts';
import { checkIngressHost } from './hosts.ts';
import { compareStrings, namespacedName, precedence, refOf, sortedStrings } from './objects.ts';

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

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
const SERVED_ANYWAY = 'Kong would accept the Secret but fail the TLS handshake for its hosts';

/**
 * Every PEM block of tls.crt must be a certificate: Kong stores the whole chain
 * and only fails when it serves it, so a broken second block breaks TLS for
 * every SNI of the Secret. Returns the leaf certificate.
 */
function readCertificateChain(cert: string): X509Certificate | { error: string } {
  if (!cert.includes('-----BEGIN CERTIFICATE-----')) return { error: 'tls.crt is not a PEM certificate' };
  const blocks = [...cert.matchAll(PEM_BLOCK)];
  if (blocks.length !== (cert.match(/-----BEGIN /g) ?? []).length) return { error: `tls.crt has a PEM block without its END line; ${SERVED_ANYWAY}` };
  const chain: X509Certificate[] = [];
  for (const [i, block] of blocks.entries()) {
    const where = blocks.length > 1 ? `tls.crt PEM block ${i + 1} of ${blocks.length}` : 'tls.crt';
    if (block[1] !== 'CERTIFICATE') return { error: `${where} is a ${block[1] ?? ''}, not a CERTIFICATE` };
    try {
      chain.push(new X509Certificate(block[0]));
    } catch {
      return { error: `${where} does not parse as an X.509 certificate${i > 0 ? `; ${SERVED_ANYWAY}` : ''}` };
    }
  }
  const [leaf] = chain;
  if (!leaf) return { error: 'tls.crt is not a PEM certificate' };
  if (leaf.publicKey.asymmetricKeyType === 'dsa') {
    return { error: `tls.crt is a DSA certificate; ${SERVED_ANYWAY}: use an RSA or ECDSA certificate` };
  }
  return leaf;
}

/** Checks a TLS Secret without ever echoing its contents. */
export function readKeyPair(secret: V1Secret): KeyPair {
  if (secret.type !== undefined && secret.type !== 'kubernetes.io/tls') return { error: `type is ${secret.type}, not kubernetes.io/tls` };
  const cert = decode(secret, 'tls.crt');
  const key = decode(secret, 'tls.key');
  if (!cert || !key) return { error: 'needs both tls.crt and tls.key' };
  const x509 = readCertificateChain(cert);
  if (!(x509 instanceof X509Certificate)) return x509;
  try {
    if (!key.includes('-----BEGIN') || !x509.checkPrivateKey(createPrivateKey(key))) return { error: 'tls.key does not match the certificate in tls.crt' };
  } catch {
    return { error: 'tls.key does not parse as a PEM private key' };
  }
  return { cert, key };
}

/** A key pair read from a Secret's content: its type and both fields as stored. */
interface ReadContent {
  type: string | undefined;
  cert: string;
  key: string | undefined;
  pair: KeyPair;
}

/**
 * A certificate's content key: its length and last characters (the end of its
 * signature), not the whole text: hashing kilobytes of PEM per Secret was a
 * sixtieth of a 10k pass. Contents under one key are told apart in full.
 */
function contentKey(cert: string): string {
  return cert.length <= 96 ? cert : `${cert.length}:${cert.slice(-64)}`;
}

/** What a translator remembers of Secrets between passes. */
export class TlsMemory {
  // Store objects are replaced, never mutated: a Secret object parses the same
  // way every time, and parsing 1k key pairs was a sixth of a 10k translation.
  private readonly keyPairs = new WeakMap<V1Secret, KeyPair>();
  /** A Secret serving the same hosts as last pass gives the same (deep-frozen) certificate. */
  readonly certificates = new WeakMap<V1Secret, { hosts: string; certificate: KongCertificate }>();
  /**
   * Key pairs by content (tls.crt as stored, by contentKey): a re-listed Secret
   * is a new object with the same data and is not parsed again. Holds what the
   * last TLS translation read, and what the current one read so far.
   */
  private byContent = new Map<string, ReadContent[]>();
  private readNow = new Map<string, ReadContent[]>();

  /** Starts a TLS translation: contents the previous one did not read are forgotten after this one. */
  begin(): void {
    this.byContent = this.readNow;
    this.readNow = new Map();
  }

  keyPairOf(secret: V1Secret): KeyPair {
    const cert = secret.data?.['tls.crt'];
    if (cert === undefined) return this.parsed(secret);
    const key = secret.data?.['tls.key'];
    const same = (read: ReadContent): boolean => read.type === secret.type && read.key === key && read.cert === cert;
    const slot = contentKey(cert);
    const read = this.readNow.get(slot);
    const found = read?.find(same) ?? this.byContent.get(slot)?.find(same);
    const content = found ?? { type: secret.type, cert, key, pair: this.parsed(secret) };
    if (read === undefined) this.readNow.set(slot, [content]);
    else if (!read.includes(content)) read.push(content);
    return content.pair;
  }

  private parsed(secret: V1Secret): KeyPair {
    let pair = this.keyPairs.get(secret);
    if (pair === undefined) {
      pair = readKeyPair(secret);
      this.keyPairs.set(secret, pair);
    }
    return pair;
  }
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
  const pair = state.broken.has(key) ? { error: state.broken.get(key) ?? '' } : ctx.memory.tls.keyPairOf(secret);
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

function certificateOf(memory: TranslatorMemory, claim: SecretClaim): KongCertificate {
  const hosts = sortedStrings(claim.hosts).join(' ');
  const known = memory.tls.certificates.get(claim.secret);
  if (known?.hosts === hosts) return known.certificate;
  const certificate = freezeDeep(toCertificate(memory, claim));
  memory.tls.certificates.set(claim.secret, { hosts, certificate });
  return certificate;
}

function toCertificate({ ids, tags: objectTags }: TranslatorMemory, claim: SecretClaim): KongCertificate {
  const tags = objectTags.of('Secret', claim.secret);
  return {
    id: claim.secret.metadata?.uid ?? ids.entity('certificates', namespacedName(claim.secret)),
    cert: claim.pair.cert,
    key: claim.pair.key,
    tags,
    snis: sortedStrings(claim.hosts).map((name) => ({ id: ids.entity('snis', name), name, tags })),
  };
}

/** Certificates for the given Ingresses, which must be sorted oldest first. */
export function translateTls(ctx: TranslateContext, ingresses: readonly V1Ingress[]): TlsResult {
  const state: TlsState = { ctx, claims: new Map(), broken: new Map(), owners: new Map() };
  ctx.memory.tls.begin();
  for (const ingress of ingresses) {
    guarded(ctx, ingress, () => (ingress.spec?.tls ?? []).forEach((tls, index) => claimHosts(state, ingress, tls, index)));
  }
  const used = [...state.claims.values()].filter((claim) => claim.hosts.size > 0);
  return {
    certificates: used.map((claim) => certificateOf(ctx.memory, claim)).sort((a, b) => compareStrings(a.id, b.id)),
    secrets: used.map((claim) => claim.secret),
  };
}
