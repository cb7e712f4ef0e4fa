// Kong's defaults for a record (process_auto_fields on insert): deprecated
// shorthand fields moved to the field they stand for, then an absent
// field takes its default; an absent required record is built from its own
// defaults; other absent fields become null. Applied before validation, as
// Kong does, and the shape Kong stores and lists a plugin's config in.
import type { SchemaField } from './schema-types.ts';
import { fieldMap, isRecord } from './schema-types.ts';

export interface DefaultsMode {
  /** Kong's stored shape: absent optional fields as null. */
  nulls: boolean;
}

function withDefault(def: SchemaField, mode: DefaultsMode): unknown {
  if (def.default !== undefined) return structuredClone(def.default);
  if (def.type === 'record' && def.required) return recordDefaults(def, {}, mode);
  return mode.nulls && !def.required ? null : undefined;
}

function nestedDefaults(def: SchemaField, value: unknown, mode: DefaultsMode): unknown {
  if (def.type === 'record' && isRecord(value)) return recordDefaults(def, value, mode);
  const element = def.elements;
  if ((def.type === 'array' || def.type === 'set') && Array.isArray(value) && element?.type === 'record') {
    return (value as unknown[]).map((v) => (isRecord(v) ? recordDefaults(element, v, mode) : v));
  }
  const values = def.values;
  if (def.type === 'map' && isRecord(value) && values?.type === 'record') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isRecord(v) ? recordDefaults(values, v, mode) : v]));
  }
  return value;
}

/** Shorthand fields (deprecated aliases such as `redis_host`) moved to the field they stand for. */
function expandShorthands(def: SchemaField, value: Record<string, unknown>): Record<string, unknown> {
  const shorthands = fieldMap(def.shorthand_fields);
  if (shorthands.size === 0) return value;
  const out = structuredClone(value);
  for (const [name, shorthand] of shorthands) {
    const path = shorthand.deprecation?.replaced_with?.[0]?.path;
    if (!(name in out) || !path || path.length === 0) continue;
    const target = path.slice(0, -1).reduce<Record<string, unknown>>((node, key) => {
      if (!isRecord(node[key])) node[key] = {};
      return node[key] as Record<string, unknown>;
    }, out);
    const leaf = path[path.length - 1] ?? '';
    if (out[name] !== null) target[leaf] = out[name];
    delete out[name];
  }
  return out;
}

/**
 * The record with shorthands expanded and defaults filled in, recursively;
 * unknown keys are kept for validation to report.
 */
export function recordDefaults(def: SchemaField, value: Record<string, unknown>, mode: DefaultsMode): Record<string, unknown> {
  const out: Record<string, unknown> = { ...expandShorthands(def, value) };
  for (const [name, field] of fieldMap(def.fields)) {
    const current = out[name];
    const next = current === undefined ? withDefault(field, mode) : nestedDefaults(field, current, mode);
    if (next === undefined) delete out[name];
    else out[name] = next;
  }
  return out;
}
