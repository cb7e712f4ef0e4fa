// Deterministic entity ids, computed the way Kong's declarative loader does:
// id = uuid5(uuid5(NAMESPACE, "<entity table>"), key). See docs/kong-ids.md.
import { hash } from 'node:crypto';
import type { KongEntityType } from './kong-entity-kinds.ts';

const KONG_DECLARATIVE_NAMESPACE = 'fd02801f-0957-4a15-a55a-c8d9606f30b5';

/** The tables meshdoor writes. */
export type KongEntityTable = KongEntityType;

/** Every table, checked against the type; their namespaces are computed once, at load. */
const TABLES: Readonly<Record<KongEntityTable, true>> = {
  certificates: true, services: true, upstreams: true, snis: true, routes: true, targets: true, plugins: true,
  consumers: true, keyauth_credentials: true, basicauth_credentials: true, hmacauth_credentials: true, jwt_secrets: true, acls: true,
};

const HEX_BYTES: readonly string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replaceAll('-', ''), 'hex');
}

/** RFC 9562 UUIDv5: SHA-1 of namespace and name, version and variant bits set. */
function uuidV5(namespace: Uint8Array, name: string): string {
  // One buffer and a one-shot hash: a Hash object per id cost twice as much (ids of every entity of a pass at start).
  const input = Buffer.allocUnsafe(namespace.length + Buffer.byteLength(name));
  input.set(namespace, 0);
  input.write(name, namespace.length, 'utf8');
  const h = hash('sha1', input, 'buffer');
  const hex = (i: number): string => HEX_BYTES[h[i] as number] as string;
  const version = HEX_BYTES[((h[6] as number) & 0x0f) | 0x50] as string;
  const variant = HEX_BYTES[((h[8] as number) & 0x3f) | 0x80] as string;
  return `${hex(0)}${hex(1)}${hex(2)}${hex(3)}-${hex(4)}${hex(5)}-${version}${hex(7)}-${variant}${hex(9)}-${hex(10)}${hex(11)}${hex(12)}${hex(13)}${hex(14)}${hex(15)}`;
}

// As bytes, computed once at load.
const TABLE_NAMESPACES = Object.freeze(Object.fromEntries(
  Object.keys(TABLES).map((table): [string, Uint8Array] => [table, uuidBytes(uuidV5(uuidBytes(KONG_DECLARATIVE_NAMESPACE), table))]),
)) as Readonly<Record<KongEntityTable, Uint8Array>>;

/** The id Kong itself would give an entity whose unique key is `key`. */
export function kongEntityId(table: KongEntityTable, key: string): string {
  return uuidV5(TABLE_NAMESPACES[table], key);
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
