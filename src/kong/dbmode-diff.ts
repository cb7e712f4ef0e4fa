// Pure DB-mode diff: desired flat entities against the owned entities read
// from Kong, by id and content. The result is exactly the writes to make:
// creates/updates what others refer to first, deletes in reverse.
import { changedFields, entityContentHash } from './entity-compare.ts';
import type { EntityType, FlatEntity } from './entities.ts';
import { entityKey } from './entities.ts';
import { KIND_LEVELS } from '../model/index.ts';

export interface EntityChange {
  action: 'create' | 'update' | 'delete';
  /** Desired entity for create/update; the current one for delete. */
  entity: FlatEntity;
  /** Fields that differ (updates only). */
  fields?: string[];
}

/** What the engine remembered about an entity after its last write or check. */
export interface KnownEntityHashes {
  /** Hash of the desired entity. */
  desired: string;
  /** Hash of Kong's copy as it was then. */
  observed: string;
}

export interface EntityDiff {
  /** In apply order. */
  changes: EntityChange[];
  /** Entities already as desired, with Kong's copy (to refresh the cache). */
  unchanged: { desired: FlatEntity; current: FlatEntity }[];
}

// What others refer to first (services, consumers), then routes and credentials, then plugins.
const UPSERT_ORDER: readonly EntityType[] = KIND_LEVELS.flat();
const DELETE_ORDER: readonly EntityType[] = [...KIND_LEVELS].reverse().flat();

function byTypeOrder(order: readonly EntityType[]) {
  return (a: EntityChange, b: EntityChange): number =>
    order.indexOf(a.entity.type) - order.indexOf(b.entity.type) || a.entity.id.localeCompare(b.entity.id);
}

/**
 * A cached pair lets an entity skip the field comparison only when both the
 * desired entity and Kong's copy are byte-for-byte what they were, so an edit
 * made by someone else (drift) is always compared and repaired.
 */
function isKnownUnchanged(known: KnownEntityHashes | undefined, desired: FlatEntity, current: FlatEntity): boolean {
  return known !== undefined
    && known.desired === entityContentHash(desired.body)
    && known.observed === entityContentHash(current.body);
}

export function diffEntities(
  desired: readonly FlatEntity[],
  current: readonly FlatEntity[],
  lookupKnown: (key: string) => KnownEntityHashes | undefined = () => undefined,
): EntityDiff {
  const currentByKey = new Map(current.map((e) => [entityKey(e), e]));
  const desiredKeys = new Set<string>();
  const upserts: EntityChange[] = [];
  const unchanged: EntityDiff['unchanged'] = [];
  for (const want of desired) {
    const key = entityKey(want);
    if (desiredKeys.has(key)) continue;
    desiredKeys.add(key);
    const have = currentByKey.get(key);
    if (have === undefined) {
      upserts.push({ action: 'create', entity: want });
    } else if (isKnownUnchanged(lookupKnown(key), want, have)) {
      unchanged.push({ desired: want, current: have });
    } else {
      const fields = changedFields(want, have);
      if (fields.length === 0) unchanged.push({ desired: want, current: have });
      else upserts.push({ action: 'update', entity: want, fields });
    }
  }
  const deletes: EntityChange[] = current
    .filter((have) => !desiredKeys.has(entityKey(have)))
    .map((have) => ({ action: 'delete', entity: have }));
  return {
    changes: [...upserts.sort(byTypeOrder(UPSERT_ORDER)), ...deletes.sort(byTypeOrder(DELETE_ORDER))],
    unchanged,
  };
}

/** Counts of a diff's changes by action. */
export function countChanges(changes: readonly EntityChange[]): { created: number; updated: number; deleted: number } {
  return {
    created: changes.filter((c) => c.action === 'create').length,
    updated: changes.filter((c) => c.action === 'update').length,
    deleted: changes.filter((c) => c.action === 'delete').length,
  };
}
