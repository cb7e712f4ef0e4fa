// Consumers and their key-auth credentials in a declarative config, only as
// far as loading them goes (no validation): a consumer's id derives from its
// username, a credential gets a random one.
import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import type { Entity } from '../schema/types.ts';
import { isPlainObject } from '../schema/types.ts';

/** Kong's declarative namespace, as for the core entities (src/model/kong-ids.ts). */
const CONSUMERS_NAMESPACE = uuidv5('consumers', 'fd02801f-0957-4a15-a55a-c8d9606f30b5');

const records = (list: unknown): Entity[] => (Array.isArray(list) ? list.filter(isPlainObject) : []);

export function consumerEntities(config: Record<string, unknown>): { consumers: Entity[]; keyauth_credentials: Entity[] } {
  const consumers: Entity[] = [];
  const credentials: Entity[] = [];
  for (const consumer of records(config['consumers'])) {
    const username = typeof consumer['username'] === 'string' ? consumer['username'] : null;
    const id = typeof consumer['id'] === 'string' ? consumer['id'] : username !== null ? uuidv5(username, CONSUMERS_NAMESPACE) : randomUUID();
    consumers.push({ id, username, custom_id: consumer['custom_id'] ?? null, tags: consumer['tags'] ?? null });
    for (const credential of records(consumer['keyauth_credentials'])) {
      credentials.push({ id: credential['id'] ?? randomUUID(), consumer: { id }, key: credential['key'], tags: credential['tags'] ?? null });
    }
  }
  return { consumers, keyauth_credentials: credentials };
}
