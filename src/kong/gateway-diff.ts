// What a sync would change on one gateway, without writing: DB mode diffs
// against the owned entities, DB-less against the config the gateway runs
// (GET /config), since a DB-less push replaces everything.
import { parse as parseYaml } from 'yaml';
import type { KongAdminClient } from './admin-client.ts';
import { desiredOwnedEntities } from './dbmode-engine.ts';
import { diffEntities } from './dbmode-diff.ts';
import type { EntityChange } from './dbmode-diff.ts';
import { readOwnedEntities } from './dbmode-read.ts';
import type { KongConfig } from './declarative.ts';
import type { FlatEntity } from './entities.ts';
import { ENTITY_TYPES, flatEntityFromRecord, flattenKongConfig } from './entities.ts';
import type { KongMode } from './sync-types.ts';

export interface GatewayDiff {
  mode: KongMode;
  /** In apply order. */
  changes: EntityChange[];
  unchanged: number;
}

/** Pure: the flat entities of a `GET /config` YAML document. */
export function entitiesFromDeclarativeExport(text: string): FlatEntity[] {
  const doc: unknown = text.trim() === '' ? {} : parseYaml(text);
  if (doc === null || typeof doc !== 'object') return [];
  const tables = doc as Record<string, unknown>;
  return ENTITY_TYPES.flatMap((type) => {
    const records = tables[type];
    return Array.isArray(records)
      ? records.filter((r): r is Record<string, unknown> => r !== null && typeof r === 'object').map((r) => flatEntityFromRecord(type, r))
      : [];
  });
}

export async function diffGateway(client: KongAdminClient, config: KongConfig, mode: KongMode): Promise<GatewayDiff> {
  if (mode === 'db') {
    const owned = await readOwnedEntities(client);
    const diff = diffEntities(desiredOwnedEntities(config), owned.entities);
    return { mode, changes: diff.changes, unchanged: diff.unchanged.length };
  }
  const current = entitiesFromDeclarativeExport(await client.getConfig());
  const diff = diffEntities(flattenKongConfig(config), current);
  return { mode, changes: diff.changes, unchanged: diff.unchanged.length };
}
