// Reads the entities meshdoor owns from a DB-mode Kong: tag-filtered lists,
// 1000 per page. Anything without the ownership tag is dropped even if Kong
// returned it, so a sync can never change or delete a foreign entity.
import type { KongAdminClient } from './admin-client.ts';
import { pathSegment } from './admin-client.ts';
import { OWNERSHIP_TAG } from './declarative.ts';
import type { EntityType, FlatEntity } from './entities.ts';
import { flatEntityFromRecord } from './entities.ts';

export const OWNED_PAGE_SIZE = 1000;

const TOP_LEVEL: readonly EntityType[] = ['certificates', 'snis', 'services', 'routes', 'upstreams'];

type KongRecord = Record<string, unknown>;

export function isOwned(record: KongRecord): boolean {
  return Array.isArray(record.tags) && record.tags.includes(OWNERSHIP_TAG);
}

/** Thrown when the owned entities could not be read; the sync must not write. */
export class OwnedReadError extends Error {
  constructor(cause: unknown) {
    super(`could not list meshdoor-owned entities, nothing was changed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'OwnedReadError';
  }
}

async function listOwned(client: KongAdminClient, type: EntityType): Promise<FlatEntity[]> {
  const records = await client.listAll<KongRecord>(`/${type}`, { tags: [OWNERSHIP_TAG], size: OWNED_PAGE_SIZE });
  return records.filter(isOwned).map((r) => flatEntityFromRecord(type, r));
}

/** Targets are listed per owned upstream; nested lists ignore tags, so filter here. */
async function listOwnedTargets(client: KongAdminClient, upstreams: readonly FlatEntity[]): Promise<FlatEntity[]> {
  const lists = await Promise.all(upstreams.map(async (upstream) => {
    const records = await client.listAll<KongRecord>(`/upstreams/${pathSegment(upstream.id)}/targets`, { size: OWNED_PAGE_SIZE });
    return records.filter(isOwned).map((r) => ({ ...flatEntityFromRecord('targets', r), parentId: upstream.id }));
  }));
  return lists.flat();
}

/** Every owned entity on the gateway, or OwnedReadError. */
export async function readOwnedEntities(client: KongAdminClient): Promise<FlatEntity[]> {
  try {
    const lists = await Promise.all(TOP_LEVEL.map((type) => listOwned(client, type)));
    const all = lists.flat();
    const targets = await listOwnedTargets(client, all.filter((e) => e.type === 'upstreams'));
    return [...all, ...targets];
  } catch (error) {
    throw new OwnedReadError(error);
  }
}
