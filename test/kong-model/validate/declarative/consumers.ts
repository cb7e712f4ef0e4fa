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

/** Fields a credential cannot do without (those Kong would generate are required too: meshdoor always sends them). */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  keyauth_credentials: ['key'], basicauth_credentials: ['username', 'password'], hmacauth_credentials: ['username'], jwt_secrets: ['key'], acls: ['group'],
};

/** One refused consumer or credential, as `flattened_errors` reports it. */
export interface ConsumerProblem {
  entity_type: string;
  entity_id?: string;
  entity_tags?: unknown;
  entity: Entity;
  errors: { type: 'field' | 'entity'; field?: string; message: string }[];
}

function fieldProblems(item: Entity, required: readonly string[]): ConsumerProblem['errors'] {
  return required.flatMap((field) => {
    const value = item[field];
    if (value === undefined || value === null) return [{ type: 'field' as const, field, message: 'required field missing' }];
    if (value === '') return [{ type: 'field' as const, field, message: 'length must be at least 1' }];
    return [];
  });
}

function problem(type: string, item: Entity, errors: ConsumerProblem['errors'], nested: readonly string[] = []): ConsumerProblem {
  const entity = Object.fromEntries(Object.entries(item).filter(([k]) => !nested.includes(k)));
  return {
    entity_type: type, entity, errors,
    ...(typeof item['id'] === 'string' ? { entity_id: item['id'] } : {}), ...(item['tags'] !== undefined ? { entity_tags: item['tags'] } : {}),
  };
}

/** Consumers without a username or custom_id, and credentials missing a required field or with an empty one. */
export function consumerProblems(config: Record<string, unknown>): ConsumerProblem[] {
  const out: ConsumerProblem[] = [];
  for (const consumer of records(config['consumers'])) {
    const named = ['username', 'custom_id'].some((f) => typeof consumer[f] === 'string' && consumer[f] !== '');
    if (!named) out.push(problem('consumer', consumer, [{ type: 'entity', message: "at least one of these fields must be non-empty: 'custom_id', 'username'" }], CREDENTIAL_TABLES));
    for (const table of CREDENTIAL_TABLES) {
      for (const credential of records(consumer[table])) {
        const errors = fieldProblems(credential, REQUIRED[table] ?? []);
        if (errors.length > 0) out.push(problem(entityKind(table).singular, credential, errors));
      }
    }
  }
  return out;
}
