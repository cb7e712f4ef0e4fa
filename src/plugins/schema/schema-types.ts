// The shape of a plugin schema as Kong's Admin API publishes it
// (`GET /schemas/plugins/<name>`): fields as a list of one-key objects, in
// schema order, each with its type and validators, plus entity checks.

export interface PatternRule {
  pattern: string;
  err: string;
}

export interface SchemaField {
  type?: string;
  required?: boolean;
  default?: unknown;
  /** Present as a key with value null for `eq = null` (the field must stay unset). */
  eq?: unknown;
  one_of?: unknown[];
  not_one_of?: unknown[];
  between?: [number, number];
  gt?: number;
  len_min?: number;
  len_max?: number;
  starts_with?: string;
  /** Lua patterns. */
  match?: string;
  match_none?: PatternRule[];
  match_all?: PatternRule[];
  match_any?: { patterns: string[]; err: string };
  is_regex?: boolean;
  /** Replaces the message of any failing validator. */
  err?: string;
  elements?: SchemaField;
  keys?: SchemaField;
  values?: SchemaField;
  fields?: NamedFields;
  entity_checks?: EntityCheckJson[];
  shorthand_fields?: NamedFields;
  deprecation?: { replaced_with?: { path?: string[] }[] };
  reference?: string;
}

/** `[{name: def}, ...]`: Kong keeps schema order this way. */
export type NamedFields = Record<string, SchemaField>[];

export interface ConditionalJson {
  if_field: string;
  if_match: SchemaField;
  then_field: string;
  then_match: SchemaField;
  then_err?: string;
}

export interface ConditionalAtLeastOneOfJson {
  if_field: string;
  if_match: SchemaField;
  then_at_least_one_of: string[];
  then_err?: string;
  else_match?: SchemaField;
  else_then_at_least_one_of?: string[];
  else_then_err?: string;
}

export interface EntityCheckJson {
  at_least_one_of?: string[];
  only_one_of?: string[];
  mutually_required?: string[];
  conditional?: ConditionalJson;
  conditional_at_least_one_of?: ConditionalAtLeastOneOfJson;
  /** A Lua function: not published, so not checked here. */
  custom_entity_check?: { field_sources?: string[] };
}

export interface PluginSchema {
  fields: NamedFields;
  entity_checks?: EntityCheckJson[];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The fields of a record as a Map, schema order kept. */
export function fieldMap(fields: NamedFields | undefined): Map<string, SchemaField> {
  const map = new Map<string, SchemaField>();
  if (!Array.isArray(fields)) return map;
  for (const entry of fields) if (isRecord(entry)) for (const [name, def] of Object.entries(entry)) map.set(name, def);
  return map;
}
