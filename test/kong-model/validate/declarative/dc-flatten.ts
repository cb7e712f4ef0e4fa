// After schema validation: deterministic ids (generate_ids), uniqueness and
// reference checks (validate_references), then the flat entity set with
// foreign keys as `{id}`.
import { randomUUID } from 'node:crypto';
import { KONG_ENTITY_KINDS, declarativeIdOf, entityKind } from '../../../../src/model/index.ts';
import type { Entity, FieldErrors } from '../schema/types.ts';
import { isPlainObject } from '../schema/types.ts';
import { schemaFor, validateWithDefaults, type EntityType, type ValidateOptions } from '../validate-entity.ts';
import { FOREIGN_KEYS, KNOWN_ENTITIES, childrenOf } from './dc-schema.ts';
import { pluginEntity, pluginId, pluginSites } from './plugins.ts';
import type { Path } from './plugins.ts';

export type FlatEntities = Record<EntityType, Entity[]>;

interface Located {
  type: EntityType;
  /** The input item (ids are written into it, as Kong's populate step does). */
  raw: Entity;
  /** Own fields (children removed), ids filled in as they are generated. */
  item: Entity;
  path: (string | number)[];
  parent?: Located;
  /** The foreign key field pointing at `parent`. */
  parentFk?: string;
  children: Located[];
}

/** Endpoint keys unique in the whole config (a target's is unique per upstream only). */
const ENDPOINT_KEY: Partial<Record<EntityType, string>> = Object.fromEntries(
  KONG_ENTITY_KINDS.filter((kind) => !kind.underParent && kind.endpointKey !== undefined).map((kind) => [kind.table, kind.endpointKey]),
);

/** Pre-order walk in Kong's entity order, parents before their children. */
function walk(config: Record<string, unknown>): Located[] {
  const out: Located[] = [];
  const visit = (type: EntityType, list: unknown, path: (string | number)[], up?: { parent: Located; fk: string }): void => {
    if (!Array.isArray(list)) return;
    list.forEach((raw, i) => {
      if (!isPlainObject(raw)) return;
      const relations = childrenOf(type);
      const item: Entity = {};
      for (const [k, v] of Object.entries(raw)) {
        if (!relations.some((r) => r.child === k) && k !== 'plugins') item[k] = v;
      }
      const here: Located = { type, raw, item, path: [...path, i], children: [],
        ...(up ? { parent: up.parent, parentFk: up.fk } : {}) };
      out.push(here);
      up?.parent.children.push(here);
      for (const r of relations) visit(r.child, raw[r.child], [...path, i, r.child], { parent: here, fk: r.fk });
    });
  };
  for (const type of KNOWN_ENTITIES) visit(type, config[type], [type]);
  return out;
}

function derivedId(loc: Located, newId: () => string): string {
  const { item, type } = loc;
  const kind = entityKind(type);
  const field = kind.parent?.field;
  const parent = loc.parent ? loc.parent.item['id'] : field === undefined ? undefined : item[field];
  const parentId = typeof parent === 'string' ? parent : isPlainObject(parent) ? String(parent['id']) : '';
  // SNIs (and certificates) get a new random id on every load.
  return declarativeIdOf(kind, item, parentId) ?? newId();
}

function generateId(loc: Located, newId: () => string): void {
  if (loc.item['id'] !== undefined && loc.item['id'] !== null) return;
  loc.item['id'] = derivedId(loc, newId);
  loc.raw['id'] = loc.item['id'];
}

export function setError(errors: FieldErrors, path: (string | number)[], message: string): void {
  let node: Record<string | number, unknown> = errors;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string | number;
    const nextIsIndex = typeof path[i + 1] === 'number';
    if (node[key] === undefined || node[key] === null) node[key] = nextIsIndex ? [] : {};
    node = node[key] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1] as string | number;
  const existing = node[last];
  if (existing === undefined || existing === null) node[last] = message;
  else if (Array.isArray(existing)) existing.push(message);
  else node[last] = [existing, message];
  if (Array.isArray(node)) for (let i = 0; i < node.length; i++) node[i] ??= null;
}

