// Pure comparison of a desired entity with Kong's read-back of it. Only the
// fields meshdoor sets are compared, after normalising Kong's read shape
// (nulls for unset fields, sets in any order, FKs as {id}, targets as host:port,
// basic-auth passwords hashed). A plugin's config is compared by the fields
// meshdoor's copy has: Kong fills in every other field of the plugin's schema
// (the engine completes meshdoor's copy with the defaults when it knows the
// schema) and also lists deprecated aliases of some fields on read.
import { createHash } from 'node:crypto';
import { canonicalJson, contentHash } from './config-hash.ts';
import { KONG_ENTITY_KINDS, OWNERSHIP_TAG, entityKind, foreignKeysOf, type KongEntityKind, type KongEntityType } from '../model/index.ts';
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
  if (foreignKeysOf(kind)[field] !== undefined) return foreignId(value) ?? null;
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
  [kind, new Set<string>([...META_FIELDS, ...kind.nested])]));

function notContent(kind: KongEntityKind): ReadonlySet<string> {
  return NOT_CONTENT.get(kind) ?? new Set(META_FIELDS);
}

function comparedFields(kind: KongEntityKind, desired: Record<string, unknown>): string[] {
  const skip = notContent(kind);
  const fields = new Set([...Object.keys(desired), ...kind.optional]);
  return [...fields].filter((f) => !skip.has(f)).sort();
}

/** Kong's basic-auth password hash: SHA-1 (hex) of the password followed by the consumer's id. */
export function basicAuthPasswordHash(password: string, consumerId: string): string {
  return createHash('sha1').update(`${password}${consumerId}`).digest('hex');
}

/** Fields Kong stores transformed, in the form Kong stores them. */
const STORED_FORM: Partial<Record<KongEntityType, (body: Record<string, unknown>) => Record<string, unknown>>> = {
  basicauth_credentials: (body) => (typeof body['password'] === 'string'
    ? { ...body, password: basicAuthPasswordHash(body['password'], foreignId(body['consumer']) ?? '') }
    : body),
};

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Whether Kong's record holds every field of ours (unset = null = absent); fields only Kong has do not count. */
function recordHolds(want: Record<string, unknown>, have: Record<string, unknown>): boolean {
  return Object.entries(want).every(([key, value]) => {
    const other = have[key];
    if (isRecord(value) && isRecord(other)) return recordHolds(value, other);
    if (value === null || value === undefined) return other === null || other === undefined;
    return canonicalJson(value) === canonicalJson(other);
  });
}

function fieldDiffers(kind: KongEntityKind, field: string, want: unknown, have: unknown): boolean {
  if (kind.table === 'plugins' && field === 'config' && isRecord(want) && isRecord(have)) return !recordHolds(want, have);
  return canonicalJson(normalizeField(kind, field, want)) !== canonicalJson(normalizeField(kind, field, have));
}

/** Fields whose desired value differs from Kong's current one (empty = same). */
export function changedFields(desired: FlatEntity, current: FlatEntity): string[] {
  const kind = entityKind(desired.type);
  const want = STORED_FORM[kind.table]?.(desired.body) ?? desired.body;
  return comparedFields(kind, desired.body).filter((field) => fieldDiffers(kind, field, want[field], current.body[field]));
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
