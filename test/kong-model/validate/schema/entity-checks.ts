// Kong's entity checkers (kong/db/schema/init.lua `entity_checkers`) and the
// run_entity_check rules deciding whether a check runs at all.
import type { Entity, EntityCheck, FieldDef, FieldErrors } from './types.ts';
import { isPlainObject } from './types.ts';
import { quotedList, validateField, type FieldContext } from './validate-field.ts';

export interface CheckScope {
  fields: Record<string, FieldDef>;
  ctx: FieldContext;
}

function isNonEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return true;
}

function addEntityError(errors: FieldErrors, message: string): void {
  const list = errors['@entity'];
  if (Array.isArray(list)) list.push(message);
  else errors['@entity'] = [message];
}

/** A match definition inherits everything from the field it tests (Lua __index). */
function matches(scope: CheckScope, field: string, match: Partial<FieldDef>, value: unknown): boolean {
  const base = scope.fields[field] ?? { type: 'any' };
  return validateField({ ...base, ...match }, value, scope.ctx) === null;
}

/** A field by name; a dotted name reaches into records (`config.minute`), as Kong's entity checks do. */
function valueAt(entity: Entity, name: string): unknown {
  if (name in entity || !name.includes('.')) return entity[name];
  return name.split('.').reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Entity)[key] : undefined), entity);
}

function firstNonEmpty(entity: Entity, names: readonly string[]): boolean {
  return names.some((n) => isNonEmpty(valueAt(entity, n)));
}

type Outcome = { ok: true } | { ok: false; err?: string; custom?: string };
const OK: Outcome = { ok: true };

function runConditional(
  check: Extract<EntityCheck, { kind: 'conditional' }>, entity: Entity, scope: CheckScope, errors: FieldErrors,
): Outcome {
  if (!matches(scope, check.ifField, check.ifMatch, valueAt(entity, check.ifField))) return OK;
  const thenValue = valueAt(entity, check.thenField) ?? null;
  if (check.thenMatch.required === true && thenValue === null) {
    errors[check.thenField] = 'required field missing';
    return { ok: false, err: check.ifField };
  }
  const base = scope.fields[check.thenField] ?? { type: 'any' };
  const err = validateField({ ...base, ...check.thenMatch }, thenValue, scope.ctx);
  if (err === null) return OK;
  errors[check.thenField] = err;
  return { ok: false, err: check.ifField, ...(check.thenErr ? { custom: check.thenErr } : {}) };
}

function runConditionalAtLeastOneOf(
  check: Extract<EntityCheck, { kind: 'conditionalAtLeastOneOf' }>, entity: Entity, scope: CheckScope,
): Outcome {
  const ifValue = valueAt(entity, check.ifField);
  if (ifValue === undefined) return OK;
  let names = check.thenAtLeastOneOf;
  let template = check.thenErr;
  if (!matches(scope, check.ifField, check.ifMatch, ifValue)) {
    if (!check.elseMatch || !matches(scope, check.ifField, check.elseMatch, ifValue)) return OK;
    names = check.elseThenAtLeastOneOf ?? [];
    template = check.elseThenErr ?? '';
  }
  if (firstNonEmpty(entity, names)) return OK;
  return { ok: false, custom: template.replace('%s', quotedList(names)) };
}

function runDistinct(entity: Entity, names: readonly string[]): Outcome {
  const seen = new Set<unknown>();
  for (const n of names) {
    const v = valueAt(entity, n);
    if (!isNonEmpty(v)) continue;
    if (seen.has(v)) return { ok: false, err: quotedList(names) };
    seen.add(v);
  }
  return OK;
}

function runMutuallyRequired(entity: Entity, names: readonly string[]): Outcome {
  const set = names.filter((n) => isNonEmpty(valueAt(entity, n))).length;
  return set === 0 || set === names.length ? OK : { ok: false, err: quotedList(names) };
}

const FORMATS: Record<EntityCheck['kind'], string> = {
  conditional: "failed conditional validation given value of field '%s'",
  conditionalAtLeastOneOf: 'at least one of these fields must be non-empty: %s',
  atLeastOneOf: 'at least one of these fields must be non-empty: %s',
  distinct: 'values of these fields must be distinct: %s',
  mutuallyRequired: 'all or none of these fields must be set: %s',
  custom: '%s',
};

interface CheckTraits {
  sources: readonly string[];
  required: readonly string[];
  withMissing: boolean;
  withInvalid: boolean;
}

function traits(check: EntityCheck): CheckTraits {
  switch (check.kind) {
    case 'conditional':
      return { sources: [check.ifField, check.thenField], required: [check.ifField], withMissing: false,
        withInvalid: true };
    case 'conditionalAtLeastOneOf':
      return { sources: [check.ifField, ...check.thenAtLeastOneOf, ...(check.elseThenAtLeastOneOf ?? [])],
        required: [], withMissing: true, withInvalid: true };
    case 'atLeastOneOf':
      return { sources: check.fields, required: check.fields, withMissing: true, withInvalid: true };
    case 'distinct':
      return { sources: check.fields, required: check.fields, withMissing: false, withInvalid: true };
    case 'mutuallyRequired':
      return { sources: check.fields, required: check.fields, withMissing: true, withInvalid: false };
    case 'custom':
      return { sources: check.fieldSources, required: check.fieldSources,
        withMissing: check.runWithMissingFields === true, withInvalid: false };
  }
}

function evaluate(check: EntityCheck, entity: Entity, scope: CheckScope, errors: FieldErrors): Outcome {
  switch (check.kind) {
    case 'conditional': return runConditional(check, entity, scope, errors);
    case 'conditionalAtLeastOneOf': return runConditionalAtLeastOneOf(check, entity, scope);
    case 'atLeastOneOf':
      return firstNonEmpty(entity, check.fields) ? OK : { ok: false, err: quotedList(check.fields) };
    case 'distinct': return runDistinct(entity, check.fields);
    case 'mutuallyRequired': return runMutuallyRequired(entity, check.fields);
    case 'custom': {
      const err = check.fn(entity);
      return err === null ? OK : { ok: false, custom: err };
    }
  }
}

/** run_entity_check: skips checks whose inputs are invalid or absent, then reports. */
export function runEntityCheck(check: EntityCheck, entity: Entity, scope: CheckScope, errors: FieldErrors): void {
  const t = traits(check);
  const missing = t.withMissing ? [] : t.required.filter((f) => valueAt(entity, f) === undefined);
  const allNil = t.sources.every((f) => valueAt(entity, f) === undefined);
  const allOk = t.sources.every((f) => errors[f] === undefined);
  if (!allOk && !t.withInvalid) return;
  if (allNil && !t.withMissing) return;
  if (missing.length > 0) {
    for (const f of missing) errors[f] = 'field required for entity check';
    return;
  }
  const outcome = evaluate(check, entity, scope, errors);
  if (outcome.ok) return;
  if (outcome.custom !== undefined) addEntityError(errors, outcome.custom);
  else addEntityError(errors, FORMATS[check.kind].replace('%s', outcome.err ?? ''));
}
