// Listing as Kong pages it (kong/api/endpoints.lua extract_options, Postgres
// strategy): size 1..1000 (default 100), offset = unpadded base64 of
// `["<last id>"]`, tag filters `a,b` (AND) or `a/b` (OR), at most 5 tags.
import { invalidOffset, invalidOption, invalidSize } from './errors.ts';
import type { DoubleRecord } from './store.ts';

export interface PageRequest {
  /** Collection path used in `next`, e.g. `/services`. */
  path: string;
  query: URLSearchParams;
  /** Nested lists (`/upstreams/u/targets`) ignore tags and keep no size/tags in `next`. */
  nested: boolean;
  /** DB-less (LMDB) paging: offsets are cache keys, and a bad offset just ends the list. */
  dbless?: { entity: string; workspace: string };
}

export interface Page {
  data: DoubleRecord[];
  offset?: string;
  next: string | null;
}

export function parseSize(raw: string | null): number {
  if (raw === null) return 100;
  if (raw.trim() === '' || Number.isNaN(Number(raw))) throw invalidSize('size must be a number');
  const size = Number(raw);
  if (!Number.isInteger(size) || size < 1 || size > 1000) throw invalidSize('size must be an integer between 1 and 1000');
  return size;
}

type TagFilter = { tags: string[]; mode: 'and' | 'or' };

export function parseTags(raw: string | null): TagFilter | undefined {
  if (raw === null) return undefined;
  if (raw === '') throw invalidOption('tags', 'cannot be null');
  const hasAnd = raw.includes(',');
  const hasOr = raw.includes('/');
  if (hasAnd && hasOr) throw invalidOption('tags', 'invalid filter syntax');
  const tags = raw.split(hasOr ? '/' : ',');
  if (tags.some((t) => t === '')) throw invalidOption('tags', 'invalid filter syntax');
  if (tags.length > 5) throw invalidOption('tags', 'cannot query more than 5 tags');
  return { tags, mode: hasOr ? 'or' : 'and' };
}

function matchesTags(record: DoubleRecord, filter: TagFilter): boolean {
  const tags = Array.isArray(record.tags) ? (record.tags as unknown[]) : [];
  return filter.mode === 'and' ? filter.tags.every((t) => tags.includes(t)) : filter.tags.some((t) => tags.includes(t));
}

export function encodeOffset(lastId: string): string {
  return Buffer.from(JSON.stringify([lastId])).toString('base64').replace(/=+$/, '');
}

/** LMDB key of a DB-less page's last entity: `<entity>|<workspace>|*|<id>` (`*` for a tag query). */
function lmdbOffset(dbless: NonNullable<PageRequest['dbless']>, tagged: boolean, lastId: string): string {
  const key = `${dbless.entity}|${tagged ? '*' : dbless.workspace}|*|${lastId}\0`;
  return Buffer.from(key).toString('base64').replace(/=+$/, '');
}

function lmdbLastId(token: string): string | undefined {
  const key = Buffer.from(token, 'base64').toString('utf8');
  return /^[a-z_]+\|[^|]+\|\*\|([^|\0]+)\0$/.exec(key)?.[1];
}

function decodeOffset(token: string, dbless: boolean): string | undefined {
  if (dbless) return lmdbLastId(token);
  if (!/^[A-Za-z0-9+/]+$/.test(token)) throw invalidOffset(token, 'base64');
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (Array.isArray(parsed) && typeof parsed[0] === 'string') return parsed[0];
  } catch {
    // fall through
  }
  throw invalidOffset(token, 'json');
}

/** One page of `records` (already ordered by id). */
export function pageOf(records: readonly DoubleRecord[], request: PageRequest): Page {
  const size = parseSize(request.query.get('size'));
  const filter = request.nested ? undefined : parseTags(request.query.get('tags'));
  const offset = request.query.get('offset');
  const after = offset === null ? undefined : decodeOffset(offset, request.dbless !== undefined);
  if (offset !== null && after === undefined) return { data: [], next: null };
  const candidates = records
    .filter((r) => after === undefined || String(r.id) > after)
    .filter((r) => filter === undefined || matchesTags(r, filter));
  const data = candidates.slice(0, size);
  if (candidates.length <= size) return { data, next: null };
  const last = data[data.length - 1];
  const lastId = typeof last?.id === 'string' ? last.id : '';
  const token = request.dbless ? lmdbOffset(request.dbless, filter !== undefined, lastId) : encodeOffset(lastId);
  const next = new URLSearchParams({ offset: token });
  if (!request.nested) {
    const tags = request.query.get('tags');
    if (tags !== null) next.set('tags', tags);
    if (request.query.get('size') !== null) next.set('size', String(size));
  }
  return { data, offset: token, next: `${request.path}?${next.toString()}` };
}
