// Deterministic entity ids, computed the way Kong's declarative loader does:
// id = uuid5(uuid5(NAMESPACE, "<entity table>"), key). See docs/kong-ids.md.
import { parse as uuidParse, v5 as uuidv5 } from 'uuid';
import type { KongEntityType } from './kong-entity-kinds.ts';

const KONG_DECLARATIVE_NAMESPACE = 'fd02801f-0957-4a15-a55a-c8d9606f30b5';

/** The tables meshdoor writes. */
export type KongEntityTable = KongEntityType;

/** Every table, checked against the type; their namespaces are computed once, at load. */
const TABLES: Readonly<Record<KongEntityTable, true>> = {
  certificates: true, services: true, upstreams: true, snis: true, routes: true, targets: true, plugins: true,
  consumers: true, keyauth_credentials: true, basicauth_credentials: true, hmacauth_credentials: true, jwt_secrets: true, acls: true,
};

// As bytes: uuid parses a namespace given as a string twice per id.
const TABLE_NAMESPACES = Object.freeze(Object.fromEntries(
  Object.keys(TABLES).map((table) => [table, uuidParse(uuidv5(table, KONG_DECLARATIVE_NAMESPACE))]),
)) as Readonly<Record<KongEntityTable, Uint8Array>>;

/** The id Kong itself would give an entity whose unique key is `key`. */
export function kongEntityId(table: KongEntityTable, key: string): string {
  return uuidv5(key, TABLE_NAMESPACES[table]);
}

/** Targets are keyed by their cache key: "targets:*:<upstream id>:<target>". */
export function kongTargetId(upstreamId: string, target: string): string {
  return kongEntityId('targets', `targets:*:${upstreamId}:${target}`);
}

/** Where a plugin applies; no id at all is a global plugin. */
export interface PluginAttachmentIds {
  routeId?: string;
  serviceId?: string;
  consumerId?: string;
}

/** Plugins are keyed by their cache key: `plugins:*:<name>:<route>:<service>:<consumer>`. */
export function kongPluginId(name: string, at: PluginAttachmentIds): string {
  return kongEntityId('plugins', `plugins:*:${name}:${at.routeId ?? ''}:${at.serviceId ?? ''}:${at.consumerId ?? ''}`);
}
