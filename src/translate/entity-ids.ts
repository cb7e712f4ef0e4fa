// Kong entity ids (UUIDv5 of the entity's name, src/model/kong-ids.ts), remembered:
// names are stable from one translation to the next, and hashing them again
// was a sixth of a 10k-Ingress translation. Same inputs, same ids.
import { kongEntityId, kongTargetId } from '../model/index.ts';
import type { KongEntityTable } from '../model/index.ts';

/** Ids kept per generation; enough for the entities of ~100k Ingresses. */
const GENERATION_SIZE = 300_000;

/** Ids by table (or upstream id, for targets), then by key: no key is built to look one up. */
type Generation = Map<string, Map<string, string>>;

/**
 * A translator's ids, kept in two generations instead of an LRU list (whose
 * bookkeeping cost as much as it saved): ids in use are copied forward, the
 * rest go with the old generation.
 */
export class EntityIds {
  private current: Generation = new Map();
  private previous: Generation = new Map();
  private currentSize = 0;

  entity(table: KongEntityTable, key: string): string {
    return this.remembered(table, key, () => kongEntityId(table, key));
  }

  target(upstreamId: string, target: string): string {
    // Upstream ids are UUIDs: they never equal a table name.
    return this.remembered(upstreamId, target, () => kongTargetId(upstreamId, target));
  }

  private remembered(scope: string, key: string, compute: () => string): string {
    let id = this.current.get(scope)?.get(key);
    if (id !== undefined) return id;
    id = this.previous.get(scope)?.get(key) ?? compute();
    if (this.currentSize >= GENERATION_SIZE) {
      this.previous = this.current;
      this.current = new Map();
      this.currentSize = 0;
    }
    let ofScope = this.current.get(scope);
    if (ofScope === undefined) {
      ofScope = new Map();
      this.current.set(scope, ofScope);
    }
    ofScope.set(key, id);
    this.currentSize += 1;
    return id;
  }
}
