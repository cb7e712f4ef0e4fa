// Kong entity ids (UUIDv5 of the entity's name, src/model/kong-ids.ts), remembered:
// names are stable from one translation to the next, and hashing them again
// was a sixth of a 10k-Ingress translation. Same inputs, same ids.
import { kongEntityId, kongTargetId } from '../model/index.ts';
import type { KongEntityTable } from '../model/index.ts';
import type { KeyedRef } from './objects.ts';
import { TwoGenerations } from './two-generations.ts';

/** Ids kept per generation; enough for the entities of ~100k Ingresses. */
const GENERATION_SIZE = 300_000;
/** Ids an object's ref keeps (an Ingress has a route or two per rule): past that, it starts again. */
const IDS_PER_OWNER = 24;

/**
 * A translator's ids, by table (or upstream id, for targets), then by key;
 * ids in use are carried from one generation to the next.
 */
export class EntityIds {
  private readonly ids = new TwoGenerations<string>(GENERATION_SIZE);

  entity(table: KongEntityTable, key: string): string {
    return this.ids.find(table, key) ?? this.ids.remember(table, key, kongEntityId(table, key));
  }

  /**
   * The id of an entity named for `owner` (an Ingress's routes, a Service's
   * Kong services and upstreams): found among the ids kept on the owner's
   * ref, which a relisted copy of the object shares, before any lookup by name.
   */
  entityFor(owner: KeyedRef, table: KongEntityTable, name: string): string {
    const known = owner.ids;
    if (known !== undefined) {
      for (let i = 0; i < known.length; i += 3) if (known[i + 1] === name && known[i] === table) return known[i + 2] as string;
    }
    const id = this.entity(table, name);
    if (known === undefined || known.length >= IDS_PER_OWNER * 3) owner.ids = [table, name, id];
    else known.push(table, name, id);
    return id;
  }

  target(upstreamId: string, target: string): string {
    // Upstream ids are UUIDs: they never equal a table name.
    return this.ids.find(upstreamId, target) ?? this.ids.remember(upstreamId, target, kongTargetId(upstreamId, target));
  }
}
