// kong/db/schema/entities/certificates.lua (3.9): PEM parsing and the
// certificate/key match, done with node:crypto and cached by content.
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Entity, EntitySchema, FieldDef } from '../schema/types.ts';
import { typedefs } from '../typedefs.ts';

interface ParsedKey {
  /** DER of the public key, hex, for comparing cert and key. */
  publicKey: string;
  keyType: string;
}

type Parsed = { ok: true; value: ParsedKey } | { ok: false; error: string };

const certCache = new LRUCache<string, Parsed>({ max: 500 });
const keyCache = new LRUCache<string, Parsed>({ max: 500 });

/** Vault references (`{vault://...}`) are not parsed. */
function isReference(value: unknown): boolean {
  return typeof value === 'string' && /^\{vault:\/\/.+\}$/.test(value.trim());
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function parseCertificate(pem: string): Parsed {
  let parsed = certCache.get(pem);
  if (!parsed) {
    try {
      const cert = new X509Certificate(pem);
      const key = cert.publicKey;
      parsed = { ok: true, value: { publicKey: key.export({ type: 'spki', format: 'der' }).toString('hex'),
        keyType: key.asymmetricKeyType ?? 'unknown' } };
    } catch (e) {
      parsed = { ok: false, error: `x509.new: ${message(e)}` };
    }
    certCache.set(pem, parsed);
  }
  return parsed;
}

export function parsePrivateKey(pem: string): Parsed {
  let parsed = keyCache.get(pem);
  if (!parsed) {
    try {
      const pub = createPublicKey(createPrivateKey(pem));
      parsed = { ok: true, value: { publicKey: pub.export({ type: 'spki', format: 'der' }).toString('hex'),
        keyType: pub.asymmetricKeyType ?? 'unknown' } };
    } catch (e) {
      parsed = { ok: false, error: `pkey.new:load_key: ${message(e)}` };
    }
    keyCache.set(pem, parsed);
  }
  return parsed;
}

const certificate: FieldDef = { type: 'string', custom: (v) => {
  if (isReference(v)) return null;
  const p = parseCertificate(v);
  return p.ok ? null : `invalid certificate: ${p.error}`;
} };

const key: FieldDef = { type: 'string', custom: (v) => {
  if (isReference(v)) return null;
  const p = parsePrivateKey(v);
  return p.ok ? null : `invalid key: ${p.error}`;
} };

function pairMismatch(entity: Entity, certField: string, keyField: string, err: string): string | null {
  const c = entity[certField];
  const k = entity[keyField];
  if (typeof c !== 'string' || typeof k !== 'string' || isReference(c) || isReference(k)) return null;
  const pc = parseCertificate(c);
  const pk = parsePrivateKey(k);
  if (!pc.ok || !pk.ok) return null;
  return pc.value.publicKey === pk.value.publicKey ? null : err;
}

function sameKeyType(entity: Entity): string | null {
  const c = entity['cert'];
  const alt = entity['cert_alt'];
  if (typeof c !== 'string' || typeof alt !== 'string' || isReference(c) || isReference(alt)) return null;
  const a = parseCertificate(c);
  const b = parseCertificate(alt);
  if (!a.ok || !b.ok || a.value.keyType !== b.value.keyType) return null;
  return 'certificate and alternative certificate need to have different type (e.g. RSA and ECDSA), '
    + 'the provided certificates were both of the same type';
}

export const certificatesSchema: EntitySchema = {
  name: 'certificates',
  fields: {
    id: typedefs.uuid,
    created_at: typedefs.autoTimestampS,
    updated_at: typedefs.autoTimestampS,
    cert: { ...certificate, required: true },
    key: { ...key, required: true },
    cert_alt: certificate,
    key_alt: key,
    tags: typedefs.tags,
  },
  entityChecks: [
    { kind: 'mutuallyRequired', fields: ['cert_alt', 'key_alt'] },
    { kind: 'custom', fieldSources: ['cert', 'key'],
      fn: (e) => pairMismatch(e, 'cert', 'key', 'certificate does not match key') },
    { kind: 'custom', fieldSources: ['cert_alt', 'key_alt'],
      fn: (e) => pairMismatch(e, 'cert_alt', 'key_alt', 'alternative certificate does not match key') },
    { kind: 'custom', fieldSources: ['cert', 'cert_alt'], fn: sameKeyType },
  ],
};
