// Kong entity ids (UUIDv5 of the entity's name, src/model/kong-ids.ts), remembered:
// names are stable from one translation to the next, and hashing them again
// was a sixth of a 10k-Ingress translation. Same inputs, same ids.
import { kongEntityId, kongTargetId } from '../model/index.ts';
import type { KongEntityTable } from '../model/index.ts';

/** Ids kept per generation; enough for the entities of ~100k Ingresses. */
const GENERATION_SIZE = 300_000;

/**
 * A translator's ids, kept in two generations instead of an LRU list (whose
 * bookkeeping cost as much as it saved): ids in use are copied forward, the
 * rest go with the old generation.
 */
export class EntityIds {
  private current = new Map<string, string>();
  private previous = new Map<string, string>();

  entity(table: KongEntityTable, key: string): string {
    return this.remembered(`${table}\n${key}`, () => kongEntityId(table, key));
  }

  target(upstreamId: string, target: string): string {
    return this.remembered(`target\n${upstreamId}\n${target}`, () => kongTargetId(upstreamId, target));
  }

  private remembered(cacheKey: string, compute: () => string): string {
    let id = this.current.get(cacheKey);
    if (id !== undefined) return id;
    id = this.previous.get(cacheKey) ?? compute();
    if (this.current.size >= GENERATION_SIZE) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(cacheKey, id);
    return id;
  }
}
