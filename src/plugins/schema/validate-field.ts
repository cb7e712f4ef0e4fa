// One field against its schema definition, as Kong's schema library does it:
// the type first, then the validators in Kong's fixed order; the first
// failure is the field's error. Records recurse through `validateRecord`.
import { luaMatch } from './lua-pattern.ts';
import type { SchemaField } from './schema-types.ts';
import { isRecord } from './schema-types.ts';

/** Kong's error tree: a message, a per-element list (0-based here), or nested fields. */
export type ErrorValue = string | (ErrorValue | null)[] | ErrorTree;
export interface ErrorTree {
  [field: string]: ErrorValue;
}

export type RecordValidator = (def: SchemaField, value: Record<string, unknown>) => ErrorTree | null;

/** Lua's `is_sequence`: arrays, and `{}` (an empty Lua table). */
function isSequence(value: unknown): boolean {
  return Array.isArray(value) || (isRecord(value) && Object.keys(value).length === 0);
}

function luaLength(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (Array.isArray(value)) return value.length;
  return isRecord(value) ? Object.keys(value).length : 0;
}

/** Lua's tostring of a schema constant. */
const shown = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v));
const quoted = (list: readonly unknown[]): string => list.map(shown).join(', ');

function scalarTypeError(type: string | undefined, value: unknown): string | null {
  switch (type) {
    case 'integer': return typeof value === 'number' && Number.isInteger(value) ? null : 'expected an integer';
    case 'number': return typeof value === 'number' ? null : 'expected a number';
    case 'boolean': return typeof value === 'boolean' ? null : 'expected a boolean';
    case 'string': return typeof value === 'string' ? null : 'expected a string';
    default: return null;
  }
}

function validateElements(def: SchemaField, values: unknown[], record: RecordValidator): ErrorValue | null {
  const element: SchemaField = { ...(def.elements ?? {}), required: true };
  const errors = values.map((v) => validateField(element, v, record));
  if (errors.every((e) => e === null)) return null;
  while (errors.length > 0 && errors[errors.length - 1] === null) errors.pop();
  return errors;
}

function validateMap(def: SchemaField, value: unknown, record: RecordValidator): ErrorValue | null {
  if (!isRecord(value)) return 'expected a map';
  const keyDef: SchemaField = { ...(def.keys ?? {}), required: true };
  const valueDef: SchemaField = { ...(def.values ?? {}), required: true };
  for (const [k, v] of Object.entries(value)) {
    const err = validateField(keyDef, k, record) ?? validateField(valueDef, v, record);
    if (err !== null) return err;
  }
  return null;
}

function typeError(def: SchemaField, value: unknown, record: RecordValidator): ErrorValue | null {
  switch (def.type) {
    case 'array':
    case 'set':
      if (!isSequence(value)) return def.type === 'array' ? 'expected an array' : 'expected a set';
      return validateElements(def, Array.isArray(value) ? value : [], record);
    case 'map':
      return validateMap(def, value, record);
    case 'record':
      return isRecord(value) ? record(def, value) : 'expected a record';
    case 'foreign':
      return null;
    default:
      return scalarTypeError(def.type, value);
  }
}

type Check = (def: SchemaField, value: unknown) => string | null;

// Kong's validators_order, for the validators published schemas carry.
const CHECKS: readonly Check[] = [
  (d, v) => ('eq' in d && d.eq !== null && v !== d.eq ? `value must be ${shown(d.eq)}` : null),
  (d, v) => (d.not_one_of?.includes(v) ? `must not be one of: ${quoted(d.not_one_of)}` : null),
  (d, v) => (d.one_of && !d.one_of.includes(v) ? `expected one of: ${quoted(d.one_of)}` : null),
  (d, v) => (d.gt !== undefined && !((v as number) > d.gt) ? `value must be greater than ${d.gt}` : null),
  (d, v) => {
    if (!d.between) return null;
    const [lo, hi] = d.between;
    return (v as number) < lo || (v as number) > hi ? `value should be between ${lo} and ${hi}` : null;
  },
  (d, v) => (d.len_min !== undefined && luaLength(v) < d.len_min ? `length must be at least ${d.len_min}` : null),
  (d, v) => (d.len_max !== undefined && luaLength(v) > d.len_max ? `length must be at most ${d.len_max}` : null),
  (d, v) => (d.starts_with !== undefined && !(v as string).startsWith(d.starts_with) ? `should start with: ${d.starts_with}` : null),
  (d, v) => d.match_none?.find((r) => luaMatch(r.pattern, v as string))?.err ?? null,
  (d, v) => (d.match !== undefined && !luaMatch(d.match, v as string) ? `invalid value: ${v as string}` : null),
  (d, v) => d.match_all?.find((r) => !luaMatch(r.pattern, v as string))?.err ?? null,
  (d, v) => (d.match_any && !d.match_any.patterns.some((p) => luaMatch(p, v as string)) ? d.match_any.err : null),
];

/** A strict `eq = null` field: any value set is refused. */
function mustBeNull(def: SchemaField): boolean {
  return 'eq' in def && def.eq === null;
}

/** null when the value is valid; Kong's error (a message or a tree) otherwise. `undefined` is an absent field. */
export function validateField(def: SchemaField, value: unknown, record: RecordValidator): ErrorValue | null {
  if (value === undefined) return null;
  if (value === null) return def.required ? 'required field missing' : null;
  if (mustBeNull(def)) return def.err ?? 'value must be null';
  const typeErr = typeError(def, value, record);
  if (typeErr !== null) return typeErr;
  // Kong strings are non-empty unless the schema says otherwise.
  const effective = def.type === 'string' && def.len_min === undefined ? { ...def, len_min: 1 } : def;
  for (const check of CHECKS) {
    const err = check(effective, value);
    if (err !== null) return def.err ?? err;
  }
  return null;
}
