// Consumers and their credentials in a declarative config, only as far as
// loading them goes (no schema validation): a consumer's id derives from its
// username, a credential without an id gets a random one, a basic-auth
// password is stored hashed (as Kong's basic-auth plugin does).
import { randomUUID } from 'node:crypto';
import { basicAuthPasswordHash } from '../../../../src/kong/entity-compare.ts';
import { declarativeIdOf, entityKind } from '../../../../src/model/index.ts';
import type { Entity } from '../schema/types.ts';
import { isPlainObject } from '../schema/types.ts';

const records = (list: unknown): Entity[] => (Array.isArray(list) ? list.filter(isPlainObject) : []);

const CREDENTIAL_TABLES = entityKind('consumers').nested;

/** What Kong fills in for a credential's unset fields. */
const CREDENTIAL_DEFAULTS: Partial<Record<string, Entity>> = {
  jwt_secrets: { algorithm: 'HS256', rsa_public_key: null },
};

function credentialEntity(table: string, credential: Entity, consumerId: string): Entity {
  const entity: Entity = { ...CREDENTIAL_DEFAULTS[table], ...credential, id: credential['id'] ?? randomUUID(), consumer: { id: consumerId }, tags: credential['tags'] ?? null };
  if (table === 'basicauth_credentials' && typeof credential['password'] === 'string') {
    entity['password'] = basicAuthPasswordHash(credential['password'], consumerId);
  }
  return entity;
}

export type ConsumerTables = Record<string, Entity[]> & { consumers: Entity[] };

export function consumerEntities(config: Record<string, unknown>): ConsumerTables {
  const out: ConsumerTables = { consumers: [], ...Object.fromEntries(CREDENTIAL_TABLES.map((t) => [t, [] as Entity[]])) };
  for (const consumer of records(config['consumers'])) {
    const username = typeof consumer['username'] === 'string' ? consumer['username'] : null;
    const derived = username === null ? undefined : declarativeIdOf(entityKind('consumers'), { username });
    const id = typeof consumer['id'] === 'string' ? consumer['id'] : derived ?? randomUUID();
    // Written into the input, as Kong's populate step does: later readers see the same id.
    consumer['id'] = id;
    out.consumers.push({ id, username, custom_id: consumer['custom_id'] ?? null, tags: consumer['tags'] ?? null });
    for (const table of CREDENTIAL_TABLES) {
      for (const credential of records(consumer[table])) {
        const entity = credentialEntity(table, credential, id);
        credential['id'] = entity['id'];
        out[table]?.push(entity);
      }
    }
  }
  return out;
}