interface Registry {
  byId: Map<string, Located>;
  byKey: Map<string, Located>;
}

function registerAll(located: Located[], errors: FieldErrors): Record<EntityType, Registry> {
  const reg = Object.fromEntries(KNOWN_ENTITIES.map((t) => [t, { byId: new Map(), byKey: new Map() }])) as
    Record<EntityType, Registry>;
  for (const loc of postOrder(located)) {
    const r = reg[loc.type];
    const key = ENDPOINT_KEY[loc.type];
    const keyValue = key ? loc.item[key] : undefined;
    const id = String(loc.item['id']);
    if (key && typeof keyValue === 'string' && r.byKey.has(keyValue)) {
      // Kong files a duplicate key under the entity's own table at its index in
      // the list it sits in (`routes[2]` for a service's second route), where
      // flatten_errors cannot find it when the list was nested.
      setError(errors, [loc.type, loc.path[loc.path.length - 1] ?? 0],
        `uniqueness violation: '${loc.type}' entity with ${key} set to '${keyValue}' already declared`);
    } else if (r.byId.has(id)) {
      setError(errors, loc.path,
        `uniqueness violation: '${loc.type}' entity with primary key set to '${id}' already declared`);
    }
    if (key && typeof keyValue === 'string' && !r.byKey.has(keyValue)) r.byKey.set(keyValue, loc);
    if (!r.byId.has(id)) r.byId.set(id, loc);
  }
  return reg;
}

/** Kong registers children before their parent (populate_references recurses first). */
function postOrder(located: Located[]): Located[] {
  const out: Located[] = [];
  const visit = (loc: Located): void => {
    loc.children.forEach(visit);
    out.push(loc);
  };
  located.filter((l) => !l.parent).forEach(visit);
  return out;
}

function resolve(reg: Registry, value: unknown): Located | undefined {
  if (isPlainObject(value)) return reg.byId.get(String(value['id']));
  if (typeof value !== 'string') return undefined;
  return reg.byKey.get(value) ?? reg.byId.get(value);
}

/** Returns false when a reference dangles where Kong reports nothing (a top-level target's upstream). */
function checkReferences(located: Located[], reg: Record<EntityType, Registry>, errors: FieldErrors): boolean {
  let ok = true;
  for (const loc of located) {
    if (loc.parent) continue;
    const fks = Object.entries(FOREIGN_KEYS[loc.type] ?? {}).sort(([a], [b]) => a.localeCompare(b));
    for (const [fk, table] of fks) {
      const value = loc.item[fk];
      if (value === undefined || value === null || resolve(reg[table], value)) continue;
      ok = false;
      // Kong 3.9 answers `declarative config is invalid: {}` here, without a hint.
      if (loc.type === 'targets') continue;
      const shown = isPlainObject(value) ? String(value['id']) : typeof value === 'string' ? value : JSON.stringify(value);
      setError(errors, loc.path, `invalid reference '${fk}: ${shown}' (no such entry in '${table}')`);
    }
  }
  return ok;
}

function toEntity(loc: Located, reg: Record<EntityType, Registry>, opts: ValidateOptions): Entity {
  const data: Entity = { ...loc.item };
  delete data['_comment'];
  delete data['_ignore'];
  for (const [fk, table] of Object.entries(FOREIGN_KEYS[loc.type] ?? {})) {
    if (loc.parent && loc.parentFk === fk) data[fk] = { id: loc.parent.item['id'] };
    else if (data[fk] !== undefined && data[fk] !== null) data[fk] = { id: resolve(reg[table], data[fk])?.item['id'] };
  }
  const schema = schemaFor(loc.type, opts.routerFlavor);
  return schema ? validateWithDefaults(schema, data, opts).entity : data;
}

