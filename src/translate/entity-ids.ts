// Kong entity ids (UUIDv5 of the entity's name, src/model/kong-ids.ts), remembered:
// names are stable from one translation to the next, and hashing them again
// was a sixth of a 10k-Ingress translation. Same inputs, same ids.
import { kongEntityId, kongTargetId } from '../model/index.ts';
import type { KongEntityTable } from '../model/index.ts';
import { TwoGenerations } from './two-generations.ts';

/** Ids kept per generation; enough for the entities of ~100k Ingresses. */
const GENERATION_SIZE = 300_000;

/**
 * A translator's ids, by table (or upstream id, for targets), then by key;
 * ids in use are carried from one generation to the next.
 */
export class EntityIds {
  private readonly ids = new TwoGenerations<string>(GENERATION_SIZE);

  entity(table: KongEntityTable, key: string): string {
    return this.ids.find(table, key) ?? this.ids.remember(table, key, kongEntityId(table, key));
  }

  target(upstreamId: string, target: string): string {
    // Upstream ids are UUIDs: they never equal a table name.
    return this.ids.find(upstreamId, target) ?? this.ids.remember(upstreamId, target, kongTargetId(upstreamId, target));
  }
}
