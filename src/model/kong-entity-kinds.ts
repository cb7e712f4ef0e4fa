// Kong's entity kinds as meshdoor writes them, each described once: table,
// parent and foreign key, endpoint key, nested children, id rule, schema
// defaults of the fields meshdoor sets, and what comparing them needs. The
// DB-less body, the DB-mode read/diff/apply, the comparison with Kong's
// read-back and the Kong test double all read these descriptions.
import { freezeDeep } from './frozen.ts';
import { formatHost, normalizeIp } from './kong-hosts.ts';
import type { KongService } from './kong-config.ts';
import { kongEntityId, kongPluginId, kongTargetId } from './kong-ids.ts';

/** Kong's table name of a kind, also its Admin API collection (credentials: see `adminPath`). */
export type KongEntityType = 'certificates' | 'services' | 'upstreams' | 'snis' | 'routes' | 'targets'
  | 'consumers' | 'plugins' | 'keyauth_credentials' | 'basicauth_credentials' | 'hmacauth_credentials' | 'jwt_secrets' | 'acls';

type Fields = Readonly<Record<string, unknown>>;

export interface KongEntityKind {
  table: KongEntityType;
  /** One entity, as Kong names it in flattened errors (`entity_type`) and meshdoor in messages. */
  singular: string;
  /** A child's foreign key to its parent, and what deleting the parent does to the child. */
  parent?: { field: string; table: KongEntityType; onDelete: 'cascade' | 'restrict' };
  /** The kinds nested under this one in a declarative config (`services[].routes`), under their table names. */
  nested: readonly KongEntityType[];
  /** Foreign keys other than the parent (a plugin's route, service, consumer): field → table. */
  references?: Readonly<Record<string, KongEntityType>>;
  /** The collection's name under its parent in Admin API paths when not the table (`/consumers/{id}/key-auth`). */
  adminPath?: string;
  /** A top-level list left out of a declarative config when empty (configs without plugins keep their bytes). */
  optionalList?: boolean;
  /**
   * Entities of other lists refer to it by id (a plugin to its consumer): a
   * declarative body keeps its id unless it is the one Kong derives itself.
   */
  referencedById?: boolean;
  /** What Admin API URLs accept instead of the id; certificates have none. */
  endpointKey?: 'name' | 'target' | 'username';
  /**
   * How Kong's declarative loader fills a missing id: uuid5 of the endpoint
   * key, uuid5 of the cache key (targets, plugins), or a random one on every load.
   */
  declarativeId: 'endpoint-key' | 'cache-key' | 'random';
  /** Only reachable under its parent in the Admin API (`/upstreams/{id}/targets`). */
  underParent: boolean;
  /** Kong's schema defaults of the fields meshdoor sets: what Kong fills in when left out. */
  defaults: Fields;
  /** Defaults a subschema overrides, by the first protocol (Kong's subschema key for routes). */
  protocolDefaults?: Readonly<Record<string, Fields>>;
  /** Optional fields meshdoor may leave unset: a value there on Kong is drift. */
  optional: readonly string[];
  /** Fields whose order Kong does not keep meaningful. */
  sets: readonly string[];
  /** Fields Kong stores in a normal form, and that form. */
  normalize?: Readonly<Record<string, (value: string) => string>>;
  /** Fields never put in digests, reports or logs. */
  secret?: readonly string[];
}

const NO_NESTED: readonly KongEntityType[] = [];

const DEFAULT_TARGET_PORT = 8000;

/** Kong stores a target as `host:port`: port 8000 when none is given, IPv4 without leading zeros, IPv6 expanded in brackets. */
export function normalizeTarget(target: string): string {
  const parsed = normalizeIp(target);
  return parsed.ok ? formatHost(parsed.value, DEFAULT_TARGET_PORT) : target;
}

const certificates: KongEntityKind = {
  table: 'certificates', singular: 'certificate', nested: ['snis'], declarativeId: 'random', underParent: false,
  defaults: {}, optional: ['cert_alt', 'key_alt'], sets: ['tags'], secret: ['key', 'key_alt'],
};

/** Kong's defaults of the service fields meshdoor sets (typed: the translator starts from them). */
export const KONG_SERVICE_DEFAULTS = Object.freeze({
  protocol: 'http', port: 80, retries: 5, connect_timeout: 60000, read_timeout: 60000, write_timeout: 60000,
} as const satisfies Partial<KongService>);

