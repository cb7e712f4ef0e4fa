// Kong entity ids (UUIDv5 of the entity's name, src/kong/ids.ts), remembered:
// names are stable from one translation to the next, and hashing them again
// was a sixth of a 10k-Ingress translation. Same inputs, same ids.
import { kongEntityId, kongTargetId } from '../kong/ids.ts';
import type { KongEntityTable } from '../kong/ids.ts';

/** Ids kept per generation; enough for the entities of ~100k Ingresses. */
const GENERATION_SIZE = 300_000;

// Two generations instead of an LRU list (whose bookkeeping cost as much as it
// saved): ids in use are copied forward, the rest go with the old generation.
let current = new Map<string, string>();
let previous = new Map<string, string>();

function remembered(cacheKey: string, compute: () => string): string {
  let id = current.get(cacheKey);
  if (id !== undefined) return id;
  id = previous.get(cacheKey) ?? compute();
  if (current.size >= GENERATION_SIZE) {
    previous = current;
    current = new Map();
  }
  current.set(cacheKey, id);
  return id;
}

export function entityId(table: KongEntityTable, key: string): string {
  return remembered(`${table}\n${key}`, () => kongEntityId(table, key));
}

export function targetId(upstreamId: string, target: string): string {
  return remembered(`target\n${upstreamId}\n${target}`, () => kongTargetId(upstreamId, target));
}
