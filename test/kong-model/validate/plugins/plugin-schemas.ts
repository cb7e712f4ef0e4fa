// Plugin schemas as Kong's Admin API publishes them (`GET /schemas/plugins/<name>`,
// trimmed of descriptions, in schemas/), read into the model's schema engine.
// Only the plugins with a schema here have their configuration validated and
// completed with defaults.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EntityCheck, EntitySchema, FieldDef, FieldType } from '../schema/types.ts';
import { isPlainObject } from '../schema/types.ts';

type Json = Record<string, unknown>;

const SCHEMA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'schemas');
const MODELLED = new Set(['cors', 'key-auth', 'rate-limiting', 'request-transformer']);

/** The Lua pattern classes Kong's plugin schemas use, as JavaScript regex syntax. */
function luaPattern(pattern: string): RegExp {
  const classes: Record<string, string> = { u: 'A-Z', l: 'a-z', d: '0-9', a: 'A-Za-z', w: 'A-Za-z0-9', s: '\\s', x: '0-9A-Fa-f' };
  let inSet = false;
  let out = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i] ?? '';
    if (c === '%' && i + 1 < pattern.length) {
      const next = pattern[i + 1] ?? '';
      i += 1;
      const cls = classes[next];
      out += cls === undefined ? `\\${next}` : inSet ? cls : `[${cls}]`;
      continue;
    }
    if (c === '[') inSet = true;
    if (c === ']') inSet = false;
    out += c;
  }
  return new RegExp(out);
}

const TYPES: Record<string, FieldType> = {
  string: 'string', number: 'number', integer: 'integer', boolean: 'boolean', array: 'array', set: 'set', map: 'map',
  record: 'record', foreign: 'foreign', json: 'any',
};

function named(list: unknown): [string, Json][] {
  return (Array.isArray(list) ? list : []).flatMap((entry: unknown) => (isPlainObject(entry) ? Object.entries(entry) as [string, Json][] : []));
}

function fieldDef(json: Json): FieldDef {
  const def: FieldDef = { type: TYPES[String(json['type'])] ?? 'any' };
  if (json['required'] === true) def.required = true;
  if (json['default'] !== undefined) def.default = json['default'];
  if (Array.isArray(json['one_of'])) def.oneOf = json['one_of'] as (string | number)[];
  if (Array.isArray(json['between'])) def.between = json['between'] as [number, number];
  if (typeof json['len_min'] === 'number') def.lenMin = json['len_min'];
  if (typeof json['starts_with'] === 'string') def.startsWith = json['starts_with'];
  if (typeof json['match'] === 'string') def.match = luaPattern(json['match']);
  if (Array.isArray(json['match_none'])) {
    def.matchNone = (json['match_none'] as Json[]).map((r) => ({ pattern: luaPattern(String(r['pattern'])), err: String(r['err']) }));
  }
  if (typeof json['gt'] === 'number') {
    const gt = json['gt'];
    def.custom = (v) => (Number(v) > gt ? null : `value must be greater than ${gt}`);
  }
  if ('eq' in json && json['eq'] === null) def.eqNull = true;
  const eq = json['eq'];
  if (typeof eq === 'string' || typeof eq === 'number' || typeof eq === 'boolean') def.eq = eq;
  if (typeof json['reference'] === 'string') def.reference = json['reference'];
  return withNested(def, json);
}

/** Element, key, value and record field definitions. */
function withNested(def: FieldDef, json: Json): FieldDef {
  if (isPlainObject(json['elements'])) def.elements = fieldDef(json['elements']);
  if (isPlainObject(json['keys'])) def.keys = fieldDef(json['keys']);
  if (isPlainObject(json['values'])) def.values = fieldDef(json['values']);
  if (Array.isArray(json['fields'])) def.fields = Object.fromEntries(named(json['fields']).map(([k, v]) => [k, fieldDef(v)]));
  return def;
}

function entityCheck(json: Json): EntityCheck | undefined {
  const atLeast = json['at_least_one_of'];
  if (Array.isArray(atLeast)) return { kind: 'atLeastOneOf', fields: atLeast as string[] };
  const cond = json['conditional'];
  if (isPlainObject(cond) && isPlainObject(cond['if_match']) && isPlainObject(cond['then_match'])) {
    return {
      kind: 'conditional', ifField: String(cond['if_field']), ifMatch: fieldDef({ type: 'any', ...cond['if_match'] }),
      thenField: String(cond['then_field']), thenMatch: fieldDef({ type: 'any', ...cond['then_match'] }),
    };
  }
  return undefined;
}

/** The fields every plugin has (kong/db/schema/entities/plugins.lua); a plugin's own schema overrides them. */
const BASE_FIELDS: Record<string, FieldDef> = {
  id: { type: 'string', uuid: true, auto: true },
  name: { type: 'string', required: true },
  instance_name: { type: 'string' },
  created_at: { type: 'integer', timestamp: true, auto: true },
  updated_at: { type: 'integer', timestamp: true, auto: true },
  route: { type: 'foreign', reference: 'routes' },
  service: { type: 'foreign', reference: 'services' },
  consumer: { type: 'foreign', reference: 'consumers' },
  config: { type: 'record', required: true, fields: {} },
  protocols: { type: 'set', required: true, default: ['grpc', 'grpcs', 'http', 'https'], elements: { type: 'string' } },
  enabled: { type: 'boolean', required: true, default: true },
  tags: { type: 'set', elements: { type: 'string' } },
};

const cache = new Map<string, EntitySchema>();

/** The schema of a plugin, or undefined when the model has none for it. */
export function pluginSchema(name: string): EntitySchema | undefined {
  if (!MODELLED.has(name)) return undefined;
  const cached = cache.get(name);
  if (cached) return cached;
  const json = JSON.parse(readFileSync(path.join(SCHEMA_DIR, `${name}.json`), 'utf8')) as Json;
  const own = Object.fromEntries(named(json['fields']).map(([k, v]) => [k, fieldDef(v)]));
  const checks = (Array.isArray(json['entity_checks']) ? json['entity_checks'] as Json[] : []).flatMap((c) => entityCheck(c) ?? []);
  const schema: EntitySchema = { name: 'plugins', fields: { ...BASE_FIELDS, ...own }, entityChecks: checks };
  cache.set(name, schema);
  return schema;
}
