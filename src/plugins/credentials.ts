// Credential Secrets of a KongConsumer: a Secret in the consumer's namespace
// labelled `konghq.com/credential: <type>`, its keys the credential's fields.
// Every field Kong would generate itself is required here: a generated key
// or secret would change on every DB-less push. Messages name Secrets and
// keys, never values.
import type { V1Secret } from '@kubernetes/client-node';
import type { ConsumerCredentials } from './entities.ts';
import type { CredentialTable } from './ids.ts';
import { kongCredentialId } from './ids.ts';
import { CREDENTIAL_LABEL } from './resources.ts';
import { secretValue } from './sources.ts';
import { tagsOf } from './tags.ts';
import { refOf } from './failures.ts';

interface CredentialSpec {
  table: CredentialTable;
  required: readonly string[];
  optional: readonly string[];
  /** The field Kong keeps unique across all consumers. */
  unique?: string;
}

export const CREDENTIAL_TYPES: Readonly<Record<string, CredentialSpec>> = {
  'key-auth': { table: 'keyauth_credentials', required: ['key'], optional: [], unique: 'key' },
  'basic-auth': { table: 'basicauth_credentials', required: ['username', 'password'], optional: [], unique: 'username' },
  'hmac-auth': { table: 'hmacauth_credentials', required: ['username', 'secret'], optional: [], unique: 'username' },
  jwt: { table: 'jwt_secrets', required: ['key'], optional: ['algorithm', 'secret', 'rsa_public_key'], unique: 'key' },
  acl: { table: 'acls', required: ['group'], optional: [] },
};

/** Kept by older Kong Ingress Controller Secrets; the label says the same. */
const LEGACY_TYPE_KEY = 'kongCredType';
const JWT_ALGORITHMS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'EdDSA'];

export interface Credential {
  table: CredentialTable;
  /** The uniqueness key Kong enforces (`key-auth` key, ...), for conflict checks only: never printed. */
  uniqueValue?: string;
  secretName: string;
  body: Record<string, unknown> & { id: string; tags: string[] };
}

export type CredentialResult = { ok: true; credential: Credential } | { ok: false; reason: 'CredentialSecretMissing' | 'InvalidCredential'; message: string };

function jwtProblem(fields: Record<string, string>): string | undefined {
  const algorithm = fields.algorithm ?? 'HS256';
  if (!JWT_ALGORITHMS.includes(algorithm)) return `algorithm must be one of ${JWT_ALGORITHMS.join(', ')}`;
  if (algorithm.startsWith('HS')) return fields.secret === undefined ? `key 'secret' is required for ${algorithm}` : undefined;
  return fields.rsa_public_key === undefined ? `key 'rsa_public_key' is required for ${algorithm}` : undefined;
}

function readFields(secret: V1Secret, spec: CredentialSpec): { fields: Record<string, string> } | { problem: string } {
  const keys = new Set([...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})]);
  keys.delete(LEGACY_TYPE_KEY);
  const allowed = [...spec.required, ...spec.optional];
  const unknown = [...keys].filter((k) => !allowed.includes(k)).sort();
  if (unknown.length > 0) return { problem: `key '${unknown[0] ?? ''}' is not a field of this credential (fields: ${allowed.join(', ')})` };
  const fields: Record<string, string> = {};
  for (const key of allowed) {
    const value = secretValue(secret, key);
    if (value !== undefined) fields[key] = value;
  }
  const missing = spec.required.find((k) => fields[k] === undefined || fields[k] === '');
  return missing === undefined ? { fields } : { problem: `key '${missing}' is required` };
}

/** One credential of a consumer from its Secret. */
export function credentialFromSecret(secret: V1Secret | undefined, where: { namespace: string; name: string }, consumerId: string): CredentialResult {
  const label = `Secret ${where.namespace}/${where.name}`;
  if (!secret) return { ok: false, reason: 'CredentialSecretMissing', message: `credentials: ${label} does not exist` };
  const type = secret.metadata?.labels?.[CREDENTIAL_LABEL];
  const spec = type === undefined ? undefined : CREDENTIAL_TYPES[type];
  if (!spec) {
    const types = Object.keys(CREDENTIAL_TYPES).join(', ');
    const what = type === undefined ? `has no ${CREDENTIAL_LABEL} label` : `has ${CREDENTIAL_LABEL}: ${type}, which is not supported`;
    return { ok: false, reason: 'InvalidCredential', message: `credentials: ${label} ${what} (one of: ${types})` };
  }
  const read = readFields(secret, spec);
  const problem = 'problem' in read ? read.problem : type === 'jwt' ? jwtProblem(read.fields) : undefined;
  if (problem !== undefined || !('fields' in read)) {
    return { ok: false, reason: 'InvalidCredential', message: `credentials: ${label} (${type ?? ''}): ${problem ?? ''}` };
  }
  const fields: Record<string, string> = type === 'jwt' ? { algorithm: 'HS256', ...read.fields } : read.fields;
  const body = { id: kongCredentialId(spec.table, consumerId, where), ...fields, tags: tagsOf(refOf('Secret', secret.metadata)) };
  const credential: Credential = { table: spec.table, secretName: where.name, body };
  if (spec.unique !== undefined) credential.uniqueValue = read.fields[spec.unique];
  return { ok: true, credential };
}

export function emptyCredentials(): ConsumerCredentials {
  return { keyauth_credentials: [], basicauth_credentials: [], hmacauth_credentials: [], jwt_secrets: [], acls: [] };
}

/** Credentials grouped into the consumer's lists, each sorted by id. */
export function groupCredentials(credentials: readonly Credential[]): ConsumerCredentials {
  const out = emptyCredentials();
  for (const c of credentials) (out[c.table] as unknown[]).push(c.body);
  for (const list of Object.values(out) as { id: string }[][]) list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return out;
}
