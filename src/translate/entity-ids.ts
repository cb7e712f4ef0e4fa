// Kong entity ids (UUIDv5 of the entity's name, src/kong/ids.ts), remembered:
// names are stable from one translation to the next, and hashing them again
// was a sixth of a 10k-Ingress translation. Same inputs, same ids; bounded.
import { LRUCache } from 'lru-cache';
import { kongEntityId, kongTargetId } from '../kong/ids.ts';
import type { KongEntityTable } from '../kong/ids.ts';

/** Enough for the entities of ~100k Ingresses; least recently used ids go first. */
const MAX_IDS = 300_000;

const ids = new LRUCache<string, string>({ max: MAX_IDS });

export function entityId(table: KongEntityTable, key: string): string {
  const cacheKey = `${table}\n${key}`;
  let id = ids.get(cacheKey);
  if (id === undefined) {
    id = kongEntityId(table, key);
    ids.set(cacheKey, id);
  }
  return id;
}

export function targetId(upstreamId: string, target: string): string {
  const cacheKey = `target\n${upstreamId}\n${target}`;
  let id = ids.get(cacheKey);
  if (id === undefined) {
    id = kongTargetId(upstreamId, target);
    ids.set(cacheKey, id);
  }
  return id;
}
