// Entity CRUD with Kong's semantics (kong/api/endpoints.lua, kong/db/dao):
// POST 201, PUT upsert 200 (targets: update only), PATCH merge (missing 404),
// DELETE 204 even when missing, restricted delete of a service with routes,
// cascades upstream → targets and certificate → SNIs, unique names (409).
import { CHILD_KINDS, KONG_ENTITY_KINDS, entityKind, type RouterFlavor } from '../../src/model/index.ts';
import {
  entityNotFound, foreignKeyInvalid, foreignKeyUnresolved, notFound, primaryKeyViolation, referencedBy, uniqueViolation,
} from './errors.ts';
import type { DoubleEntityType, DoubleRecord, EntityStore } from './store.ts';
import { ENDPOINT_KEYS, PARENTS, foreignIdOf, isUuid } from './store.ts';
import { listedPlugin } from '../kong-model/validate/plugins/recorded-plugins.ts';
import { UNIQUE_FIELDS, pluginCacheKey, validatePluginKind } from './plugin-entities.ts';
import { schemaViolationError, validateDoubleEntity } from './validation.ts';

export interface CrudContext {
  store: EntityStore;
  routerFlavor: RouterFlavor;
  /** Entity names that fail validation (fault injection). */
  rejectedNames: ReadonlySet<string>;
  now(): number;
  /** Draws the id of a new entity (random, as Kong does). */
  newId(): string;
}

/** Where an entity lives: its table, URL key (id or endpoint key) and parent (nested routes). */
export interface EntityAddress {
  type: DoubleEntityType;
  key: string;
  parentId?: string | undefined;
}

export const REJECTED_MESSAGE = 'rejected by the Kong test double';

/** The record as Kong shows it: certificates list their SNI names, sorted; plugin configs their shorthand fields. */
export function presentRecord(ctx: CrudContext, type: DoubleEntityType, record: DoubleRecord): DoubleRecord {
  if (type === 'plugins') return listedPlugin(record);
  if (type !== 'certificates') return record;
  const snis = ctx.store.children('snis', String(record.id)).map((s) => String(s.name)).sort();
  return { ...record, snis };
}

function validate(ctx: CrudContext, type: DoubleEntityType, input: DoubleRecord): DoubleRecord {
  const name = input.name ?? input.target;
  if (typeof name === 'string' && ctx.rejectedNames.has(name)) {
    throw schemaViolationError({ [input.name !== undefined ? 'name' : 'target']: REJECTED_MESSAGE });
  }
  const { entity, errors } = validatePluginKind(type, input) ?? validateDoubleEntity(type, input, ctx.routerFlavor);
  if (errors) throw schemaViolationError(errors);
  return entity;
}

/** Foreign keys given as `{id}` must exist; `{name}` is resolved to `{id}` (a plugin's route, service and consumer too). */
function resolveForeign(ctx: CrudContext, type: DoubleEntityType, entity: DoubleRecord): void {
  const parent = PARENTS[type];
  if (parent) resolveReference(ctx, entity, parent);
  for (const reference of Object.entries(entityKind(type).references ?? {})) resolveReference(ctx, entity, reference);
}

function resolveReference(ctx: CrudContext, entity: DoubleRecord, [field, table]: [string, DoubleEntityType]): void {
  const value = entity[field];
  if (value === null || value === undefined || typeof value !== 'object') return;
  const ref = value as Record<string, unknown>;
  if (typeof ref.id === 'string') {
    if (!ctx.store.get(table, ref.id)) throw foreignKeyInvalid(field, { id: ref.id }, table);
    entity[field] = { id: ref.id };
    return;
  }
  const keyName = ENDPOINT_KEYS[table];
  const key = keyName === undefined ? undefined : ref[keyName];
  const found = typeof key === 'string' ? ctx.store.resolve(table, key) : undefined;
  if (!found || keyName === undefined) throw foreignKeyUnresolved(field, ref, table);
  entity[field] = { id: found.id };
}

