// Pure comparison of a desired entity with Kong's read-back of it. Only the
// fields meshdoor sets are compared, after normalising Kong's read shape
// (nulls for unset fields, sets in any order, FKs as {id}, targets as host:port).
import { canonicalJson, contentHash } from './config-hash.ts';
import { OWNERSHIP_TAG } from '../model/index.ts';
import type { EntityType, FlatEntity } from './entities.ts';
import { PARENT_FIELD, foreignId } from './entities.ts';

/** Fields whose order Kong does not keep meaningful. */
const SET_FIELDS = new Set(['tags', 'protocols', 'methods', 'snis']);

/** Optional fields meshdoor may leave unset: a value there on Kong is drift. */
const OPTIONAL_FIELDS: Record<EntityType, readonly string[]> = {
  services: ['path'],
  routes: ['hosts', 'paths', 'methods', 'headers', 'snis'],
  upstreams: ['host_header'],
  targets: [],
  certificates: ['cert_alt', 'key_alt'],
  snis: [],
};

/** Not content: identity, timestamps, nested children. */
const NOT_CONTENT: Record<EntityType, readonly string[]> = {
  services: ['routes'], routes: [], upstreams: ['targets'], targets: [], certificates: ['snis'], snis: [],
};
const META_FIELDS = ['id', 'created_at', 'updated_at', 'ws_id'];

/** Kong stores targets as `host:port`, port 8000 when none is given, IPv6 bracketed. */
export function normalizeTarget(target: string): string {
  if (target.startsWith('[')) return /\]:\d+$/.test(target) ? target : `${target}:8000`;
  const colons = target.split(':').length - 1;
  if (colons === 0) return `${target}:8000`;
  if (colons === 1) return target;
  return `[${target}]:8000`;
}

/** DB-less bodies leave the ownership tag out (dblessBody); in DB mode both sides carry it. */
function withoutOwnershipTag(field: string, value: unknown): unknown {
  return field === 'tags' && Array.isArray(value) ? value.filter((tag) => tag !== OWNERSHIP_TAG) : value;
}

function normalizeField(type: EntityType, field: string, raw: unknown): unknown {
  const value = withoutOwnershipTag(field, raw);
  if (value === undefined || value === null) return null;
  if (field === PARENT_FIELD[type]) return foreignId(value) ?? null;
  if (type === 'targets' && field === 'target' && typeof value === 'string') return normalizeTarget(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return null;
    return SET_FIELDS.has(field) ? [...(value as unknown[])].map(String).sort() : value;
  }
  if (typeof value === 'object' && Object.keys(value).length === 0) return null;
  return value;
}

function comparedFields(type: EntityType, desired: Record<string, unknown>): string[] {
  const skip = new Set([...META_FIELDS, ...NOT_CONTENT[type]]);
  const fields = new Set([...Object.keys(desired), ...OPTIONAL_FIELDS[type]]);
  return [...fields].filter((f) => !skip.has(f)).sort();
}

/** Fields whose desired value differs from Kong's current one (empty = same). */
export function changedFields(desired: FlatEntity, current: FlatEntity): string[] {
  return comparedFields(desired.type, desired.body).filter((field) => {
    const want = normalizeField(desired.type, field, desired.body[field]);
    const have = normalizeField(desired.type, field, current.body[field]);
    return canonicalJson(want) !== canonicalJson(have);
  });
}

/** The body to PUT: the desired entity without id and nested children. */
export function writeBody(entity: FlatEntity): Record<string, unknown> {
  const skip = new Set([...META_FIELDS, ...NOT_CONTENT[entity.type]]);
  return Object.fromEntries(Object.entries(entity.body).filter(([key, value]) => !skip.has(key) && value !== undefined));
}

/** Hash of an entity's content (timestamps left out), for the per-entity cache. */
export function entityContentHash(body: Record<string, unknown>): string {
  const { created_at: _c, updated_at: _u, ...rest } = body;
  return contentHash(rest);
}
