// Pure comparison of a desired entity with Kong's read-back of it. Only the
// fields meshdoor sets are compared, after normalising Kong's read shape
// (nulls for unset fields, sets in any order, FKs as {id}, targets as host:port).
import { canonicalJson, contentHash } from './config-hash.ts';
import { KONG_ENTITY_KINDS, OWNERSHIP_TAG, entityKind, type KongEntityKind } from '../model/index.ts';
import type { FlatEntity } from './entities.ts';
import { foreignId } from './entities.ts';

/** Not content: identity and timestamps. */
const META_FIELDS = ['id', 'created_at', 'updated_at', 'ws_id'];

/** DB-less bodies leave the ownership tag out (dblessBody); in DB mode both sides carry it. */
function withoutOwnershipTag(field: string, value: unknown): unknown {
  return field === 'tags' && Array.isArray(value) ? value.filter((tag) => tag !== OWNERSHIP_TAG) : value;
}

function normalizeField(kind: KongEntityKind, field: string, raw: unknown): unknown {
  const value = withoutOwnershipTag(field, raw);
  if (value === undefined || value === null) return null;
  if (field === kind.parent?.field) return foreignId(value) ?? null;
  const normalize = kind.normalize?.[field];
  if (normalize !== undefined && typeof value === 'string') return normalize(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return null;
    return kind.sets.includes(field) ? [...(value as unknown[])].map(String).sort() : value;
  }
  if (typeof value === 'object' && Object.keys(value).length === 0) return null;
  return value;
}

/** Per kind: identity, timestamps and the nested children. */
const NOT_CONTENT: ReadonlyMap<KongEntityKind, ReadonlySet<string>> = new Map(KONG_ENTITY_KINDS.map((kind) =>
  [kind, new Set(kind.nested === undefined ? META_FIELDS : [...META_FIELDS, kind.nested])]));

function notContent(kind: KongEntityKind): ReadonlySet<string> {
  return NOT_CONTENT.get(kind) ?? new Set(META_FIELDS);
}

function comparedFields(kind: KongEntityKind, desired: Record<string, unknown>): string[] {
  const skip = notContent(kind);
  const fields = new Set([...Object.keys(desired), ...kind.optional]);
  return [...fields].filter((f) => !skip.has(f)).sort();
}

/** Fields whose desired value differs from Kong's current one (empty = same). */
export function changedFields(desired: FlatEntity, current: FlatEntity): string[] {
  const kind = entityKind(desired.type);
  return comparedFields(kind, desired.body).filter((field) => {
    const want = normalizeField(kind, field, desired.body[field]);
    const have = normalizeField(kind, field, current.body[field]);
    return canonicalJson(want) !== canonicalJson(have);
  });
}

/** The body to PUT: the desired entity without id and nested children. */
export function writeBody(entity: FlatEntity): Record<string, unknown> {
  const skip = notContent(entityKind(entity.type));
  return Object.fromEntries(Object.entries(entity.body).filter(([key, value]) => !skip.has(key) && value !== undefined));
}

/** Hash of an entity's content (timestamps left out), for the per-entity cache. */
export function entityContentHash(body: Record<string, unknown>): string {
  const { created_at: _c, updated_at: _u, ...rest } = body;
  return contentHash(rest);
}
