// Kong ids of plugins, consumers and credentials. Plugins and consumers get
// the id Kong's declarative loader would give them (UUIDv5 of the table and
// the entity's cache key or endpoint key), so ids agree with what Kong and
// the Kong Ingress Controller show. Credentials are keyed by their consumer
// and Secret, never by the secret material itself.
import { kongEntityId, type KongEntityTable } from '../kong/index.ts';

/** Kong's plugin cache key: `plugins:*:<name>:<route>:<service>:<consumer>` (the model derives it, for Kong's entity kinds too). */
export { kongPluginId } from '../model/index.ts';

/**
 * By username, Kong's endpoint key; a consumer with only a custom_id by a
 * prefixed key, so it cannot take the id of a consumer whose username is that id.
 */
export function kongConsumerId(consumer: { username?: string; custom_id?: string }): string {
  return kongEntityId('consumers', consumer.username ?? `custom_id:${consumer.custom_id ?? ''}`);
}

export type CredentialTable = Extract<KongEntityTable,
  'keyauth_credentials' | 'basicauth_credentials' | 'hmacauth_credentials' | 'jwt_secrets' | 'acls'>;

/** One credential per consumer and Secret. */
export function kongCredentialId(table: CredentialTable, consumerId: string, secret: { namespace: string; name: string }): string {
  return kongEntityId(table, `${consumerId}:${secret.namespace}/${secret.name}`);
}