const services: KongEntityKind = {
  table: 'services', singular: 'service', nested: ['routes'], endpointKey: 'name', declarativeId: 'endpoint-key', underParent: false,
  defaults: KONG_SERVICE_DEFAULTS,
  optional: ['path'], sets: ['tags'],
};

const upstreams: KongEntityKind = {
  table: 'upstreams', singular: 'upstream', nested: ['targets'], endpointKey: 'name', declarativeId: 'endpoint-key', underParent: false,
  defaults: { algorithm: 'round-robin' }, optional: ['host_header'], sets: ['tags'],
};

const snis: KongEntityKind = {
  table: 'snis', singular: 'sni', parent: { field: 'certificate', table: 'certificates', onDelete: 'cascade' }, nested: NO_NESTED,
  endpointKey: 'name', declarativeId: 'random', underParent: false, defaults: {}, optional: [], sets: ['tags'],
};

// strip_path defaults to true on HTTP routes only (gRPC routes: false, and
// meshdoor writes theirs out).
const HTTP_DEFAULTS: Fields = { strip_path: true };

const routes: KongEntityKind = {
  table: 'routes', singular: 'route', parent: { field: 'service', table: 'services', onDelete: 'restrict' }, nested: NO_NESTED,
  endpointKey: 'name', declarativeId: 'endpoint-key', underParent: false,
  defaults: {
    protocols: ['http', 'https'], preserve_host: false, regex_priority: 0, path_handling: 'v0',
    https_redirect_status_code: 426, request_buffering: true, response_buffering: true,
  },
  protocolDefaults: { http: HTTP_DEFAULTS, https: HTTP_DEFAULTS },
  optional: ['hosts', 'paths', 'methods', 'headers', 'snis'], sets: ['tags', 'protocols', 'methods', 'snis'],
};

const targets: KongEntityKind = {
  table: 'targets', singular: 'target', parent: { field: 'upstream', table: 'upstreams', onDelete: 'cascade' }, nested: NO_NESTED,
  endpointKey: 'target', declarativeId: 'cache-key', underParent: true,
  defaults: { weight: 100 }, optional: [], sets: ['tags'], normalize: { target: normalizeTarget },
};

/** A consumer's credentials: nested under it, in the Admin API only under it; Kong drops them with it. */
function credentialKind(table: KongEntityType, singular: string, adminPath: string, secret: readonly string[]): KongEntityKind {
  return {
    table, singular, parent: { field: 'consumer', table: 'consumers', onDelete: 'cascade' }, nested: NO_NESTED, adminPath,
    declarativeId: 'random', underParent: true, defaults: {}, optional: [], sets: ['tags'], secret,
  };
}

const CREDENTIAL_KINDS: readonly KongEntityKind[] = [
  credentialKind('keyauth_credentials', 'keyauth_credential', 'key-auth', ['key']),
  credentialKind('basicauth_credentials', 'basicauth_credential', 'basic-auth', ['password']),
  credentialKind('hmacauth_credentials', 'hmacauth_credential', 'hmac-auth', ['secret']),
  credentialKind('jwt_secrets', 'jwt_secret', 'jwt', ['secret']),
  credentialKind('acls', 'acl', 'acls', []),
];

const consumers: KongEntityKind = {
  table: 'consumers', singular: 'consumer', nested: CREDENTIAL_KINDS.map((kind) => kind.table), endpointKey: 'username',
  declarativeId: 'endpoint-key', underParent: false, optionalList: true, referencedById: true,
  defaults: {}, optional: ['username', 'custom_id'], sets: ['tags'],
};

// A plugin's route, service and consumer are references, not a parent: a
// global plugin has none. Its config is compared by entity-compare (Kong
// fills the schema's defaults in).
const plugins: KongEntityKind = {
  table: 'plugins', singular: 'plugin', nested: NO_NESTED, references: { route: 'routes', service: 'services', consumer: 'consumers' },
  declarativeId: 'cache-key', underParent: false, optionalList: true,
  defaults: { enabled: true }, optional: ['instance_name', 'route', 'service', 'consumer'], sets: ['tags', 'protocols'],
};

/** Every kind meshdoor writes, parents first: the order of creates and updates (deletes run children first). */
export const KONG_ENTITY_KINDS: readonly KongEntityKind[] = freezeDeep([
  certificates, services, upstreams, consumers, snis, routes, targets, ...CREDENTIAL_KINDS, plugins,
]);

