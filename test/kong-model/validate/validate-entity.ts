// Entry point for validating one entity the way Kong's DAO does on insert:
// process_auto_fields, then Schema:validate.
import { randomUUID } from 'node:crypto';
import { normalizeTarget, type KongEntityType, type RouterFlavor } from '../../../src/model/index.ts';
import { certificatesSchema } from './entities/certificates.ts';
import { routesSchema } from './entities/routes.ts';
import { servicesSchema } from './entities/services.ts';
import { snisSchema, targetsSchema } from './entities/targets-snis.ts';
import { upstreamsSchema } from './entities/upstreams.ts';
import { normalizeIp } from '../../../src/model/index.ts';
import { processAutoFields } from './schema/auto-fields.ts';
import type { Entity, EntitySchema, FieldErrors } from './schema/types.ts';
import type { FieldContext } from './schema/validate-field.ts';
import { makeFieldContext, validateWithSchema } from './schema/validate-schema.ts';

export type EntityType = KongEntityType;

export interface ValidateOptions {
  routerFlavor: RouterFlavor;
  /** created_at/updated_at to stamp (seconds; targets use it as-is). Default: left null. */
  now?: number | null;
  /** Id for entities sent without one. Default: a random UUIDv4, as Kong does. */
  newId?: () => string;
}

export interface EntityValidation {
  /** The entity with defaults filled: every schema field present, null when unset. */
  entity: Entity;
  /** Kong's `fields` error tree, or null when the entity is valid. */
  errors: FieldErrors | null;
}

export function schemaFor(type: string, flavor: RouterFlavor): EntitySchema | undefined {
  switch (type) {
    case 'services': return servicesSchema;
    case 'routes': return routesSchema(flavor);
    case 'upstreams': return upstreamsSchema;
    case 'targets': return targetsSchema;
    case 'certificates': return certificatesSchema;
    case 'snis': return snisSchema;
    default: return undefined;
  }
}

const contexts = new Map<RouterFlavor, FieldContext>();

export function fieldContextFor(flavor: RouterFlavor): FieldContext {
  let ctx = contexts.get(flavor);
  if (!ctx) {
    ctx = makeFieldContext((table) => schemaFor(table, flavor));
    contexts.set(flavor, ctx);
  }
  return ctx;
}

/** Runs auto fields + validation of one entity against its schema. */
export function validateWithDefaults(schema: EntitySchema, input: Entity, opts: ValidateOptions): EntityValidation {
  const ctx = fieldContextFor(opts.routerFlavor);
  const processed = processAutoFields(schema, input, { now: opts.now ?? null, newId: opts.newId ?? randomUUID }, ctx);
  const entity = inSchemaOrder(schema, processed.entity);
  if (processed.errors) return { entity, errors: processed.errors };
  return { entity, errors: validateWithSchema(schema, entity, ctx) };
}

/** Schema fields first, in Kong's order; anything else (unknown fields) after. */
function inSchemaOrder(schema: EntitySchema, entity: Entity): Entity {
  const out: Entity = {};
  for (const name of Object.keys(schema.fields)) if (name in entity) out[name] = entity[name];
  for (const [k, v] of Object.entries(entity)) if (!(k in out)) out[k] = v;
  return out;
}

/**
 * Validates an entity as Kong 3.9's Admin API would on insert (POST/PUT).
 * Targets get the DAO's normalisation first (`host:port`, default port 8000).
 * Certificates are validated without `snis`: the Admin API handles that
 * transient field itself.
 */
export function validateEntity(type: EntityType, input: Entity, opts: ValidateOptions): EntityValidation {
  const schema = schemaFor(type, opts.routerFlavor);
  if (!schema) throw new Error(`no schema for entity type '${String(type)}'`);
  let data = input;
  if (type === 'targets' && typeof input['target'] === 'string') {
    if (!normalizeIp(input['target']).ok) {
      return { entity: { ...input }, errors: { target: 'Invalid target; not a valid hostname or ip address' } };
    }
    data = { ...input, target: normalizeTarget(input['target']) };
  }
  return validateWithDefaults(schema, data, opts);
}
