// Schema:validate(input, full_check = true): subschema key, every present
// field, required fields, then entity checks (schema, then subschema).
import { effectiveFields, processRecordDefaults, selectSubschema } from './auto-fields.ts';
import { runEntityCheck } from './entity-checks.ts';
import type { Entity, EntitySchema, FieldDef, FieldErrors } from './types.ts';
import { isPlainObject } from './types.ts';
import { isUuid, validateField, type FieldContext } from './validate-field.ts';

export type SchemaLookup = (table: string) => EntitySchema | undefined;

function validatePresentFields(schema: EntitySchema, input: Entity, ctx: FieldContext): FieldErrors {
  const errors: FieldErrors = {};
  const sub = selectSubschema(schema, input);
  for (const [name, value] of Object.entries(input)) {
    const def = sub?.fields[name] ?? schema.fields[name];
    if (!def) {
      errors[name] = 'unknown field';
      continue;
    }
    const err = validateField(def, value, ctx);
    if (err !== null) errors[name] = err;
  }
  return errors;
}

function subschemaKeyErrors(schema: EntitySchema, input: Entity): FieldErrors | null {
  const keyName = schema.subschemaKey;
  if (!keyName) return null;
  const key = input[keyName];
  if (key === null || key === undefined) return { [keyName]: 'required field missing' };
  if (selectSubschema(schema, input)) return null;
  const first: unknown = Array.isArray(key) ? key[0] : key;
  const shown = first === undefined ? 'nil' : typeof first === 'string' ? first : JSON.stringify(first);
  return { [keyName]: `unknown type: ${shown}` };
}

/** Validates a full entity (after auto fields). Returns Kong's error tree or null. */
export function validateWithSchema(schema: EntitySchema, input: Entity, ctx: FieldContext): FieldErrors | null {
  const keyErrors = subschemaKeyErrors(schema, input);
  if (keyErrors) return keyErrors;
  const errors = validatePresentFields(schema, input, ctx);
  for (const [name, def] of Object.entries(schema.fields)) {
    if (def.required && (input[name] === null || input[name] === undefined)) {
      errors[name] = 'required field missing';
    }
  }
  const scope = { fields: Object.fromEntries(effectiveFields(schema, input)), ctx };
  for (const check of schema.entityChecks) runEntityCheck(check, input, scope, errors);
  const sub = selectSubschema(schema, input);
  for (const check of sub?.entityChecks ?? []) runEntityCheck(check, input, scope, errors);
  return Object.keys(errors).length > 0 ? errors : null;
}

function recordSchema(def: FieldDef): EntitySchema {
  return { name: 'record', fields: def.fields ?? {}, entityChecks: def.entityChecks ?? [] };
}

/** Partial validation Kong runs on a foreign key table whose primary key is bad. */
function validatePartial(schema: EntitySchema, input: Entity, ctx: FieldContext): FieldErrors | null {
  const errors = validatePresentFields(schema, input, ctx);
  for (const [name, def] of Object.entries(schema.fields)) {
    if (def.required && input[name] === null) errors[name] = 'required field missing';
  }
  return Object.keys(errors).length > 0 ? errors : null;
}

function primaryKeyErrors(value: unknown, ctx: FieldContext): FieldErrors | null {
  const id = isPlainObject(value) ? value['id'] : undefined;
  if (id === undefined || id === false) return { id: 'missing primary key' };
  if (id === null) return { id: 'required field missing' };
  const err = validateField({ type: 'string', uuid: true }, id, ctx);
  return err === null ? null : { id: err };
}

/** The FieldContext every entity validation uses: records and foreign keys. */
export function makeFieldContext(lookup: SchemaLookup): FieldContext {
  const ctx: FieldContext = {
    validateRecord(def, value) {
      return validateWithSchema(recordSchema(def), processRecordDefaults(def, value), ctx);
    },
    validateForeign(reference, value) {
      const pkErrors = primaryKeyErrors(value, ctx);
      if (!pkErrors) return null;
      const target = lookup(reference);
      if (target && isPlainObject(value)) {
        const partial = validatePartial(target, value, ctx);
        if (partial) return partial;
      }
      return pkErrors;
    },
  };
  return ctx;
}

export { isUuid };
