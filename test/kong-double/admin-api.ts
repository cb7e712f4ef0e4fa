// The Admin API surface the double serves: `/`, `/status`, entity collections
// and items (plain and nested), with DB-less write rejection (405 code 12).
import { hostname } from 'node:os';
import { childKindAt, entityKind } from '../../src/model/index.ts';
import { createEntity, deleteEntity, presentRecord, updateEntity, upsertEntity } from './crud.ts';
import type { CrudContext } from './crud.ts';
import type { DoubleState } from './double-state.ts';
import { DoubleHttpError, methodNotAllowed, notFound, operationUnsupported } from './errors.ts';
import { pageOf } from './paging.ts';
import { pluginSchemaAnswer } from './plugin-entities.ts';
import type { DoubleEntityType, DoubleRecord } from './store.ts';
import { DOUBLE_ENTITY_TYPES, PARENTS, foreignIdOf, isUuid } from './store.ts';

export interface ApiRequest {
  method: string;
  segments: string[];
  query: URLSearchParams;
  body: DoubleRecord | undefined;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A body that is not JSON (nginx's HTML pages), sent as is with `contentType`. */
  raw?: { text: string; contentType: string };
}

/** An nginx size as kong.conf writes it: `10m` when whole MiB, else bytes. */
function nginxSize(bytes: number): string {
  return bytes % 2 ** 20 === 0 ? `${bytes / 2 ** 20}m` : String(bytes);
}

const NODE_ID = '6a72192c-a3a1-4c8d-95c6-efaae9345d32';

export function rootInfo(state: DoubleState): Record<string, unknown> {
  return {
    tagline: 'Welcome to kong', version: state.options.version, edition: 'community', hostname: hostname(), node_id: NODE_ID,
    lua_version: 'LuaJIT 2.1.0-20231117', timers: { running: 0, pending: 2 },
    plugins: { available_on_server: {}, enabled_in_cluster: [] }, pids: { master: 1, workers: [2] },
    configuration: {
      database: state.mode === 'dbless' ? 'off' : 'postgres', router_flavor: state.options.routerFlavor, role: 'traditional',
      admin_listen: ['127.0.0.1:8001 reuseport backlog=16384', '127.0.0.1:8444 http2 ssl reuseport backlog=16384'],
      nginx_admin_client_max_body_size: nginxSize(state.options.configLimitBytes),
      nginx_admin_client_body_buffer_size: nginxSize(state.options.configLimitBytes),
    },
  };
}

/** Kong's shared dictionaries and their default sizes (MiB). */
const SHARED_DICTS: Record<string, number> = {
  kong: 5, kong_locks: 8, kong_healthchecks: 5, kong_cluster_events: 5, kong_rate_limiting_counters: 12, kong_core_db_cache: 128,
  kong_core_db_cache_miss: 12, kong_db_cache: 128, kong_db_cache_miss: 12, kong_secrets: 5, prometheus_metrics: 5,
};

const mib = (n: number): string => `${n.toFixed(2)} MiB`;

export function statusInfo(state: DoubleState): Record<string, unknown> {
  const server = { connections_accepted: state.requests.length, connections_active: 1, connections_handled: state.requests.length,
    connections_reading: 0, connections_writing: 1, connections_waiting: 0, total_requests: state.requests.length };
  const lua_shared_dicts = Object.fromEntries(Object.entries(SHARED_DICTS).map(([name, size]) => [name, { allocated_slabs: mib(0.04), capacity: mib(size) }]));
  const memory = { workers_lua_vms: [{ http_allocated_gc: mib(40), pid: process.pid }], lua_shared_dicts };
  return state.mode === 'dbless'
    ? { configuration_hash: state.configurationHash, server, memory }
    : { database: { reachable: true }, server, memory };
}

function entityType(segment: string | undefined): DoubleEntityType | undefined {
  return DOUBLE_ENTITY_TYPES.find((t) => t === segment);
}

interface Api {
  ctx: CrudContext;
  state: DoubleState;
}

interface Target {
  type: DoubleEntityType;
  key?: string;
  parentId?: string;
}

/** Kong lists an upstream's targets newest first (DB-less: loaded together, in load order). */
function listed(ctx: CrudContext, type: DoubleEntityType, parentId: string | undefined): DoubleRecord[] {
  if (parentId === undefined) return ctx.store.list(type);
  if (type !== 'targets') return ctx.store.children(type, parentId);
  return ctx.store.inserted(type).filter((r) => ctx.store.parentOf(type, r) === parentId)
    .sort((a, b) => Number(b.created_at) - Number(a.created_at));
}

/** The workspace id in DB-less paging keys (Kong draws it when the node starts). */
const WORKSPACE_ID = '0dc6f45b-0000-4000-8000-000000000001';

function list({ ctx, state }: Api, req: ApiRequest, { type, parentId }: Target): ApiResponse {
  const records = listed(ctx, type, parentId);
  const path = `/${req.segments.join('/')}`;
  const dbless = state.mode === 'dbless' ? { entity: type, workspace: WORKSPACE_ID } : undefined;
  const page = pageOf(records, { path, query: req.query, nested: parentId !== undefined, ...(dbless ? { dbless } : {}) });
  return { status: 200, body: { ...page, data: page.data.map((r) => presentRecord(ctx, type, r)) } };
}

/** DB-less: reads work, writes answer 405 code 12 (after the DAO's own read). */
function dblessWrite(ctx: CrudContext, req: ApiRequest, { type, key, parentId }: Target): ApiResponse {
  const byName = key !== undefined && !isUuid(key) ? ` by '${entityKind(type).endpointKey ?? 'name'}'` : '';
  const suffix = `${byName} when not using a database`;
  if (req.method === 'POST') throw operationUnsupported(`cannot create '${type}' entities when not using a database`);
  if (req.method === 'PUT') throw operationUnsupported(`cannot create or update '${type}' entities${suffix}`);
  const existing = key === undefined ? undefined : ctx.store.resolve(type, key, parentId);
  if (req.method === 'PATCH') {
    if (!existing) throw notFound();
    throw operationUnsupported(`cannot update '${type}' entities${suffix}`);
  }
  if (!existing) return { status: 204 };
  throw operationUnsupported(`cannot remove '${type}' entities${suffix}`);
}

function collection(api: Api, req: ApiRequest, target: Target): ApiResponse {
  const { ctx, state } = api;
  if (req.method === 'GET') return list(api, req, target);
  if (req.method !== 'POST') throw methodNotAllowed();
  if (state.mode === 'dbless') return dblessWrite(ctx, req, target);
  return { status: 201, body: createEntity(ctx, target.type, req.body ?? {}, target.parentId) };
}

function item({ ctx, state }: Api, req: ApiRequest, target: Target & { key: string }): ApiResponse {
  const { type, key, parentId } = target;
  if (req.method === 'GET') {
    const found = ctx.store.resolve(type, key, parentId);
    if (found) return { status: 200, body: presentRecord(ctx, type, found) };
    if (type === 'certificates' && !isUuid(key)) throw new DoubleHttpError(404, { message: 'SNI not found' });
    throw notFound();
  }
  if (!['PUT', 'PATCH', 'DELETE'].includes(req.method)) throw methodNotAllowed();
  if (state.mode === 'dbless') return dblessWrite(ctx, req, target);
  if (req.method === 'PUT') return { status: 200, body: upsertEntity(ctx, target, req.body ?? {}) };
  if (req.method === 'PATCH') return { status: 200, body: updateEntity(ctx, target, req.body ?? {}) };
  deleteEntity(ctx, target);
  return { status: 204 };
}

function routeService(ctx: CrudContext, routeKey: string): ApiResponse {
  const route = ctx.store.resolve('routes', routeKey);
  const serviceId = route ? foreignIdOf(route.service) : undefined;
  const service = serviceId ? ctx.store.get('services', serviceId) : undefined;
  if (!service) throw notFound();
  return { status: 200, body: service };
}

/**
 * `/tags` and `/tags/{tag}`: every (entity, tag) pair ordered by entity id, then tag.
 * DB-less Kong keeps no tags index and answers an empty page with a plugins cursor.
 */
function tagsListing({ ctx, state }: Api, req: ApiRequest): ApiResponse | undefined {
  const [first, tag, extra] = req.segments;
  if (first !== 'tags' || extra !== undefined || req.method !== 'GET') return undefined;
  if (state.mode === 'dbless') {
    const path = tag === undefined ? '/tags' : `/tags/${encodeURIComponent(tag)}`;
    return { status: 200, body: { data: [], offset: 'plugins|nil', next: `${path}?offset=plugins%7Cnil` } };
  }
  const rows = DOUBLE_ENTITY_TYPES.flatMap((type) => ctx.store.list(type).flatMap((r) =>
    (Array.isArray(r.tags) ? (r.tags as string[]) : []).map((t) => ({ tag: t, entity_name: type, entity_id: String(r.id) }))));
  const data = rows.filter((r) => tag === undefined || r.tag === tag)
    .sort((a, b) => (a.entity_id === b.entity_id ? (a.tag < b.tag ? -1 : 1) : a.entity_id < b.entity_id ? -1 : 1));
  return { status: 200, body: { data, next: null } };
}

/** `GET /schemas/plugins/{name}`: the plugin's schema as the recorded Kong published it. */
function pluginSchema(req: ApiRequest): ApiResponse | undefined {
  const [root, kind, name, more] = req.segments;
  if (root !== 'schemas' || kind !== 'plugins' || name === undefined || more !== undefined || req.method !== 'GET') return undefined;
  return pluginSchemaAnswer(name);
}

/** `/E`, `/E/{x}`, `/P/{p}/E`, `/P/{p}/E/{e}`, `/routes/{r}/service`, `/tags`, `/schemas/plugins/{name}`. */
export function handleEntities(ctx: CrudContext, state: DoubleState, req: ApiRequest): ApiResponse | undefined {
  const api: Api = { ctx, state };
  const answered = pluginSchema(req) ?? tagsListing(api, req);
  if (answered) return answered;
  const [first, key, childSegment, childKey, extra] = req.segments;
  const type = entityType(first);
  if (type === undefined || extra !== undefined) return undefined;
  // /targets is disabled in Kong: targets live under their upstream.
  if (entityKind(type).underParent) throw notFound();
  if (key === undefined) return collection(api, req, { type });
  if (childSegment === undefined) return item(api, req, { type, key });
  if (type === 'routes' && childSegment === 'service' && childKey === undefined && req.method === 'GET') return routeService(ctx, key);
  return nested(api, req, { type, key }, [childSegment, childKey]);
}

/** `/P/{p}/E` and `/P/{p}/E/{e}` (`/upstreams/{u}/targets`, `/consumers/{c}/key-auth`). */
function nested(api: Api, req: ApiRequest, { type, key }: Target & { key: string }, [segment, childKey]: [string, string | undefined]): ApiResponse {
  const child = childKindAt(type, segment)?.table;
  if (child === undefined || PARENTS[child]?.[1] !== type) throw notFound();
  const parent = api.ctx.store.resolve(type, key);
  if (!parent) throw notFound();
  const parentId = String(parent.id);
  if (childKey === undefined) return collection(api, req, { type: child, parentId });
  if (child === 'targets' && childKey === 'all' && req.method === 'GET') return list(api, req, { type: child, parentId });
  return item(api, req, { type: child, key: childKey, parentId });
}
