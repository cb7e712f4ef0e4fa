// X.509 for the Kong Admin API's mutual TLS: a small CA, the gateway's serving
// certificate and meshdoor's client certificate (ECDSA P-256, generated with
// WebCrypto and @peculiar/x509), and what a PEM certificate says about itself
// (node:crypto's parser).
import 'reflect-metadata'; // @peculiar/x509's dependency injection needs the Reflect polyfill
import * as x509 from '@peculiar/x509';
import { createPrivateKey, randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';

x509.cryptoProvider.set(webcrypto);

const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface KeyPairPem {
  /** PEM certificate. */
  cert: string;
  /** PEM PKCS#8 private key. */
  key: string;
}

export interface IssueOptions {
  /** Subject common name. */
  commonName: string;
  notBefore: Date;
  notAfter: Date;
}

export interface LeafOptions extends IssueOptions {
  usage: 'server' | 'client';
  /** DNS subject alternative names (server certificates); IP addresses become IP SANs. */
  dnsNames?: readonly string[];
}

function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // positive INTEGER
  return bytes.toString('hex');
}

async function newKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
}

async function keyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
}

async function importSigningKey(pem: string): Promise<CryptoKey> {
  const der = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
  return webcrypto.subtle.importKey('pkcs8', der, EC_P256, false, ['sign']);
}

/** A self-signed CA that may sign leaf certificates only (path length 0). */
export async function createCa(options: IssueOptions): Promise<KeyPairPem> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(), name: `CN=${options.commonName}`,
    notBefore: options.notBefore, notAfter: options.notAfter, keys, signingAlgorithm: EC_P256,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await keyPem(keys.privateKey) };
}

/** A leaf certificate signed by `ca`, for a TLS server or a TLS client. */
export async function issueLeaf(ca: KeyPairPem, options: LeafOptions): Promise<KeyPairPem> {
  const keys = await newKeys();
  const issuer = new x509.X509Certificate(ca.cert);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([options.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
    await x509.AuthorityKeyIdentifierExtension.create(issuer),
  ];
  if (options.dnsNames && options.dnsNames.length > 0) {
    // An IP address among the names becomes an IP SAN (a webhook reached by address).
    extensions.push(new x509.SubjectAlternativeNameExtension(options.dnsNames.map((value) => ({ type: isIP(value) ? 'ip' as const : 'dns' as const, value }))));
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(), subject: `CN=${options.commonName}`, issuer: issuer.subject,
    notBefore: options.notBefore, notAfter: options.notAfter,
    signingKey: await importSigningKey(ca.key), publicKey: keys.publicKey, signingAlgorithm: EC_P256, extensions,
  });
  return { cert: cert.toString('pem'), key: await keyPem(keys.privateKey) };
}

/** What the rotation planner needs to know of one certificate. */
export interface CertFacts {
  pem: string;
  fingerprint: string;
  notBefore: number;
  notAfter: number;
  dnsNames: string[];
  isCa: boolean;
}

/** Facts of the first certificate in `pem`; undefined when it does not parse. */
export function certFacts(pem: string | undefined): CertFacts | undefined {
  if (pem === undefined || pem.trim() === '') return undefined;
  try {
    const cert = new X509Certificate(pem);
    const dnsNames = (cert.subjectAltName ?? '').split(', ').filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4));
    return {
      pem: cert.toString(), fingerprint: cert.fingerprint256,
      notBefore: Date.parse(cert.validFrom), notAfter: Date.parse(cert.validTo), dnsNames, isCa: cert.ca,
    };
  } catch {
    return undefined;
  }
}

/** Every certificate of a PEM bundle, in order (unparsable blocks left out). */
export function splitBundle(pem: string | undefined): string[] {
  const blocks = pem?.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((b) => `${b}\n`).filter((b) => certFacts(b) !== undefined);
}

/** Whether `leafPem` was signed by `caPem`'s key. */
export function signedBy(leafPem: string, caPem: string): boolean {
  try {
    const leaf = new X509Certificate(leafPem);
    const ca = new X509Certificate(caPem);
    return leaf.checkIssued(ca) && leaf.verify(ca.publicKey);
  } catch {
    return false;
  }
}

/** Whether `keyPem` is the private key of `certPem`. */
export function keyMatches(certPem: string, keyPem: string): boolean {
  try {
    return new X509Certificate(certPem).checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}
