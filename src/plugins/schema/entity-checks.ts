// Kong's entity checks (at_least_one_of, only_one_of, mutually_required,
// conditional, conditional_at_least_one_of) over one record, with Kong's rules
// for when a check runs at all: not when its inputs are absent (unless the
// check is about absence) or already invalid. Custom checks are Lua code the
// schema does not publish: they are reported as not checked.
import type { EntityCheckJson, SchemaField } from './schema-types.ts';
import { isRecord } from './schema-types.ts';
import type { ErrorTree, RecordValidator } from './validate-field.ts';
import { validateField } from './validate-field.ts';

export interface CheckScope {
  fields: Map<string, SchemaField>;
  record: RecordValidator;
}

function isNonEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  return !isRecord(value) || Object.keys(value).length > 0;
}

/** A field by name; a dotted name reaches into records (`config.minute`). */
function valueAt(entity: Record<string, unknown>, name: string): unknown {
  return name.split('.').reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), entity);
}

/** The definition of a dotted field, for the match of a conditional. */
function fieldAt(scope: CheckScope, name: string): SchemaField {
  const [first = '', ...rest] = name.split('.');
  let def = scope.fields.get(first);
  for (const key of rest) {
    const next: SchemaField | undefined = (def?.fields ?? []).find((entry) => key in entry)?.[key];
    def = next;
  }
  return def ?? {};
}

const quotedList = (names: readonly string[]): string => names.map((n) => `'${n}'`).join(', ');

function matches(scope: CheckScope, field: string, match: SchemaField, value: unknown): boolean {
  return validateField({ ...fieldAt(scope, field), ...match }, value, scope.record) === null;
}

function addEntityError(errors: ErrorTree, message: string): void {
  const list = errors['@entity'];
  if (Array.isArray(list)) list.push(message);
  else errors['@entity'] = [message];
}

type Outcome = string | null;

function conditional(check: NonNullable<EntityCheckJson['conditional']>, entity: Record<string, unknown>, scope: CheckScope, errors: ErrorTree): Outcome {
  if (!matches(scope, check.if_field, check.if_match, valueAt(entity, check.if_field))) return null;
  const thenValue = valueAt(entity, check.then_field) ?? null;
  const err = check.then_match.required === true && thenValue === null
    ? 'required field missing'
    : validateField({ ...fieldAt(scope, check.then_field), ...check.then_match }, thenValue, scope.record);
  if (err === null) return null;
  errors[check.then_field] = err;
  return check.then_err ?? `failed conditional validation given value of field '${check.if_field}'`;
}

function conditionalAtLeastOneOf(check: NonNullable<EntityCheckJson['conditional_at_least_one_of']>, entity: Record<string, unknown>, scope: CheckScope): Outcome {
  const ifValue = valueAt(entity, check.if_field);
  if (ifValue === undefined) return null;
  let names = check.then_at_least_one_of;
  let template = check.then_err ?? 'at least one of these fields must be non-empty: %s';
  if (!matches(scope, check.if_field, check.if_match, ifValue)) {
    if (!check.else_match || !matches(scope, check.if_field, check.else_match, ifValue)) return null;
    names = check.else_then_at_least_one_of ?? [];
    template = check.else_then_err ?? 'at least one of these fields must be non-empty: %s';
  }
  return names.some((n) => isNonEmpty(valueAt(entity, n))) ? null : template.replace('%s', quotedList(names));
}

function countNonEmpty(entity: Record<string, unknown>, names: readonly string[]): number {
  return names.filter((n) => isNonEmpty(valueAt(entity, n))).length;
}

function listCheck(check: EntityCheckJson, entity: Record<string, unknown>): Outcome {
  if (check.at_least_one_of) {
    const names = check.at_least_one_of;
    return countNonEmpty(entity, names) > 0 ? null : `at least one of these fields must be non-empty: ${quotedList(names)}`;
  }
  if (check.only_one_of) {
    const names = check.only_one_of;
    return countNonEmpty(entity, names) <= 1 ? null : `only one of these fields must be non-empty: ${quotedList(names)}`;
  }
  if (check.mutually_required) {
    const names = check.mutually_required;
    const set = countNonEmpty(entity, names);
    return set === 0 || set === names.length ? null : `all or none of these fields must be set: ${quotedList(names)}`;
  }
  return null;
}

/** The fields a check reads, and whether Kong runs it when they are absent or invalid. */
function traits(check: EntityCheckJson): { sources: string[]; withMissing: boolean; withInvalid: boolean } {
  if (check.conditional) {
    return { sources: [check.conditional.if_field, check.conditional.then_field], withMissing: false, withInvalid: true };
  }
  if (check.conditional_at_least_one_of) {
    const c = check.conditional_at_least_one_of;
    return { sources: [c.if_field, ...c.then_at_least_one_of, ...(c.else_then_at_least_one_of ?? [])], withMissing: true, withInvalid: true };
  }
  if (check.mutually_required) return { sources: check.mutually_required, withMissing: true, withInvalid: false };
  return { sources: check.at_least_one_of ?? check.only_one_of ?? [], withMissing: true, withInvalid: true };
}

/** Runs one check; failures go to `errors['@entity']` (and a conditional's field). */
export function runEntityCheck(check: EntityCheckJson, entity: Record<string, unknown>, scope: CheckScope, errors: ErrorTree): void {
  if (check.custom_entity_check) return;
  const t = traits(check);
  if (!t.withInvalid && t.sources.some((f) => errors[f] !== undefined)) return;
  if (!t.withMissing && t.sources.every((f) => valueAt(entity, f) === undefined)) return;
  if (check.conditional && valueAt(entity, check.conditional.if_field) === undefined) {
    errors[check.conditional.if_field] = 'field required for entity check';
    return;
  }
  const outcome = check.conditional
    ? conditional(check.conditional, entity, scope, errors)
    : check.conditional_at_least_one_of
      ? conditionalAtLeastOneOf(check.conditional_at_least_one_of, entity, scope)
      : listCheck(check, entity);
  if (outcome !== null) addEntityError(errors, outcome);
}

/** Names of the custom checks of a schema level: Lua code, not checked here. */
export function customCheckSources(checks: readonly EntityCheckJson[] | undefined): string[][] {
  return (checks ?? []).flatMap((c) => (c.custom_entity_check ? [c.custom_entity_check.field_sources ?? []] : []));
}
