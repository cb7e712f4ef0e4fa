// Schema:process_auto_fields(data, "insert"): shorthands, generated ids and
// timestamps, defaults for missing fields, sets de-duplicated. Runs before
// validation, exactly as Kong's DAO does on insert.
import type { Entity, EntitySchema, FieldDef, FieldErrors, Subschema } from './types.ts';
import { isPlainObject } from './types.ts';
import { validateField, type FieldContext } from './validate-field.ts';

export interface AutoFieldOptions {
  /** created_at/updated_at value (seconds); null leaves them unset. */
  now: number | null;
  /** Id for an entity without one (Kong: a random v4). */
  newId: () => string;
}

type FieldsLike = Pick<EntitySchema, 'fields' | 'subschemaKey' | 'subschemas' | 'shorthands'>;

/** A copy of JSON-like data (schema defaults, config values); structuredClone costs microseconds even for a number. */
export function deepCopy<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => deepCopy(item)) as T;
  if (Object.getPrototypeOf(value) !== Object.prototype) return structuredClone(value);
  // fromEntries defines own properties: a "__proto__" key stays a key.
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, deepCopy(item)])) as T;
}

/** get_subschema: the first protocol (set) or the key itself (string) that has a subschema. */
export function selectSubschema(schema: FieldsLike, input: Entity): Subschema | undefined {
  if (!schema.subschemaKey || !schema.subschemas) return undefined;
  const key = input[schema.subschemaKey];
  if (typeof key === 'string') return schema.subschemas[key];
  if (Array.isArray(key)) {
    for (const k of key) {
      const sub = typeof k === 'string' ? schema.subschemas[k] : undefined;
      if (sub) return sub;
    }
  }
  return undefined;
}

/** each_field(values): base fields in order, specialised by the subschema. */
export function effectiveFields(schema: FieldsLike, input: Entity): [string, FieldDef][] {
  const sub = selectSubschema(schema, input);
  return Object.entries(schema.fields).map(([name, def]) => [name, sub?.fields[name] ?? def]);
}

function missingValue(def: FieldDef): unknown {
  if (def.default !== undefined) return deepCopy(def.default);
  if (def.required !== true) return null;
  if (def.type === 'record') return processRecord(def, {});
  return undefined;
}

function makeSet(values: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    const primitive = typeof v !== 'object' || v === null;
    if (!primitive || !out.includes(v)) out.push(v);
  }
  return out;
}

function processRecord(def: FieldDef, value: Record<string, unknown>): Entity {
  const out: Entity = { ...value };
  for (const [name, sub] of Object.entries(def.fields ?? {})) {
    const adjusted = adjustField(sub, out[name]);
    if (adjusted !== undefined) out[name] = adjusted;
  }
  return out;
}

function adjustField(def: FieldDef, value: unknown): unknown {
  if (def.type === 'record') {
    if (value !== null && (value !== undefined || def.required === true)) {
      const v = value ?? missingValue(def);
      if (isPlainObject(v)) return processRecord(def, v);
    }
  } else if (Array.isArray(value) && (def.type === 'array' || def.type === 'set')) {
    const list = def.type === 'set' ? makeSet(value) : value;
    return def.elements ? list.map((v) => adjustField(def.elements as FieldDef, v)) : list;
  } else if (isPlainObject(value) && def.type === 'map' && def.values) {
    const values = def.values;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, adjustField(values, v)]));
  }
  return value === undefined ? missingValue(def) : value;
}

function applyShorthands(schema: FieldsLike, data: Entity, ctx: FieldContext): FieldErrors | null {
  const errs: FieldErrors = {};
  let failed = false;
  for (const sh of schema.shorthands ?? []) {
    const value = data[sh.name];
    if (value === undefined) continue;
    const err = validateField(sh.field, value, ctx);
    if (err !== null) {
      errs[sh.name] = err;
      failed = true;
      continue;
    }
    delete data[sh.name];
    Object.assign(data, sh.expand(value, data) ?? {});
  }
  return failed ? errs : null;
}

/**
 * Fills an entity for insert. Returns the processed copy, or the shorthand
 * errors Kong reports instead of validating (e.g. a non-string `url`).
 */
export function processAutoFields(
  schema: FieldsLike, input: Entity, opts: AutoFieldOptions, ctx: FieldContext,
): { entity: Entity; errors: FieldErrors | null } {
  const data = deepCopy(input);
  const errors = applyShorthands(schema, data, ctx);
  if (errors) return { entity: data, errors };
  for (const [name, def] of effectiveFields(schema, data)) {
    let value = data[name];
    if (def.auto && def.uuid && value === undefined) value = opts.newId();
    if (def.auto && def.timestamp && (name === 'updated_at' || value === undefined || value === null)) {
      value = opts.now;
    }
    const adjusted = adjustField(def, value);
    if (adjusted !== undefined) data[name] = adjusted;
  }
  return { entity: data, errors: null };
}

/** process_auto_fields for a nested record (used when validating record fields). */
export function processRecordDefaults(def: FieldDef, value: Record<string, unknown>): Entity {
  return processRecord(def, value);
}
