// What a sync would change on one gateway, without writing: DB mode diffs
// against the owned entities, DB-less against the config the gateway runs
// (GET /config), since a DB-less push replaces everything.
import { parse as parseYaml } from 'yaml';
import type { KongAdminClient } from './admin-client.ts';
import { desiredOwnedEntities } from './dbmode-engine.ts';
import { diffEntities } from './dbmode-diff.ts';
import type { EntityChange, EntityDiff } from './dbmode-diff.ts';
import { readOwnedEntities } from './dbmode-read.ts';
import { KONG_ENTITY_TYPES, type KongConfig } from '../model/index.ts';
import type { FlatEntity } from './entities.ts';
import { flatEntityFromRecord, flattenKongConfig } from './entities.ts';
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
  return KONG_ENTITY_TYPES.flatMap((type) => {
    const records = tables[type];
    return Array.isArray(records)
      ? records.filter((r): r is Record<string, unknown> => r !== null && typeof r === 'object').map((r) => flatEntityFromRecord(type, r))
      : [];
  });
}

/**
 * Kong gives the SNIs nested under a certificate a new random id on every
 * DB-less load, so the SNIs it runs are matched to the desired ones by name
 * (unique in Kong); only their content then counts.
 */
export function matchSnisByName(desired: readonly FlatEntity[], current: readonly FlatEntity[]): FlatEntity[] {
  const idByName = new Map(desired.filter((e) => e.type === 'snis').map((e) => [String(e.body['name']), e.id]));
  return current.map((entity) => {
    const id = entity.type === 'snis' ? idByName.get(String(entity.body['name'])) : undefined;
    return id === undefined ? entity : { ...entity, id };
  });
}

/** Pure: the DB-less diff of the desired flat entities against the gateway's `GET /config` export. */
export function diffDeclarativeExport(desired: readonly FlatEntity[], exportText: string): EntityDiff {
  return diffEntities(desired, matchSnisByName(desired, entitiesFromDeclarativeExport(exportText)));
}

export async function diffGateway(client: KongAdminClient, config: KongConfig, mode: KongMode): Promise<GatewayDiff> {
  if (mode === 'db') {
    const owned = await readOwnedEntities(client);
    const diff = diffEntities(desiredOwnedEntities(config), owned.entities);
    return { mode, changes: diff.changes, unchanged: diff.unchanged.length };
  }
  const diff = diffDeclarativeExport(flattenKongConfig(config), await client.getConfig());
  return { mode, changes: diff.changes, unchanged: diff.unchanged.length };
}
