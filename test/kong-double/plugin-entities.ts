// Plugins, consumers and credentials in the double's Admin API (DB mode):
// the plugin schemas a real Kong 3.9.3 published (GET /schemas/plugins/<name>,
// from the recordings) served and used to check and complete plugin configs
// (the model's recorded plugins, validated by src/plugins), consumers needing a
// username or custom_id, credentials with their required fields, basic-auth
// passwords stored hashed, and the fields Kong keeps unique.
import { basicAuthPasswordHash } from '../../src/kong/entity-compare.ts';
import { pluginFieldErrors, recordedPluginSchema, storedPlugin } from '../kong-model/validate/plugins/recorded-plugins.ts';
import { notEnabled } from '../kong-model/validate/declarative/plugins.ts';
import type { FieldErrors } from '../kong-model/validate/schema/types.ts';
import type { DoubleEntityType, DoubleRecord } from './store.ts';
import { foreignIdOf } from './store.ts';

/** `GET /schemas/plugins/<name>`: the schema, or Kong's 404. */
export function pluginSchemaAnswer(name: string): { status: number; body: unknown } {
  const schema = recordedPluginSchema(name);
  return schema === undefined ? { status: 404, body: { message: `No plugin named '${name}'` } } : { status: 200, body: schema };
}

function validatePlugin(input: DoubleRecord): { entity: DoubleRecord; errors: FieldErrors | null } {
  const schema = recordedPluginSchema(typeof input.name === 'string' ? input.name : '');
  if (schema === undefined) return { entity: input, errors: { name: notEnabled(input.name) ?? '' } };
  const config = input.config !== null && typeof input.config === 'object' ? input.config as Record<string, unknown> : {};
  const errors = pluginFieldErrors(schema, { ...input, config });
  return errors === null ? { entity: storedPlugin(schema, input), errors: null } : { entity: input, errors };
}

function validateConsumer(input: DoubleRecord): { entity: DoubleRecord; errors: FieldErrors | null } {
  const entity = { username: null, custom_id: null, tags: null, ...input };
  const set = (v: unknown): boolean => typeof v === 'string' && v !== '';
  if (set(entity.username) || set(entity.custom_id)) return { entity, errors: null };
  return { entity, errors: { '@entity': ["at least one of these fields must be non-empty: 'custom_id', 'username'"] } };
}

/** Required fields of each credential (fields Kong would generate itself are required here too, as meshdoor sends them). */
const CREDENTIAL_FIELDS: Partial<Record<DoubleEntityType, { required: string[]; defaults: DoubleRecord }>> = {
  keyauth_credentials: { required: ['key'], defaults: { ttl: null } },
  basicauth_credentials: { required: ['username', 'password'], defaults: {} },
  hmacauth_credentials: { required: ['username'], defaults: {} },
  jwt_secrets: { required: ['key'], defaults: { algorithm: 'HS256', rsa_public_key: null } },
  acls: { required: ['group'], defaults: {} },
};

function validateCredential(type: DoubleEntityType, input: DoubleRecord): { entity: DoubleRecord; errors: FieldErrors | null } {
  const spec = CREDENTIAL_FIELDS[type] ?? { required: [], defaults: {} };
  const entity: DoubleRecord = { tags: null, ...spec.defaults, ...input };
  const missing = spec.required.filter((f) => entity[f] === undefined || entity[f] === null);
  if (missing.length > 0) return { entity, errors: Object.fromEntries(missing.map((f) => [f, 'required field missing'])) };
  // Kong's basic-auth plugin stores the password hashed with the consumer's id; a hash is kept as it is.
  const consumerId = foreignIdOf(entity.consumer) ?? '';
  if (type === 'basicauth_credentials' && typeof entity.password === 'string' && !/^[0-9a-f]{40}$/.test(entity.password)) {
    entity.password = basicAuthPasswordHash(entity.password, consumerId);
  }
  return { entity, errors: null };
}

/** Validation of the plugin and consumer kinds; undefined for the core kinds (the kong-model validates those). */
export function validatePluginKind(type: DoubleEntityType, input: DoubleRecord): { entity: DoubleRecord; errors: FieldErrors | null } | undefined {
  if (type === 'plugins') return validatePlugin(input);
  if (type === 'consumers') return validateConsumer(input);
  if (CREDENTIAL_FIELDS[type] !== undefined) return validateCredential(type, input);
  return undefined;
}

/** Fields Kong keeps unique across a table (besides the endpoint key), and per consumer (an ACL group). */
export const UNIQUE_FIELDS: Partial<Record<DoubleEntityType, string[]>> = {
  consumers: ['custom_id'], keyauth_credentials: ['key'], basicauth_credentials: ['username'], hmacauth_credentials: ['username'], jwt_secrets: ['key'],
};

/** A plugin's cache key (name and attachment): one plugin of a name per route, service and consumer. */
export function pluginCacheKey(record: DoubleRecord): string {
  return ['name', 'route', 'service', 'consumer'].map((f) => (f === 'name' ? String(record[f]) : foreignIdOf(record[f]) ?? '')).join(':');
}