function checkUnique(ctx: CrudContext, type: DoubleEntityType, entity: DoubleRecord): void {
  const clash = (field: string): DoubleRecord | undefined =>
    ctx.store.list(type).find((r) => r.id !== entity.id && r[field] === entity[field]);
  const kind = entityKind(type);
  if (kind.underParent && kind.parent !== undefined && kind.endpointKey !== undefined) {
    // Unique per parent only (a target per upstream).
    const [key, field] = [kind.endpointKey, kind.parent.field];
    const parent = foreignIdOf(entity[field]);
    const same = ctx.store.list(type).find((r) => r.id !== entity.id && r[key] === entity[key] && foreignIdOf(r[field]) === parent);
    if (same) throw uniqueViolation({ [key]: entity[key], [field]: { id: parent } });
    return;
  }
  const key = ENDPOINT_KEYS[type];
  for (const field of [...(key === undefined ? [] : [key]), ...(UNIQUE_FIELDS[type] ?? [])]) {
    if (entity[field] !== null && entity[field] !== undefined && clash(field)) throw uniqueViolation({ [field]: entity[field] });
  }
  checkCacheKeys(ctx, type, entity);
}

/** One plugin of a name per route, service and consumer; one ACL group per consumer. */
function checkCacheKeys(ctx: CrudContext, type: DoubleEntityType, entity: DoubleRecord): void {
  const others = ctx.store.list(type).filter((r) => r.id !== entity.id);
  if (type === 'plugins' && others.some((r) => pluginCacheKey(r) === pluginCacheKey(entity))) {
    throw uniqueViolation({ cache_key: `plugins:${pluginCacheKey(entity)}::` });
  }
  if (type === 'acls' && others.some((r) => r.group === entity.group && foreignIdOf(r.consumer) === foreignIdOf(entity.consumer))) {
    throw uniqueViolation({ cache_key: `acls:${foreignIdOf(entity.consumer) ?? ''}:${String(entity.group)}::` });
  }
}

function timestamps(ctx: CrudContext, type: DoubleEntityType, previous: DoubleRecord | undefined): DoubleRecord {
  const now = ctx.now();
  const stamp = type === 'targets' ? Math.round(now) / 1000 : Math.floor(now / 1000);
  return { created_at: previous?.created_at ?? stamp, updated_at: stamp };
}

/** Writes the SNI entities a certificate body lists (transient `snis` field). */
function writeCertificateSnis(ctx: CrudContext, certificateId: string, names: unknown): void {
  if (!Array.isArray(names)) return;
  for (const name of names as unknown[]) {
    const existing = ctx.store.findBy('snis', 'name', name);
    if (existing && foreignIdOf(existing.certificate) !== certificateId) {
      throw schemaViolationError({ snis: `${String(name)} already associated with existing certificate '${foreignIdOf(existing.certificate) ?? ''}'` });
    }
  }
  for (const old of ctx.store.children('snis', certificateId)) ctx.store.delete('snis', String(old.id));
  for (const name of names as unknown[]) {
    const sni = { id: ctx.newId(), name, certificate: { id: certificateId }, tags: null, ...timestamps(ctx, 'snis', undefined) };
    ctx.store.set('snis', sni);
  }
}

function store(ctx: CrudContext, type: DoubleEntityType, input: DoubleRecord, previous: DoubleRecord | undefined): DoubleRecord {
  // A certificate's `snis` is transient (it writes SNI entities); a route's is a real field.
  const { snis, ...fields } = input;
  // A foreign key named by its endpoint key (`service: {name}`) is looked up first.
  const body = type === 'certificates' ? fields : { ...input };
  resolveForeign(ctx, type, body);
  const entity = validate(ctx, type, body);
  checkUnique(ctx, type, entity);
  const record = { ...entity, ...timestamps(ctx, type, previous) };
  if (type === 'certificates' && snis !== undefined) writeCertificateSnis(ctx, String(record.id), snis);
  ctx.store.set(type, record);
  return presentRecord(ctx, type, record);
}

