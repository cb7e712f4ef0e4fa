// Validation for the double, delegated to the port of Kong's schema engine
// (test/kong-model/validate): entity rules per router flavor, Kong's error bodies,
// and POST /config's declarative validation with flattened errors.
import type { RouterFlavor } from '../../src/model/index.ts';
import { validateDeclarativeConfig } from '../kong-model/validate/declarative/validate-declarative.ts';
import { formatSchemaViolation } from '../kong-model/validate/errors.ts';
import type { FieldErrors } from '../kong-model/validate/schema/types.ts';
import { validateEntity } from '../kong-model/validate/validate-entity.ts';

import { DoubleHttpError } from './errors.ts';
import type { DoubleEntityType, DoubleRecord } from './store.ts';

export interface EntityValidation {
  /** Every schema field present (null when unset), defaults filled. */
  entity: DoubleRecord;
  /** Kong's `fields` error tree, or null when valid. */
  errors: FieldErrors | null;
}

export function validateDoubleEntity(type: DoubleEntityType, input: DoubleRecord, routerFlavor: RouterFlavor): EntityValidation {
  const { created_at: _c, updated_at: _u, ...fields } = input;
  return validateEntity(type, fields, { routerFlavor, now: null });
}

/** 400 code 2 with Kong's message for these field errors. */
export function schemaViolationError(errors: FieldErrors): DoubleHttpError {
  return new DoubleHttpError(400, formatSchemaViolation(errors));
}

export type ConfigValidation =
  | { ok: true; entities: Record<DoubleEntityType, DoubleRecord[]>; others: Record<string, DoubleRecord[]> }
  | { ok: false; body: Record<string, unknown>; status: number };

export function validateDoubleConfig(config: DoubleRecord, options: { routerFlavor: RouterFlavor; flattenErrors: boolean; now: number }): ConfigValidation {
  const result = validateDeclarativeConfig(config, { routerFlavor: options.routerFlavor, flattenErrors: options.flattenErrors, now: options.now });
  return result.ok ? { ok: true, entities: result.entities, others: result.others } : { ok: false, body: { ...result.body }, status: result.status ?? 400 };
}
