// kong/db/errors.lua `flatten_errors` (flatten_errors=1 on POST /config):
// per-entity error items correlated with the input. Kong drains error tables
// by popping sorted keys, so sections, items and fields come out in reverse
// sorted order; nested children are reported before their parent.
import type { FieldErrors, FieldErrorValue } from '../schema/types.ts';
import { isPlainObject } from '../schema/types.ts';
import { isUuid } from '../schema/validate-field.ts';
import type { EntityType } from '../validate-entity.ts';
import { FOREIGN_KEYS, KNOWN_ENTITIES, childrenOf } from './dc-schema.ts';

export type FlattenedError =
  | { type: 'field'; field: string; message: string }
  | { type: 'entity'; message: string };

export interface FlattenedEntityErrors {
  entity_type: string;
  entity_id?: string;
  entity_name?: string;
  entity_tags?: string[];
  entity: Record<string, unknown>;
  errors: FlattenedError[];
}

type Table = Record<string, unknown>;

/** Keys of an error table as Kong iterates them while draining: sorted, last first. */
function drainKeys(t: unknown): string[] {
  if (Array.isArray(t)) return t.map((v, i) => (v === null || v === undefined ? -1 : i)).filter((i) => i >= 0)
    .reverse().map(String);
  return isPlainObject(t) ? Object.keys(t).sort().reverse() : [];
}

function get(t: unknown, key: string): unknown {
  return Array.isArray(t) ? t[Number(key)] : isPlainObject(t) ? t[key] : undefined;
}

/** Lua-style (1-based) key for array positions. */
function luaKey(t: unknown, key: string): string {
  return Array.isArray(t) ? String(Number(key) + 1) : key;
}

function categorize(errs: unknown, ns: string | undefined, out: FlattenedError[]): void {
  for (const key of drainKeys(errs)) {
    const err = get(errs, key);
    const field = ns ? `${ns}.${luaKey(errs, key)}` : luaKey(errs, key);
    if (key === '@entity' && !Array.isArray(errs)) {
      for (const m of Array.isArray(err) ? err : [err]) out.push({ type: 'entity', message: String(m) });
    } else if (typeof err === 'string') {
      out.push({ type: 'field', field, message: err });
    } else if (err !== null && typeof err === 'object') {
      categorize(err, field, out);
    }
  }
}

/** Uniqueness and reference errors sit where an entity's error table would be. */
function asErrorTable(err: unknown): Table | undefined {
  if (typeof err === 'string') return { '@entity': [err] };
  if (Array.isArray(err) && err.every((e) => typeof e === 'string')) return { '@entity': err };
  return isPlainObject(err) ? { ...err } : undefined;
}

const makePk = (e: unknown): { id: string } | undefined =>
  (isPlainObject(e) && isUuid(e['id']) ? { id: e['id'] } : undefined);

function stringTags(tags: unknown): string[] | undefined {
  return Array.isArray(tags) && tags.every((t) => typeof t === 'string') ? tags : undefined;
}

/** A service's or route's plugins are reported as their own items. */
function hoistPlugins(entity: Table, errT: Table, out: FlattenedEntityErrors[]): void {
  const plugins = entity['plugins'];
  const pluginErrors = errT['plugins'];
  delete entity['plugins'];
  delete errT['plugins'];
  if (!Array.isArray(plugins) || pluginErrors === undefined) return;
  plugins.forEach((raw: unknown, i) => {
    if (isPlainObject(raw)) addEntityErrors('plugins', { ...raw }, get(pluginErrors, String(i)), out);
  });
}

function hoistRelations(type: EntityType | 'plugins', entity: Table, errT: Table, out: FlattenedEntityErrors[]): void {
  if (type === 'plugins') return;
  for (const [fk, ref] of Object.entries(FOREIGN_KEYS[type] ?? {})) {
    const value = entity[fk];
    if (!isPlainObject(value)) continue;
    const fieldErr = errT[fk];
    const pk = makePk(value);
    if (pk) entity[fk] = pk;
    else delete entity[fk];
    delete errT[fk];
    addEntityErrors(ref, { ...value }, fieldErr, out);
  }
  const pk = makePk(entity);
  hoistPlugins(entity, errT, out);
  for (const { child, fk } of childrenOf(type)) {
    const value = entity[child];
    if (!Array.isArray(value)) continue;
    const fieldErr = errT[child];
    delete entity[child];
    delete errT[child];
    if (fieldErr === undefined) continue;
    value.forEach((raw, i) => {
      if (!isPlainObject(raw)) return;
      const item: Table = { ...raw };
      if (item[fk] === undefined && pk) item[fk] = pk;
      addEntityErrors(child, item, get(fieldErr, String(i)), out);
    });
  }
}

/** An empty Lua table encodes as `{}`: how Kong shows an entity's empty lists. */
function emptyArraysAsObjects(table: Table): void {
  for (const [key, value] of Object.entries(table)) {
    if (Array.isArray(value) && value.length === 0) table[key] = {};
    else if (isPlainObject(value)) emptyArraysAsObjects(value);
  }
}

function addEntityErrors(type: EntityType | 'plugins', entity: Table, err: unknown, out: FlattenedEntityErrors[]): void {
  const errT = asErrorTable(err);
  if (!errT || Object.keys(errT).length === 0) return;
  hoistRelations(type, entity, errT, out);
  if (Object.keys(errT).length === 0) return;
  const errors: FlattenedError[] = [];
  categorize(errT, undefined, errors);
  if (errors.length === 0) return;
  const name = entity['name'];
  const tags = stringTags(entity['tags']);
  emptyArraysAsObjects(entity);
  out.push({
    entity_type: type.slice(0, -1),
    ...(isUuid(entity['id']) ? { entity_id: entity['id'] } : {}),
    ...(typeof name === 'string' && name.length > 0 ? { entity_name: name } : {}),
    ...(tags ? { entity_tags: tags } : {}),
    entity,
    errors,
  });
}

/**
 * Moves per-entity errors out of `fields` (mutated: what remains are the
 * top-level errors) into Kong's `flattened_errors` list.
 */
export function flattenErrors(input: Record<string, unknown>, fields: FieldErrors): FlattenedEntityErrors[] {
  const out: FlattenedEntityErrors[] = [];
  for (const section of Object.keys(fields).sort().reverse()) {
    const sectionErrors = fields[section] as FieldErrorValue;
    const entities = input[section];
    const known = (KNOWN_ENTITIES as readonly string[]).includes(section) || section === 'plugins';
    if (!known || typeof sectionErrors !== 'object' || !Array.isArray(entities)) continue;
    delete fields[section];
    for (const key of drainKeys(sectionErrors)) {
      const raw: unknown = entities[Number(key)];
      if (isPlainObject(raw)) addEntityErrors(section as EntityType | 'plugins', structuredClone(raw), get(sectionErrors, key), out);
    }
  }
  return out;
}
