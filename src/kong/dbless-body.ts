// The body of a DB-less POST /config, minus what Kong fills in by itself,
// which was over half of it (a 10k-Ingress config went past Kong's 10 MiB
// admin body limit):
// - ids Kong derives the same way (docs/kong-ids.md): services,
//   routes, upstreams and SNIs from their names, targets from their upstream
//   and target; certificates have no name and keep theirs;
// - fields equal to Kong's schema default (docs/kong-admin-api.md#what-kong-fills-in);
// - the ownership tag: a DB-less gateway runs meshdoor's config and nothing else.
// Plugins and consumers (credentials nested) are written only when there are
// some, so a config without them keeps its bytes; a plugin's route, service and
// consumer are written as plain ids, Kong's declarative form of a reference.
// It is written as YAML flow collections (JSON-like, keys sorted) in which the
// tags, hosts and names an entity repeats from its neighbours are anchored
// once and aliased after (flow-yaml.ts): the k8s-* tags were over 40 % of it.
// Lists are written in chunks of entities, and the text of a chunk whose
// entities are the same (deep-frozen) entities as before is reused; the MD5
// goes on from the state after the unchanged leading pieces. So a pass that
// changed one Ingress serializes one chunk and hashes from there on.
import {
  TOP_LEVEL_KINDS, OWNERSHIP_TAG, declarativeIdOf, defaultsOf, entityKind, type KongConfig, type KongEntityKind, type KongEntityType,
} from '../model/index.ts';
import { canonicalJson } from './config-hash.ts';
import { BodyChunks, type ChunkCounts } from './body-chunks.ts';
import { flowChunk, yamlQuoted } from './flow-yaml.ts';

type Fields = Record<string, unknown>;

function sameValue(kind: KongEntityKind, field: string, a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b) && kind.sets.includes(field)) {
    return a.length === b.length && b.every((item) => a.includes(item));
  }
  return typeof a === 'object' && typeof b === 'object' && canonicalJson(a) === canonicalJson(b);
}

/**
 * The id when Kong cannot do without it: an entity with an endpoint key is
 * known by it, unless other lists refer to it by an id Kong would not derive.
 */
function keepsId(kind: KongEntityKind, entity: Fields): boolean {
  if (kind.endpointKey === undefined) return true;
  return kind.referencedById === true && declarativeIdOf(kind, entity) !== entity.id;
}

/** The declarative form of a reference: the id itself (the Admin API's `{id}`). */
function referenceValue(value: unknown): unknown {
  return value !== null && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string' ? (value as { id: string }).id : value;
}

/**
 * The fields Kong needs: no id it derives or that nothing refers to, no
 * default, no ownership tag, references as plain ids; nested children written
 * the same way (a kind with several nested lists leaves its empty ones out).
 */
function ownFields(kind: KongEntityKind, entity: Fields): Fields {
  const defaults = defaultsOf(kind, entity);
  const fields: Fields = {};
  for (const [key, value] of Object.entries(entity)) {
    if (kind.nested.includes(key as KongEntityType) || (key === 'id' && !keepsId(kind, entity))) continue;
    if (key in defaults && sameValue(kind, key, value, defaults[key])) continue;
    if (kind.references?.[key] !== undefined) fields[key] = referenceValue(value);
    else fields[key] = key === 'tags' && Array.isArray(value) ? value.filter((tag) => tag !== OWNERSHIP_TAG) : value;
  }
  for (const nested of kind.nested) {
    const items = (entity[nested] ?? []) as Fields[];
    if (items.length === 0 && kind.nested.length > 1) continue;
    const child = entityKind(nested);
    fields[nested] = items.map((item) => ownFields(child, item));
  }
  return fields;
}

type ChunkWriter = (items: readonly object[]) => string;

/** One writer per list, the same on every push. */
const WRITERS: ReadonlyMap<KongEntityKind, ChunkWriter> = new Map(TOP_LEVEL_KINDS.map((kind) =>
  [kind, (items: readonly object[]) => flowChunk(items.map((item) => ownFields(kind, item as Fields)))]));

/** The top-level lists in the sorted order flowChunk writes keys in. */
const LISTS = [...TOP_LEVEL_KINDS].sort((a, b) => (a.table < b.table ? -1 : 1));

export interface DblessBody {
  text: string;
  /** Kong's configuration_hash for it: its MD5. */
  md5: string;
}

/**
 * Writes POST /config bodies, remembering the last body's chunks and MD5
 * states so the next body reuses what did not change. One per DB-less engine:
 * its gateways share one config, whose pieces and hash are made once.
 */
export class DblessBodyWriter {
  readonly #chunks = new BodyChunks();
  // The joined text is not kept (the config outlives the push; ~10 MB at 10k Ingresses).
  readonly #bodies = new WeakMap<KongConfig, { parts: string[]; md5: string }>();

  /** The POST /config body for `config` and its MD5: same config, same bytes. */
  bodyAndHash(config: KongConfig): DblessBody {
    let body = this.#bodies.get(config);
    if (body === undefined) {
      const parts = this.#bodyParts(config);
      body = { parts, md5: this.#chunks.md5OfParts(parts) };
      this.#bodies.set(config, body);
    }
    return { text: body.parts.join(''), md5: body.md5 };
  }

  /** Chunks of each list the last new body wrote and reused (by table name). */
  chunkCounts(): Record<string, ChunkCounts> {
    return Object.fromEntries(LISTS.map((kind) => [kind.table, this.#chunks.counts(kind.table)]));
  }

  /**
   * The body in pieces, in order: `{_format_version: …`, then each list's key
   * and the list as `[`, chunks, `,` between them, `]`, in the sorted order
   * flowChunk writes keys in. Plugins and consumers only when there are some.
   */
  #bodyParts(config: KongConfig): string[] {
    const lists = config as unknown as Record<string, readonly object[]>;
    const parts = [`{_format_version: ${yamlQuoted(config._format_version)}`];
    for (const kind of LISTS) {
      if (kind.optionalList === true && (lists[kind.table] ?? []).length === 0) continue;
      parts.push(`,${kind.table}: `, ...this.#chunks.listParts(kind.table, lists[kind.table] ?? [], WRITERS.get(kind) as ChunkWriter));
    }
    parts.push('}');
    return parts;
  }
}

/** The POST /config body for `config`, written from scratch (commands, tests). */
export function dblessBody(config: KongConfig): string {
  return new DblessBodyWriter().bodyAndHash(config).text;
}
