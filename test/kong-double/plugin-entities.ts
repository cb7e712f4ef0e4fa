// Plugins, consumers and credentials in the double's Admin API (DB mode):
// the plugin schemas a real Kong 3.9.3 published (GET /schemas/plugins/<name>,
// from the recordings) served and used to check and complete plugin configs
// with the product's own schema validation (src/plugins), consumers needing a
// username or custom_id, credentials with their required fields, basic-auth
// passwords stored hashed, and the fields Kong keeps unique.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { basicAuthPasswordHash } from '../../src/kong/entity-compare.ts';
import { completePluginConfig, validatePluginEntity, type PluginSchema } from '../../src/plugins/index.ts';
import { readRecording, recordingsDir } from '../recordings/recordings-dir.ts';
import type { FieldErrors } from '../kong-model/validate/schema/types.ts';
import type { DoubleEntityType, DoubleRecord } from './store.ts';
import { foreignIdOf } from './store.ts';

const schemas = new Map<string, PluginSchema | null>();

/** The recorded schema of a plugin; undefined for a plugin the recorded Kong did not enable. */
export function recordedPluginSchema(name: string): PluginSchema | undefined {
  if (!schemas.has(name)) {
    const files = readdirSync(path.join(recordingsDir(), 'plugin-schemas'));
    schemas.set(name, /^[a-z0-9-]+$/.test(name) && files.includes(`${name}.json`) ? readRecording<PluginSchema>(`plugin-schemas/${name}.json`) : null);
  }
  return schemas.get(name) ?? undefined;
}

/** `GET /schemas/plugins/<name>`: the schema, or Kong's 404. */
export function pluginSchemaAnswer(name: string): { status: number; body: unknown } {
  const schema = recordedPluginSchema(name);
  return schema === undefined ? { status: 404, body: { message: `No plugin named '${name}'` } } : { status: 200, body: schema };
}

/** A dotted field (`config.add.headers.1`, 1-based list positions) put into Kong's `fields` tree. */
function setField(tree: FieldErrors, field: string, message: string): void {
  const keys = field.split('.');
  let node: Record<string, unknown> | unknown[] = tree;
  keys.forEach((key, i) => {
    const last = i === keys.length - 1;
    const nextIsIndex = /^\d+$/.test(keys[i + 1] ?? '');
    const slot = Array.isArray(node) ? Number(key) - 1 : key;
    const holder = node as Record<string | number, unknown>;
    if (last) holder[slot] = message;
    else holder[slot] ??= nextIsIndex ? [] : {};
    if (Array.isArray(node)) for (let j = 0; j < node.length; j += 1) node[j] ??= null;
    if (!last) node = holder[slot] as Record<string, unknown> | unknown[];
  });
}

const PLUGIN_BASE: DoubleRecord = { instance_name: null, route: null, service: null, consumer: null, protocols: ['grpc', 'grpcs', 'http', 'https'], enabled: true, tags: null };

function validatePlugin(input: DoubleRecord): { entity: DoubleRecord; errors: FieldErrors | null } {
  const name = typeof input.name === 'string' ? input.name : '';
  const schema = recordedPluginSchema(name);
  if (schema === undefined) return { entity: input, errors: { name: `plugin '${name}' not enabled; add it to the 'plugins' configuration property` } };
  const config = input.config !== null && typeof input.config === 'object' ? input.config as Record<string, unknown> : {};
  const problems = validatePluginEntity(schema, {
    config, ...(Array.isArray(input.protocols) ? { protocols: input.protocols as string[] } : {}),
    ...(input.route ? { route: input.route } : {}), ...(input.service ? { service: input.service } : {}), ...(input.consumer ? { consumer: input.consumer } : {}),
  });
  if (problems.length > 0) {
    const errors: FieldErrors = {};
    for (const p of problems) {
      if (p.field === undefined) ((errors['@entity'] ??= []) as string[]).push(p.message);
      else setField(errors, p.field, p.message);
    }
    return { entity: input, errors };
  }
  return { entity: { ...PLUGIN_BASE, ...input, config: completePluginConfig(schema, config) }, errors: null };
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
