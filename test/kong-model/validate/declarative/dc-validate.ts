// Schema validation of a declarative config as one document: top-level keys,
// then every entity, nested children included. The error tree mirrors the
// input (`services[0].routes[1]` errors sit at fields.services[0].routes[1]).
import type { RouterFlavor } from '../../../../src/model/index.ts';
import type { FieldErrorArray, FieldErrors } from '../schema/types.ts';
import { isPlainObject } from '../schema/types.ts';
import { isSequence, validateField } from '../schema/validate-field.ts';
import { fieldContextFor, validateWithDefaults, type EntityType } from '../validate-entity.ts';
import { KNOWN_ENTITIES, UNMODELLED_ENTITIES, childrenOf, declarativeSchema } from './dc-schema.ts';

export const FORMAT_VERSIONS = ['1.1', '2.1', '3.0'] as const;

export interface DcOptions {
  routerFlavor: RouterFlavor;
}

function compact(list: FieldErrorArray): FieldErrorArray | null {
  while (list.length > 0 && list[list.length - 1] === null) list.pop();
  return list.length > 0 ? list : null;
}

function validateItem(type: EntityType, item: unknown, nested: boolean, opts: DcOptions): FieldErrors | string | null {
  if (!isPlainObject(item)) return 'expected a record';
  const children = childrenOf(type);
  const own: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) {
    if (!children.some((c) => c.child === k) && !(k === 'plugins' && Array.isArray(v))) own[k] = v;
  }
  const schema = declarativeSchema(type, opts.routerFlavor, nested);
  const errors: FieldErrors = validateWithDefaults(schema, own, { routerFlavor: opts.routerFlavor }).errors ?? {};
  for (const { child } of children) {
    if (item[child] === undefined) continue;
    const childErrors = validateList(child, item[child], true, opts);
    if (childErrors !== null) errors[child] = childErrors;
  }
  return Object.keys(errors).length > 0 ? errors : null;
}

/** Validates an array of entities; returns the per-item error array, a message, or null. */
export function validateList(type: EntityType, list: unknown, nested: boolean, opts: DcOptions):
  FieldErrorArray | string | null {
  if (list === null) return null;
  if (!isSequence(list)) return 'expected an array';
  const items = Array.isArray(list) ? list : [];
  return compact(items.map((item) => validateItem(type, item, nested, opts)));
}

const TOP_LEVEL_FIELDS = {
  _format_version: { type: 'string', required: true, oneOf: FORMAT_VERSIONS },
  _transform: { type: 'boolean' },
  _comment: { type: 'string' },
  _ignore: { type: 'array', elements: { type: 'any' } },
} as const;

/** Validates the whole document; returns Kong's error tree or null. */
export function validateDocument(config: Record<string, unknown>, opts: DcOptions): FieldErrors | null {
  const errors: FieldErrors = {};
  const ctx = fieldContextFor(opts.routerFlavor);
  for (const [key, def] of Object.entries(TOP_LEVEL_FIELDS)) {
    const value = key === '_format_version' && config[key] === undefined ? null : config[key];
    const err = validateField({ ...def }, value, ctx);
    if (err !== null) errors[key] = err;
  }
  for (const [key, value] of Object.entries(config)) {
    if (key in TOP_LEVEL_FIELDS) continue;
    if ((KNOWN_ENTITIES as readonly string[]).includes(key)) {
      const err = validateList(key as EntityType, value, false, opts);
      if (err !== null) errors[key] = err;
    } else if (UNMODELLED_ENTITIES.has(key)) {
      if (value !== null && !isSequence(value)) errors[key] = 'expected an array';
    } else {
      errors[key] = 'unknown field';
    }
  }
  return Object.keys(errors).length > 0 ? errors : null;
}
