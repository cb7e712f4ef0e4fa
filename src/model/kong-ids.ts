// Deterministic entity ids, computed the way Kong's declarative loader does:
// id = uuid5(uuid5(NAMESPACE, "<entity table>"), key). See docs/kong-ids.md.
import type { KongEntityType } from './kong-entity-kinds.ts';
import { sha1Into } from './sha1.ts';

const KONG_DECLARATIVE_NAMESPACE = 'fd02801f-0957-4a15-a55a-c8d9606f30b5';

/** The tables meshdoor writes. */
export type KongEntityTable = KongEntityType;

/** Every table, checked against the type; their namespaces are computed once, at load. */
const TABLES: Readonly<Record<KongEntityTable, true>> = {
  certificates: true, services: true, upstreams: true, snis: true, routes: true, targets: true, plugins: true,
  consumers: true, keyauth_credentials: true, basicauth_credentials: true, hmacauth_credentials: true, jwt_secrets: true, acls: true,
};

/** The two hex digits of each byte value, as character codes. */
const HEX_CODES = Uint8Array.from(Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0')).join(''), (c) => c.charCodeAt(0));
const DASH = 0x2d;
/** Where a UUID's text is written: one flat string read from it (a string built by parts is flattened again when hashed). */
const UUID_TEXT = Buffer.alloc(36);
const DIGEST = new Uint8Array(20);

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replaceAll('-', ''), 'hex');
}

/** RFC 9562 UUIDv5: SHA-1 of namespace and name, version and variant bits set. */
function uuidV5(namespace: Uint8Array, name: string): string {
  sha1Into(DIGEST, namespace, name);
  DIGEST[6] = ((DIGEST[6] as number) & 0x0f) | 0x50;
  DIGEST[8] = ((DIGEST[8] as number) & 0x3f) | 0x80;
  let at = 0;
  for (let i = 0; i < 16; i += 1) {
    if (i === 4 || i === 6 || i === 8 || i === 10) UUID_TEXT[at++] = DASH;
    const byte = DIGEST[i] as number;
    UUID_TEXT[at++] = HEX_CODES[2 * byte] as number;
    UUID_TEXT[at++] = HEX_CODES[2 * byte + 1] as number;
  }
  return UUID_TEXT.toString('latin1', 0, 36);
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
