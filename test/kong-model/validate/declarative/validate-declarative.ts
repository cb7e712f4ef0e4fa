// POST /config's validation of a declarative configuration (format 1.1, 2.1
// or 3.0): the document schema, ids, uniqueness and references, and Kong's
// 400 body (code 14), optionally with `flattened_errors`.
import { normalizeUri } from '../../router/uri-normalize.ts';
import { luaPretty } from '../errors.ts';
import type { FieldErrors, FieldErrorValue } from '../schema/types.ts';
import { isPlainObject } from '../schema/types.ts';
import type { ValidateOptions } from '../validate-entity.ts';
import { flattenConfig, type FlatEntities } from './dc-flatten.ts';
import { consumerEntities, consumerProblems, type ConsumerProblem } from './consumers.ts';
import { pluginErrors } from './plugins.ts';
import { validateDocument } from './dc-validate.ts';
import { flattenErrors, type FlattenedEntityErrors } from './flatten-errors.ts';

export interface DeclarativeOptions extends ValidateOptions {
  /** `flatten_errors=1`: per-entity errors move to `flattened_errors`. */
  flattenErrors: boolean;
}

export interface DeclarativeErrorBody {
  code: 14;
  name: 'invalid declarative configuration';
  message: string;
  fields: FieldErrors;
  flattened_errors?: FlattenedEntityErrors[];
}

export type DeclarativeResult =
  /** `others`: plugins, consumers and credentials loaded alongside, by table. */
  | { ok: true; entities: FlatEntities; others: Record<string, Record<string, unknown>[]> }
  /** `status` 500: Kong's loader throws (`crash` says why) and the Admin API answers `An unexpected error occurred`. */
  | { ok: false; body: DeclarativeErrorBody | { message: string }; status?: 500; crash?: string };

function errorBody(input: Record<string, unknown>, fields: FieldErrors, flatten: boolean): DeclarativeErrorBody {
  const remaining = structuredClone(fields);
  const flattened = flatten ? flattenErrors(input, remaining) : undefined;
  return {
    code: 14,
    name: 'invalid declarative configuration',
    message: `declarative config is invalid: ${luaPretty(remaining, '')}`,
    fields: remaining,
    ...(flattened ? { flattened_errors: flattened } : {}),
  };
}

/** Refused consumers and credentials: flattened entries (the model keeps no `fields` tree for them). */
function withConsumerProblems(body: DeclarativeErrorBody, problems: readonly ConsumerProblem[]): DeclarativeErrorBody {
  if (problems.length === 0 || body.flattened_errors === undefined) return body;
  const existing = Array.isArray(body.flattened_errors) ? body.flattened_errors : [];
  return { ...body, flattened_errors: [...existing, ...(problems as unknown as FlattenedEntityErrors[])] };
}

/**
 * Kong 3.9 validates SNIs nested under a certificate before their
 * `certificate` is filled in, so once anything in the document fails, every
 * such SNI also reports `certificate: required field missing`.
 */
function withPhantomSniErrors(config: Record<string, unknown>, errors: FieldErrors): FieldErrors {
  const certificates = config['certificates'];
  if (!Array.isArray(certificates)) return errors;
  certificates.forEach((certificate: unknown, i) => {
    const snis = isPlainObject(certificate) ? certificate['snis'] : undefined;
    if (!Array.isArray(snis)) return;
    snis.forEach((sni: unknown, j) => {
      if (!isPlainObject(sni)) return;
      const certErrors = slot(slot(errors, 'certificates', i), 'snis', j);
      if (isPlainObject(certErrors)) certErrors['certificate'] ??= 'required field missing';
    });
  });
  return errors;
}

/** `tree[key][index]` as an error table, created (with null holes) when missing. */
function slot(tree: unknown, key: string, index: number): FieldErrors | undefined {
  if (!isPlainObject(tree)) return undefined;
  const list = (Array.isArray(tree[key]) ? tree[key] : (tree[key] = [])) as (FieldErrorValue | null)[];
  while (list.length <= index) list.push(null);
  const current = list[index];
  if (current === null || current === undefined) list[index] = {};
  const slotted = list[index];
  return isPlainObject(slotted) ? slotted : undefined;
}

/** Format 1.1/2.1 route paths: anything beyond plain path characters becomes a regex. */
function migratePath(path: unknown): unknown {
  if (typeof path !== 'string' || path.startsWith('~')) return path;
  return /^[A-Za-z0-9._~/%-]*$/.test(path) ? normalizeUri(path, true) : `~${path}`;
}

function migrateRoutes(routes: unknown): void {
  if (!Array.isArray(routes)) return;
  for (const r of routes) {
    if (isPlainObject(r) && Array.isArray(r['paths'])) r['paths'] = r['paths'].map(migratePath);
  }
}

function migrate(config: Record<string, unknown>): Record<string, unknown> {
  const version = config['_format_version'];
  if (version !== '1.1' && version !== '2.1') return config;
  const copy = structuredClone(config);
  migrateRoutes(copy['routes']);
  for (const s of Array.isArray(copy['services']) ? copy['services'] : []) {
    if (isPlainObject(s)) migrateRoutes(s['routes']);
  }
  copy['_format_version'] = '3.0';
  return copy;
}

/**
 * Validates a declarative config the way Kong 3.9's `POST /config` does.
 * On success returns the flat entity set (every entity Kong-shaped, foreign
 * keys as `{id}`, deterministic UUIDv5 ids; certificates and unnamed
 * services/routes get random v4 ids, as in Kong).
 */
export function validateDeclarativeConfig(config: unknown, opts: DeclarativeOptions): DeclarativeResult {
  if (config === null || config === undefined) return { ok: false, body: { message: 'expected a declarative configuration' } };
  if (!isPlainObject(config)) {
    const fields = { error: 'failed parsing declarative configuration: expected an object' };
    return { ok: false, body: errorBody({}, fields, false) };
  }
  const migrated = migrate(config);
  const errors = validateDocument(migrated, { routerFlavor: opts.routerFlavor }) ?? {};
  pluginErrors(migrated, errors);
  const refused = consumerProblems(migrated);
  if (Object.keys(errors).length > 0 || refused.length > 0) {
    return { ok: false, body: withConsumerProblems(errorBody(config, withPhantomSniErrors(config, errors), opts.flattenErrors), refused) };
  }
  // Ids are written into the input, so entities reported from here on carry them.
  const working = structuredClone(migrated);
  const flat = flattenConfig(working, opts);
  if ('crash' in flat) return { ok: false, status: 500, crash: flat.crash, body: { message: 'An unexpected error occurred' } };
  if (!flat.ok) return { ok: false, body: errorBody(working, flat.errors, opts.flattenErrors) };
  return { ok: true, entities: flat.entities, others: { plugins: flat.plugins, ...consumerEntities(working) } };
}
