// Applies a DB-mode diff: PUT by id (targets: POST to create, PUT to update,
// as Kong's Admin API requires), DELETE children before parents. Entity-level
// rejections (4xx) are collected per entity; the rest of the plan continues.
import type { KongAdminClient } from './admin-client.ts';
import { pathSegment } from './admin-client.ts';
import { KongAdminError } from './admin-errors.ts';
import type { EntityChange } from './dbmode-diff.ts';
import { writeBody } from './entity-compare.ts';
import type { EntityType, FlatEntity } from './entities.ts';
import { entityLabel, entityPath, entityTags, foreignId } from './entities.ts';
import { KIND_LEVELS, entityKind, foreignKeysOf } from '../model/index.ts';
import { describeFieldErrors, objectRefFromTags } from './rejections.ts';
import type { EntityRejection } from './rejections.ts';

export interface AppliedChange {
  change: EntityChange;
  /** Kong's copy after the write (absent for deletes). */
  written?: Record<string, unknown>;
}

export interface FailedChange {
  change: EntityChange;
  rejection: EntityRejection;
  /** HTTP status and Kong error code of the answer. */
  status: number;
  code?: number;
}

export interface ApplyResult {
  applied: AppliedChange[];
  /** Creates/updates Kong refused: mapped back to objects. */
  failed: FailedChange[];
  /**
   * Deletes Kong refused (e.g. a stale service still referenced by a route
   * meshdoor does not own). The desired config is in place; these stay.
   */
  leftovers: FailedChange[];
  /** Write requests sent. */
  writes: number;
}

/**
 * What others refer to is written before them and deleted after them, level
 * by level: services and consumers, then routes and credentials, then plugins.
 */
const UPSERTS: readonly EntityChange['action'][] = ['create', 'update'];
const DELETES: readonly EntityChange['action'][] = ['delete'];
const PHASES: readonly (readonly [readonly EntityChange['action'][], readonly EntityType[]])[] = [
  ...KIND_LEVELS.map((types) => [UPSERTS, types] as const),
  ...[...KIND_LEVELS].reverse().map((types) => [DELETES, types] as const),
];

async function writeChange(client: KongAdminClient, change: EntityChange): Promise<Record<string, unknown> | undefined> {
  const entity = change.entity;
  if (change.action === 'delete') {
    await client.delete(entityPath(entity));
    return undefined;
  }
  const body = writeBody(entity);
  const kind = entityKind(entity.type);
  const parent = kind.underParent ? kind.parent : undefined;
  if (parent === undefined) return client.put(entityPath(entity), body);
  // Under a parent (targets, credentials): PUT only updates an existing entity; creating one is a POST.
  const { [parent.field]: _parent, ...childBody } = body;
  if (change.action === 'update') return client.put(entityPath(entity), childBody);
  return client.post(`/${parent.table}/${pathSegment(entity.parentId ?? '')}/${kind.adminPath ?? entity.type}`, { id: entity.id, ...childBody });
}

/**
 * Answers about the entity written (schema, missing parent, uniqueness). Any
 * other (a redirect, 401/403, a 405 from a DB-less Kong, 413, 429, 5xx) is the
 * gateway refusing the writes: a failure of the gateway, not of the object.
 */
const ENTITY_ERRORS: ReadonlySet<number> = new Set([400, 404, 409]);

export function rejectionFor(entity: FlatEntity, error: KongAdminError): EntityRejection {
  const messages = error.fields !== undefined ? describeFieldErrors(error.fields) : [];
  const rejection: EntityRejection = {
    entity: entityLabel(entity),
    entityId: entity.id,
    messages: messages.length > 0 ? messages : [error.message],
    detail: { type: entityKind(entity.type).singular, fields: [] },
  };
  const object = objectRefFromTags(entityTags(entity));
  if (object !== undefined) rejection.object = object;
  return rejection;
}

/** Applies `changes` (already in diff order) phase by phase; throws on network or 5xx errors. */
export async function applyChanges(client: KongAdminClient, changes: readonly EntityChange[]): Promise<ApplyResult> {
  const result: ApplyResult = { applied: [], failed: [], leftovers: [], writes: 0 };
  const failedParents = new Set<string>();
  for (const [actions, types] of PHASES) {
    const batch = changes.filter((c) => actions.includes(c.action) && types.includes(c.entity.type));
    const runnable = batch.filter((c) => c.action === 'delete' || !dependsOnFailed(c.entity, failedParents));
    const settled = await Promise.allSettled(runnable.map(async (change) => {
      result.writes += 1;
      try {
        result.applied.push({ change, written: await writeChange(client, change) });
      } catch (error) {
        if (!(error instanceof KongAdminError) || !ENTITY_ERRORS.has(error.status)) throw error;
        const failed: FailedChange = { change, rejection: rejectionFor(change.entity, error), status: error.status };
        if (error.code !== undefined) failed.code = error.code;
        if (change.action === 'delete') {
          result.leftovers.push(failed);
        } else {
          failedParents.add(change.entity.id);
          result.failed.push(failed);
        }
      }
    }));
    const fatal = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (fatal !== undefined) throw fatal.reason;
  }
  return result;
}

/** Whether the entity refers to one Kong refused (its parent, a plugin's route, service or consumer). */
function dependsOnFailed(entity: FlatEntity, failedParents: ReadonlySet<string>): boolean {
  return Object.keys(foreignKeysOf(entityKind(entity.type))).some((field) => {
    const id = foreignId(entity.body[field]);
    return id !== undefined && failedParents.has(id);
  });
}
