// The declarative-config view of each entity schema
// (kong/db/schema/others/declarative_config.lua): nested children may not set
// foreign keys; top-level foreign keys are references by endpoint key or id.
import type { RouterFlavor } from '../../../../src/model/index.ts';
import type { EntitySchema, FieldDef } from '../schema/types.ts';
import { isPlainObject } from '../schema/types.ts';
import { schemaFor, type EntityType } from '../validate-entity.ts';

/** Kong's CORE_ENTITIES order, restricted to the ones validated here. */
export const KNOWN_ENTITIES: readonly EntityType[] = ['certificates', 'services', 'routes', 'snis', 'upstreams', 'targets'];

/** Foreign key fields: entity → field → referenced table. */
export const FOREIGN_KEYS: Partial<Record<EntityType, Record<string, EntityType>>> = {
  certificates: {},
  services: { client_certificate: 'certificates' },
  routes: { service: 'services' },
  snis: { certificate: 'certificates' },
  upstreams: { client_certificate: 'certificates' },
  targets: { upstream: 'upstreams' },
};

export interface ChildRelation {
  child: EntityType;
  /** The child's foreign key pointing at the parent. */
  fk: string;
}

/** Entities that may be nested under a parent, in KNOWN_ENTITIES order. */
export function childrenOf(parent: EntityType): ChildRelation[] {
  const out: ChildRelation[] = [];
  for (const child of KNOWN_ENTITIES) {
    for (const [fk, ref] of Object.entries(FOREIGN_KEYS[child] ?? {})) {
      if (ref === parent) out.push({ child, fk });
    }
  }
  return out;
}

/**
 * Entity collections Kong knows but meshdoor's validator does not model.
 * They are accepted (when arrays) and ignored.
 */
export const UNMODELLED_ENTITIES: ReadonlySet<string> = new Set([
  'plugins', 'consumers', 'ca_certificates', 'vaults', 'keys', 'key_sets', 'filter_chains', 'parameters',
  'acls', 'basicauth_credentials', 'keyauth_credentials', 'hmacauth_credentials', 'jwt_secrets',
  'oauth2_credentials', 'oauth2_authorization_codes', 'oauth2_tokens', 'consumer_groups',
  'consumer_group_consumers', 'consumer_group_plugins', 'workspaces',
]);

const reference: FieldDef = {
  type: 'any',
  custom: (v: unknown) => {
    if (typeof v === 'string') return v === '' ? 'length must be at least 1' : null;
    if (!isPlainObject(v)) return 'expected a string';
    // A record reference must carry the primary key (`{name: x}` is not looked up).
    return typeof v['id'] === 'string' ? null : { id: 'missing primary key' };
  },
};

const EXTRA_FIELDS: Record<string, FieldDef> = {
  _comment: { type: 'string' },
  _ignore: { type: 'array', elements: { type: 'any' } },
};

function derive(base: EntitySchema, nested: boolean): EntitySchema {
  const fields: Record<string, FieldDef> = {};
  for (const [name, def] of Object.entries(base.fields)) {
    if (def.type !== 'foreign') {
      fields[name] = def;
    } else if (nested) {
      fields[name] = { type: 'foreign', reference: def.reference ?? '', eqNull: true };
    } else {
      fields[name] = { ...reference, ...(def.required ? { required: true } : {}) };
    }
  }
  return { ...base, fields: { ...fields, ...EXTRA_FIELDS } };
}

const cache = new Map<string, EntitySchema>();

/** The schema a declarative item is validated with (nested or top-level). */
export function declarativeSchema(type: EntityType, flavor: RouterFlavor, nested: boolean): EntitySchema {
  const key = `${type}/${flavor}/${nested ? 'nested' : 'top'}`;
  let schema = cache.get(key);
  if (!schema) {
    const base = schemaFor(type, flavor);
    if (!base) throw new Error(`no schema for ${type}`);
    schema = derive(base, nested);
    cache.set(key, schema);
  }
  return schema;
}
