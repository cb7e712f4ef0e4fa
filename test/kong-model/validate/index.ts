// Kong 3.9 schema validation for the entities meshdoor manages, the
// declarative config as POST /config validates it, and Kong's error bodies.
export { validateEntity } from './validate-entity.ts';
export type { EntityType, EntityValidation, ValidateOptions } from './validate-entity.ts';
export { formatSchemaViolation, schemaViolationMessage, luaPretty } from './errors.ts';
export type { SchemaViolationBody } from './errors.ts';
export { validateDeclarativeConfig } from './declarative/validate-declarative.ts';
export type { DeclarativeErrorBody, DeclarativeOptions, DeclarativeResult } from './declarative/validate-declarative.ts';
export type { FlatEntities } from './declarative/dc-flatten.ts';
export type { FlattenedEntityErrors, FlattenedError } from './declarative/flatten-errors.ts';
export type { Entity, FieldErrors, FieldErrorValue } from './schema/types.ts';