const BY_TABLE = new Map(KONG_ENTITY_KINDS.map((kind) => [kind.table, kind]));

export function entityKind(table: KongEntityType): KongEntityKind {
  return BY_TABLE.get(table) as KongEntityKind;
}

export const KONG_ENTITY_TYPES: readonly KongEntityType[] = KONG_ENTITY_KINDS.map((kind) => kind.table);

/** Kinds without a parent (certificates, services, upstreams, consumers, plugins): the top level of a declarative config. */
export const TOP_LEVEL_KINDS: readonly KongEntityKind[] = KONG_ENTITY_KINDS.filter((kind) => kind.parent === undefined);

/** Kinds with a parent (SNIs, routes, targets, credentials). */
export const CHILD_KINDS: readonly KongEntityKind[] = KONG_ENTITY_KINDS.filter((kind) => kind.parent !== undefined);

/** The foreign keys of a kind: its parent's and its references, field → table. */
export function foreignKeysOf(kind: KongEntityKind): Readonly<Record<string, KongEntityType>> {
  return { ...(kind.parent === undefined ? {} : { [kind.parent.field]: kind.parent.table }), ...kind.references };
}

function levelOf(kind: KongEntityKind): number {
  const tables = Object.values(foreignKeysOf(kind));
  return tables.length === 0 ? 0 : 1 + Math.max(...tables.map((table) => levelOf(entityKind(table))));
}

/**
 * The kinds in dependency levels: level 0 refers to nothing (services,
 * consumers), each later level only to earlier ones (routes, then plugins).
 * Writes go level by level; deletes in reverse.
 */
export const KIND_LEVELS: readonly (readonly KongEntityType[])[] = (() => {
  const levels: KongEntityType[][] = [];
  for (const kind of KONG_ENTITY_KINDS) (levels[levelOf(kind)] ??= []).push(kind.table);
  return levels;
})();

/** The kind whose Admin API collection under its parent is `segment` (`key-auth`, `targets`). */
export function childKindAt(parent: KongEntityType, segment: string): KongEntityKind | undefined {
  return CHILD_KINDS.find((kind) => kind.parent?.table === parent && (kind.adminPath ?? kind.table) === segment);
}

/** Per kind and protocol: the kind's defaults with the protocol's over them, merged once. */
const BY_PROTOCOL: ReadonlyMap<KongEntityKind, Readonly<Record<string, Fields>>> = new Map(KONG_ENTITY_KINDS.map((kind) => [kind,
  Object.fromEntries(Object.entries(kind.protocolDefaults ?? {}).map(([protocol, own]) => [protocol, Object.freeze({ ...kind.defaults, ...own })]))]));

/** Kong's defaults for this entity: the kind's, with its protocol's subschema over them. */
export function defaultsOf(kind: KongEntityKind, entity: Readonly<Record<string, unknown>>): Fields {
  const protocols = entity['protocols'];
  const first = Array.isArray(protocols) ? String(protocols[0]) : undefined;
  return (first === undefined ? undefined : BY_PROTOCOL.get(kind)?.[first]) ?? kind.defaults;
}

/**
 * The id Kong's declarative loader gives an entity that has none, or
 * undefined when Kong draws a random one. `parentId`: a target's upstream.
 */
export function declarativeIdOf(kind: KongEntityKind, entity: Readonly<Record<string, unknown>>, parentId?: string): string | undefined {
  if (kind.table === 'plugins') return kongPluginId(String(entity['name']), pluginAttachment(entity));
  if (kind.declarativeId === 'cache-key') return parentId === undefined ? undefined : kongTargetId(parentId, String(entity['target']));
  if (kind.declarativeId === 'random' || kind.endpointKey === undefined) return undefined;
  const key = entity[kind.endpointKey];
  return typeof key === 'string' ? kongEntityId(kind.table, key) : undefined;
}

function foreignKeyId(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const id = value !== null && typeof value === 'object' ? (value as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : undefined;
}

function pluginAttachment(entity: Readonly<Record<string, unknown>>): { routeId?: string; serviceId?: string; consumerId?: string } {
  const [routeId, serviceId, consumerId] = [entity['route'], entity['service'], entity['consumer']].map(foreignKeyId);
  return { ...(routeId === undefined ? {} : { routeId }), ...(serviceId === undefined ? {} : { serviceId }), ...(consumerId === undefined ? {} : { consumerId }) };
}