/** POST /E or /P/{p}/E: 201. */
export function createEntity(ctx: CrudContext, type: DoubleEntityType, input: DoubleRecord, parentId?: string): DoubleRecord {
  const body = { ...input };
  const parent = PARENTS[type];
  if (parent && parentId !== undefined) body[parent[0]] = { id: parentId };
  if (typeof body.id === 'string' && ctx.store.get(type, body.id)) throw primaryKeyViolation(body.id);
  body.id = typeof body.id === 'string' ? body.id : ctx.newId();
  return store(ctx, type, body, undefined);
}

/** PUT /E/{x}: upsert with full replacement (omitted fields revert to defaults); 200. */
export function upsertEntity(ctx: CrudContext, { type, key, parentId }: EntityAddress, input: DoubleRecord): DoubleRecord {
  const existing = ctx.store.resolve(type, key, parentId);
  // Under a parent (targets), PUT only updates.
  if (entityKind(type).underParent && !existing) throw notFound();
  const body = { ...input };
  const parent = PARENTS[type];
  if (parent && parentId !== undefined) body[parent[0]] = { id: parentId };
  if (isUuid(key)) body.id = key.toLowerCase();
  else {
    const endpointKey = ENDPOINT_KEYS[type];
    if (endpointKey === undefined) throw notFound();
    body[endpointKey] = key;
    body.id = existing?.id ?? ctx.newId();
  }
  return store(ctx, type, body, existing);
}

function mergeRecords(current: DoubleRecord, patch: DoubleRecord): DoubleRecord {
  const out: DoubleRecord = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    const old = current[key];
    const bothRecords = value !== null && typeof value === 'object' && !Array.isArray(value)
      && old !== null && typeof old === 'object' && !Array.isArray(old) && key !== 'headers' && !(key in PARENT_FIELDS);
    out[key] = bothRecords ? mergeRecords(old as DoubleRecord, value as DoubleRecord) : value;
  }
  return out;
}
const PARENT_FIELDS: Readonly<Record<string, true>> = Object.fromEntries([
  ...CHILD_KINDS.map((kind): [string, true] => [kind.parent?.field ?? '', true]),
  ...KONG_ENTITY_KINDS.flatMap((kind) => Object.keys(kind.references ?? {})).map((field): [string, true] => [field, true]),
]);

/** PATCH /E/{x}: partial update; a missing entity is 404. */
export function updateEntity(ctx: CrudContext, { type, key, parentId }: EntityAddress, input: DoubleRecord): DoubleRecord {
  const existing = ctx.store.resolve(type, key, parentId);
  if (!existing) {
    const endpointKey = ENDPOINT_KEYS[type];
    if (isUuid(key)) throw entityNotFound({ id: key });
    throw endpointKey === undefined ? notFound() : entityNotFound({ [endpointKey]: key }, false);
  }
  const { created_at: _c, updated_at: _u, ...current } = existing;
  const merged = mergeRecords(current, input);
  merged.id = existing.id;
  return store(ctx, type, merged, existing);
}

/** DELETE /E/{x}: 204 even when missing; services with routes are restricted. */
export function deleteEntity(ctx: CrudContext, { type, key, parentId }: EntityAddress): void {
  const existing = ctx.store.resolve(type, key, parentId);
  // Targets are looked up before deleting (kong/api/routes/upstreams.lua); others delete blindly.
  if (!existing && type === 'targets') throw notFound();
  if (!existing) return;
  const id = String(existing.id);
  const children = CHILD_KINDS.filter((kind) => kind.parent?.table === type);
  for (const child of children) {
    if (child.parent?.onDelete === 'restrict' && ctx.store.children(child.table, id).length > 0) throw referencedBy(child.table, type);
  }
  for (const child of children) {
    if (child.parent?.onDelete === 'cascade') for (const c of ctx.store.children(child.table, id)) ctx.store.delete(child.table, String(c.id));
  }
  // Plugins go with the route, service or consumer they are on.
  for (const kind of KONG_ENTITY_KINDS) {
    const fields = Object.entries(kind.references ?? {}).filter(([, table]) => table === type).map(([field]) => field);
    for (const r of ctx.store.list(kind.table).filter((x) => fields.some((f) => foreignIdOf(x[f]) === id))) ctx.store.delete(kind.table, String(r.id));
  }
  ctx.store.delete(type, id);
}
