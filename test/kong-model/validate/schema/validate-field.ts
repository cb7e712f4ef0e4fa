// Schema:validate_field from kong/db/schema/init.lua: type check first, then
// the validators in Kong's fixed order. JSON null plays ngx.null, a missing
// key plays nil.
import type { FieldDef, FieldErrorArray, FieldErrors, FieldErrorValue } from './types.ts';
import { isPlainObject } from './types.ts';

/** Hooks for the two field types that need whole schemas. */
export interface FieldContext {
  validateRecord(def: FieldDef, value: Record<string, unknown>): FieldErrors | null;
  validateForeign(reference: string, value: unknown): FieldErrors | null;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && value.length === 36 && UUID_RE.test(value);
}

/** Lua's `is_sequence`: arrays, and empty objects (an empty Lua table). */
export function isSequence(value: unknown): value is unknown[] | Record<string, never> {
  return Array.isArray(value) || (isPlainObject(value) && Object.keys(value).length === 0);
}

export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Kong's quoted_list: `'a', 'b'`, nested lists as `('a', 'b')`. */
export function quotedList(words: readonly (string | readonly string[])[]): string {
  return words.map((w) => (typeof w === 'string' ? `'${w}'` : `(${quotedList(w)})`)).join(', ');
}

function luaLength(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (Array.isArray(value)) return value.length;
  if (isPlainObject(value)) return Object.keys(value).length;
  return 0;
}

function validateElements(def: FieldDef, values: unknown[], ctx: FieldContext): FieldErrorArray | null {
  const element: FieldDef = { ...(def.elements ?? { type: 'any' }), required: true };
  const errs: FieldErrorArray = [];
  let ok = true;
  values.forEach((v, i) => {
    const err = validateField(element, v, ctx);
    errs[i] = err;
    if (err !== null) ok = false;
  });
  if (ok) return null;
  // Lua drops trailing nils; keep the array as short as Kong's.
  while (errs.length > 0 && errs[errs.length - 1] === null) errs.pop();
  return errs;
}

function validateMap(def: FieldDef, value: unknown, ctx: FieldContext): FieldErrorValue | null {
  if (typeof value !== 'object' || value === null) return 'expected a map';
  const keyDef: FieldDef = { ...(def.keys ?? { type: 'any' }), required: true };
  const valueDef: FieldDef = { ...(def.values ?? { type: 'any' }), required: true };
  const entries: [unknown, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i + 1, v])
    : Object.entries(value);
  for (const [k, v] of entries) {
    const keyErr = validateField(keyDef, k, ctx);
    if (keyErr !== null) return keyErr;
    const valueErr = validateField(valueDef, v, ctx);
    if (valueErr !== null) return valueErr;
  }
  return null;
}

function validateByType(def: FieldDef, value: unknown, ctx: FieldContext): FieldErrorValue | null {
  switch (def.type) {
    case 'array':
    case 'set':
      if (!isSequence(value)) return def.type === 'array' ? 'expected an array' : 'expected a set';
      return validateElements(def, asList(value), ctx);
    case 'map':
      return validateMap(def, value, ctx);
    case 'record':
      if (typeof value !== 'object' || value === null) return 'expected a record';
      return ctx.validateRecord(def, value as Record<string, unknown>);
    case 'foreign':
      return ctx.validateForeign(def.reference ?? '', value);
    default:
      return scalarTypeError(def.type, value);
  }
}

function scalarTypeError(type: FieldDef['type'], value: unknown): string | null {
  switch (type) {
    case 'integer': return typeof value === 'number' && Number.isInteger(value) ? null : 'expected an integer';
    case 'number': return typeof value === 'number' ? null : 'expected a number';
    case 'boolean': return typeof value === 'boolean' ? null : 'expected a boolean';
    case 'string': return typeof value === 'string' ? null : 'expected a string';
    default: return null;
  }
}

type Check = (def: FieldDef, value: unknown) => FieldErrorValue | null;

const fmtValue = (v: unknown): string => String(v);

// Kong's validators_order; each returns a message or null.
const CHECKS: readonly Check[] = [
  (d, v) => (d.eq !== undefined && v !== d.eq ? `value must be ${fmtValue(d.eq)}` : null),
  (d, v) => (d.ne !== undefined && v === d.ne ? `value must not be ${fmtValue(v)}` : null),
  (d, v) => (d.notOneOf?.includes(v as string) ? `must not be one of: ${d.notOneOf.join(', ')}` : null),
  (d, v) => (d.oneOf && !d.oneOf.includes(v as string) ? `expected one of: ${d.oneOf.join(', ')}` : null),
  (d, v) => (d.timestamp && !((v as number) > 0) ? 'expected a valid timestamp' : null),
  (d, v) => (d.uuid && !isUuid(v) ? 'expected a valid UUID' : null),
  (d, v) => {
    if (!d.between) return null;
    const [lo, hi] = d.between;
    return (v as number) < lo || (v as number) > hi ? `value should be between ${lo} and ${hi}` : null;
  },
  (d, v) => (d.lenEq !== undefined && luaLength(v) !== d.lenEq ? `length must be ${d.lenEq}` : null),
  (d, v) => (d.lenMin !== undefined && luaLength(v) < d.lenMin ? `length must be at least ${d.lenMin}` : null),
  (d, v) => (d.startsWith !== undefined && !(v as string).startsWith(d.startsWith)
    ? `should start with: ${d.startsWith}` : null),
  (d, v) => d.matchNone?.find((r) => r.pattern.test(v as string))?.err ?? null,
  (d, v) => (d.match && !d.match.test(v as string) ? `invalid value: ${v as string}` : null),
  (d, v) => d.matchAll?.find((r) => !r.pattern.test(v as string))?.err ?? null,
  (d, v) => (d.matchAny && !d.matchAny.patterns.some((p) => p.test(v as string)) ? d.matchAny.err : null),
  (d, v) => (d.contains !== undefined && !asList(v).includes(d.contains)
    ? `expected to contain: ${d.contains}` : null),
  (d, v) => (d.custom ? d.custom(v as string) : null),
  (d, v) => (d.mutuallyExclusiveSubsets ? exclusiveSubsetsError(d.mutuallyExclusiveSubsets, asList(v)) : null),
];

function exclusiveSubsetsError(subsets: readonly (readonly string[])[], values: unknown[]): string | null {
  const memberOf: (readonly string[])[] = [];
  for (const v of values) {
    const subset = subsets.find((s) => s.includes(v as string));
    if (subset && !memberOf.includes(subset)) memberOf.push(subset);
  }
  return memberOf.length <= 1 ? null : `these sets are mutually exclusive: ${quotedList(memberOf)}`;
}

/** Validates one value; returns null when valid, else Kong's error value. */
export function validateField(def: FieldDef, value: unknown, ctx: FieldContext): FieldErrorValue | null {
  if (value === null) {
    if (def.eq !== undefined) return `value must be ${fmtValue(def.eq)}`;
    return def.required ? 'required field missing' : null;
  }
  if (value === undefined) return null;
  if (def.eqNull) return def.err ?? 'value must be null';
  const typeErr = validateByType(def, value, ctx);
  if (typeErr !== null) return typeErr;
  const effective = def.type === 'string' && def.lenMin === undefined ? { ...def, lenMin: 1 } : def;
  for (const check of CHECKS) {
    const err = check(effective, value);
    if (err !== null) return def.err ?? err;
  }
  return null;
}
