// What Kong rejected, per entity content: the digest of the entity as we sent
// it, with what was left out for it. A later translation that still produces
// that exact entity leaves the same parts out before the first POST, so a
// change while a rejected object exists costs one POST, not a 400 and a 201.
// An edited (or re-created) object produces another entity, and a gateway of
// another Kong version is another judge: both are tried again.
import { LRUCache } from 'lru-cache';
import { contentHash } from './config-hash.ts';
import { TOP_LEVEL_KINDS, entityKind, type KongConfig, type KongEntityKind, type TranslationFailure } from '../model/index.ts';

/** One remembered rejection (also the form kept in the MeshDoor status across restarts). */
export interface RememberedRejection {
  /** `route <name>`, `service <name>`, ... */
  entity: string;
  /** sha256 of the entity as sent (a certificate without its key). */
  digest: string;
  /** Exclusion keys that left it out. */
  exclude: string[];
  failure: TranslationFailure;
  /** Version of the Kong that refused it, when known. */
  kongVersion?: string;
}

const MAX_REMEMBERED = 2000;

/** The entity as digested: without its children, and never a secret (digests are kept in the MeshDoor status). */
function digested(kind: KongEntityKind, entity: Record<string, unknown>): Record<string, unknown> {
  const left: string[] = [...kind.nested, ...(kind.secret ?? [])];
  return Object.fromEntries(Object.entries(entity).filter(([field]) => !left.includes(field)));
}

/** Pure: the digests of the named entities (`route <name>`, ...) as they appear in `config`, in one scan. */
export function entityDigests(config: KongConfig, wanted: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (kind: KongEntityKind, entities: readonly Record<string, unknown>[]): void => {
    for (const entity of entities) {
      const label = `${kind.singular} ${String(entity[kind.endpointKey ?? 'id'])}`;
      if (wanted.has(label) && !out.has(label)) out.set(label, contentHash(digested(kind, entity)));
      for (const nested of kind.nested) visit(entityKind(nested), (entity[nested] ?? []) as Record<string, unknown>[]);
    }
  };
  const lists = config as unknown as Record<string, readonly Record<string, unknown>[]>;
  for (const kind of TOP_LEVEL_KINDS) visit(kind, lists[kind.table] ?? []);
  return out;
}

export class RejectionMemory {
  readonly #byEntity = new LRUCache<string, RememberedRejection>({ max: MAX_REMEMBERED });
  /** Keys matched or learned since the last `beginSync`: what still applies to the cluster as it is. */
  #inUse = new Set<string>();

  /** A new sync starts: what it matches or learns is what `inUse()` reports afterwards. */
  beginSync(): void {
    this.#inUse = new Set();
  }

  /** The entries the last sync used or learned (the ones worth keeping across a restart), at most `max`. */
  inUse(max = MAX_REMEMBERED): RememberedRejection[] {
    return [...this.#inUse].flatMap((k) => this.#byEntity.peek(k) ?? []).slice(0, max);
  }

  /** Remembers that Kong refused `entity` as it appears in `config`; false when it cannot be found there. */
  remember(entry: Omit<RememberedRejection, 'digest'>, config: KongConfig): boolean {
    const digest = entityDigests(config, new Set([entry.entity])).get(entry.entity);
    if (digest === undefined) return false;
    const key = this.#key(entry.entity, digest);
    this.#byEntity.set(key, { ...entry, digest });
    this.#inUse.add(key);
    return true;
  }

  /** Adds entries kept elsewhere (the MeshDoor status after a restart). */
  seed(entries: readonly RememberedRejection[]): void {
    for (const e of entries) {
      this.#byEntity.set(this.#key(e.entity, e.digest), e);
      this.#inUse.add(this.#key(e.entity, e.digest));
    }
  }

  /** Every entry, most recently used first, at most `max`. */
  entries(max = MAX_REMEMBERED): RememberedRejection[] {
    return [...this.#byEntity.values()].slice(0, max);
  }

  get size(): number {
    return this.#byEntity.size;
  }

  /**
   * The remembered rejections of entities `config` still contains unchanged,
   * for a gateway of `kongVersion` (unknown versions match).
   */
  matches(config: KongConfig, kongVersion?: string): RememberedRejection[] {
    if (this.#byEntity.size === 0) return [];
    const candidates = [...this.#byEntity.values()]
      .filter((e) => kongVersion === undefined || e.kongVersion === undefined || e.kongVersion === kongVersion);
    const digests = entityDigests(config, new Set(candidates.map((e) => e.entity)));
    const matched = candidates.filter((e) => digests.get(e.entity) === e.digest);
    for (const e of matched) this.#inUse.add(this.#key(e.entity, e.digest));
    return matched;
  }

  #key(entity: string, digest: string): string {
    return `${entity}\n${digest}`;
  }
}
