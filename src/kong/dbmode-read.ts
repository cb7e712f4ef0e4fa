// Reads the entities meshdoor owns from a DB-mode Kong: tag-filtered lists,
// 1000 per page. Anything without the ownership tag is dropped even if Kong
// returned it, so a sync can never change or delete a foreign entity.
import type { KongAdminClient } from './admin-client.ts';
import { KONG_ENTITY_KINDS, OWNERSHIP_TAG, type KongEntityKind } from '../model/index.ts';
import type { EntityType, FlatEntity } from './entities.ts';
import { entityKey, flatEntityFromRecord } from './entities.ts';

export const OWNED_PAGE_SIZE = 1000;

/** Kinds listed by tag; the rest (targets, credentials) only under their parent. */
const TAG_LISTED: readonly EntityType[] = KONG_ENTITY_KINDS.filter((kind) => !kind.underParent).map((kind) => kind.table);
const LISTED_UNDER_PARENT: readonly KongEntityKind[] = KONG_ENTITY_KINDS.filter((kind) => kind.underParent && kind.parent !== undefined);

type KongRecord = Record<string, unknown>;

export interface OwnedEntities {
  entities: FlatEntity[];
  /**
   * Owned parents that foreign children hang off (targets under an upstream,
   * SNIs under a certificate, credentials under a consumer). Kong deletes those children with the parent,
   * so such a parent must not be deleted. Keyed by `entityKey`.
   */
  parentsWithForeignChildren: Set<string>;
}

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

async function listOwned(client: KongAdminClient, type: EntityType): Promise<KongRecord[]> {
  const records: object[] = await client.listEntities(type, { tags: [OWNERSHIP_TAG], size: OWNED_PAGE_SIZE });
  return (records as KongRecord[]).filter(isOwned);
}

/** Children listed per owned parent; nested lists ignore tags, so the caller filters. */
async function listChildren(client: KongAdminClient, type: EntityType, parentId: string): Promise<KongRecord[]> {
  const records: object[] = await client.listEntities(type, { parent: parentId, size: OWNED_PAGE_SIZE });
  return records as KongRecord[];
}

/** The owned children of each owned parent, as flat entities; a parent with foreign children is protected. */
async function readChildren(client: KongAdminClient, byType: ReadonlyMap<EntityType, KongRecord[]>, out: OwnedEntities): Promise<void> {
  const lists = LISTED_UNDER_PARENT.flatMap((kind) => (byType.get(kind.parent?.table ?? kind.table) ?? []).map((parent) => ({ kind, parent })));
  await Promise.all(lists.map(async ({ kind, parent }) => {
    const parentId = String(parent.id);
    const children = await listChildren(client, kind.table, parentId);
    if (children.some((c) => !isOwned(c))) out.parentsWithForeignChildren.add(entityKey({ type: kind.parent?.table ?? kind.table, id: parentId }));
    for (const c of children.filter(isOwned)) out.entities.push({ ...flatEntityFromRecord(kind.table, c), parentId });
  }));
}

/** Every owned entity on the gateway, or OwnedReadError. */
export async function readOwnedEntities(client: KongAdminClient): Promise<OwnedEntities> {
  try {
    const lists = await Promise.all(TAG_LISTED.map(async (type) => [type, await listOwned(client, type)] as const));
    const byType = new Map(lists);
    const entities = lists.flatMap(([type, records]) => records.map((r) => flatEntityFromRecord(type, r)));
    const parentsWithForeignChildren = new Set<string>();
    const ownedSniNames = new Set((byType.get('snis') ?? []).map((s) => s.name));
    for (const certificate of byType.get('certificates') ?? []) {
      const names = Array.isArray(certificate.snis) ? (certificate.snis as unknown[]) : [];
      if (names.some((n) => !ownedSniNames.has(n))) parentsWithForeignChildren.add(entityKey({ type: 'certificates', id: String(certificate.id) }));
    }
    const owned: OwnedEntities = { entities, parentsWithForeignChildren };
    await readChildren(client, byType, owned);
    return owned;
  } catch (error) {
    throw new OwnedReadError(error);
  }
}
