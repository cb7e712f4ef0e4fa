// A plugin entity (name, config, protocols, attachment) against the schema
// its gateway publishes, giving the errors Kong would give, in the flattened
// form of `POST /config?flatten_errors=1`: `{field, message}` for a field
// (`config.minute`, `config.add.headers.1`), `{message}` for an entity check.
import { recordDefaults } from './defaults.ts';
import { customCheckSources, runEntityCheck } from './entity-checks.ts';
import type { PluginSchema, SchemaField } from './schema-types.ts';
import { fieldMap } from './schema-types.ts';
import type { ErrorTree, ErrorValue, RecordValidator } from './validate-field.ts';
import { validateField } from './validate-field.ts';

export interface ConfigProblem {
  /** Dotted path, 1-based list positions; absent for an entity check. */
  field?: string;
  message: string;
}

function validateRecordFields(def: SchemaField, input: Record<string, unknown>, record: RecordValidator): ErrorTree {
  const fields = fieldMap(def.fields);
  const errors: ErrorTree = {};
  for (const [name, value] of Object.entries(input)) {
    const field = fields.get(name);
    const err = field ? validateField(field, value, record) : 'unknown field';
    if (err !== null) errors[name] = err;
  }
  for (const [name, field] of fields) {
    if (field.required && (input[name] === null || input[name] === undefined) && errors[name] === undefined) {
      errors[name] = 'required field missing';
    }
  }
  return errors;
}

/** Validates a record (defaults applied first, as Kong does); null when valid. */
const validateRecord: RecordValidator = (def, value) => {
  const input = recordDefaults(def, value, { nulls: false });
  const errors = validateRecordFields(def, input, validateRecord);
  const scope = { fields: fieldMap(def.fields), record: validateRecord };
  for (const check of def.entity_checks ?? []) runEntityCheck(check, input, scope, errors);
  return Object.keys(errors).length > 0 ? errors : null;
};

function flatten(tree: ErrorValue, prefix: string | undefined, out: ConfigProblem[]): void {
  if (typeof tree === 'string') {
    out.push(prefix === undefined ? { message: tree } : { field: prefix, message: tree });
    return;
  }
  const entries: [string, ErrorValue | null][] = Array.isArray(tree)
    ? tree.map((v, i) => [String(i + 1), v])
    : Object.entries(tree);
  for (const [key, value] of entries) {
    if (value === null) continue;
    if (key === '@entity' && Array.isArray(value)) {
      for (const message of value) if (typeof message === 'string') out.push({ message });
      continue;
    }
    flatten(value, prefix === undefined ? key : `${prefix}.${key}`, out);
  }
}

export interface PluginEntityInput {
  config: Record<string, unknown>;
  protocols?: string[];
  route?: unknown;
  service?: unknown;
  consumer?: unknown;
}

/** The top-level entity schema: the plugin's own fields (config, protocols, route/service/consumer limits). */
function entitySchema(schema: PluginSchema): SchemaField {
  return { type: 'record', fields: schema.fields, entity_checks: schema.entity_checks ?? [] };
}

/** Kong's errors for a plugin entity; [] when Kong would accept it. */
export function validatePluginEntity(schema: PluginSchema, entity: PluginEntityInput): ConfigProblem[] {
  const input: Record<string, unknown> = { config: entity.config };
  if (entity.protocols !== undefined) input.protocols = entity.protocols;
  // Route, service and consumer are every plugin's; a schema lists them only to forbid them.
  const own = fieldMap(schema.fields);
  for (const key of ['route', 'service', 'consumer'] as const) {
    if (entity[key] !== undefined && own.has(key)) input[key] = entity[key];
  }
  const tree = validateRecord(entitySchema(schema), input);
  const out: ConfigProblem[] = [];
  if (tree) flatten(tree, undefined, out);
  return out;
}

/** The config as Kong stores it: defaults filled, absent optional fields null. */
export function completePluginConfig(schema: PluginSchema, config: Record<string, unknown>): Record<string, unknown> {
  const configField = fieldMap(schema.fields).get('config') ?? { type: 'record' };
  return recordDefaults(configField, config, { nulls: true });
}

/** Field lists of the custom (Lua) checks this validation could not run. */
export function uncheckedCustomChecks(schema: PluginSchema): string[][] {
  const configField = fieldMap(schema.fields).get('config');
  return [...customCheckSources(schema.entity_checks), ...customCheckSources(configField?.entity_checks)];
}