/** `crash`: Kong's loader fails outright (500) instead of reporting. */
export type FlattenResult =
  | { ok: true; entities: FlatEntities; plugins: Entity[] } | { ok: false; errors: FieldErrors } | { ok: false; crash: string };

function at(config: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (isPlainObject(node) || Array.isArray(node) ? (node as Record<string | number, unknown>)[key] : undefined), config);
}

interface PluginCheck {
  plugins: Entity[];
  /** Why Kong would fail on a dangling top-level reference. */
  crash: string | null;
}

/** The config's consumers by id and by username (a top-level plugin's `consumer` names one of them). */
function consumerRegistry(config: Record<string, unknown>): Registry {
  const reg: Registry = { byId: new Map(), byKey: new Map() };
  for (const item of Array.isArray(config['consumers']) ? config['consumers'].filter(isPlainObject) : []) {
    const loc: Located = { type: 'consumers', raw: item, item, path: [], children: [] };
    if (typeof item['id'] === 'string') reg.byId.set(item['id'], loc);
    if (typeof item['username'] === 'string') reg.byKey.set(item['username'], loc);
  }
  return reg;
}

/** Plugin ids and their uniqueness, and the plugin entities. */
function checkPlugins(config: Record<string, unknown>, reg: Record<EntityType, Registry>, errors: FieldErrors): PluginCheck {
  const seen = new Set<string>();
  const plugins: Entity[] = [];
  const registries: Partial<Record<EntityType, Registry>> = { ...reg, consumers: consumerRegistry(config) };
  let crash: string | null = null;
  for (const site of pluginSites(config)) {
    const parentId = site.parent ? String((at(config, site.parent.path) as Entity)['id']) : '';
    const ref = (fk: 'route' | 'service' | 'consumer', table: EntityType): string => {
      if (site.parent) return site.parent.type === `${fk}s` ? parentId : '';
      const value = site.plugin[fk];
      if (value === undefined || value === null) return '';
      const found = resolve(registries[table] ?? { byId: new Map(), byKey: new Map() }, value);
      if (!found) crash ??= `plugin ${String(site.plugin['name'])}: no ${fk} ${JSON.stringify(value)}`;
      return found ? String(found.item['id']) : '';
    };
    const refs = { route: ref('route', 'routes'), service: ref('service', 'services'), consumer: ref('consumer', 'consumers') };
    const id = pluginId(String(site.plugin['name']), refs.route, refs.service, refs.consumer);
    plugins.push(pluginEntity(site, id, refs));
    if (seen.has(id)) {
      const { path, parent } = site;
      const local = path[path.length - 1] ?? 0;
      const where = parent ? [parent.type, parent.path[parent.path.length - 1] ?? 0, 'plugins', local] : path;
      setError(errors, where, `uniqueness violation: 'plugins' entity with primary key set to '${id}' already declared`);
    }
    seen.add(id);
  }
  return { plugins, crash };
}

/** Ids, uniqueness and references for a schema-valid config; then the flat entity set. */
export function flattenConfig(config: Record<string, unknown>, opts: ValidateOptions): FlattenResult {
  const located = walk(config);
  const newId = opts.newId ?? randomUUID;
  for (const loc of located) generateId(loc, newId);
  const errors: FieldErrors = {};
  const reg = registerAll(located, errors);
  const { plugins, crash } = checkPlugins(config, reg, errors);
  const referencesOk = checkReferences(located, reg, errors);
  if (!referencesOk || Object.keys(errors).length > 0) return { ok: false, errors };
  if (crash !== null) return { ok: false, crash };
  const entities = Object.fromEntries(KNOWN_ENTITIES.map((t) => [t, [] as Entity[]])) as FlatEntities;
  for (const loc of located) entities[loc.type].push(toEntity(loc, reg, opts));
  return { ok: true, entities, plugins };
}
