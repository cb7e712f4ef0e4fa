// `/config` as Kong serves it (kong/api/routes/config.lua): POST loads a whole
// declarative config in DB-less mode (201 / 304 with check_hash / 400 with
// flatten_errors / 413), GET returns it as YAML.
import { createHash, randomUUID } from 'node:crypto';
import { stringify as toYaml } from 'yaml';
import { KONG_ENTITY_KINDS, TOP_LEVEL_KINDS, entityKind, foreignKeysOf, normalizeTarget } from '../../src/model/index.ts';
import type { ApiResponse } from './admin-api.ts';
import { REJECTED_MESSAGE } from './crud.ts';
import { EMPTY_HASH } from './double-state.ts';
import type { DoubleState } from './double-state.ts';
import { DoubleHttpError, cannotParseJson } from './errors.ts';
import type { DoubleEntityType, DoubleRecord } from './store.ts';
import { DOUBLE_ENTITY_TYPES, foreignIdOf } from './store.ts';
import { validateDoubleConfig } from './validation.ts';
import { loadKongYaml } from './yaml-load.ts';

export interface ConfigRequest {
  query: URLSearchParams;
  /** Raw body text and how it was sent. */
  text: string;
  contentType: string;
}

const FLAG_TRUE = new Set(['1', 'true', 'on', 'yes']);

function badRequest(message: string): DoubleHttpError {
  return new DoubleHttpError(400, { message });
}

/** Kong's answer when its Lua code throws (e.g. a JSON body that is a number). */
const unexpectedError = (): DoubleHttpError => new DoubleHttpError(500, { message: 'An unexpected error occurred' });

function invalidDocument(error: string): DoubleHttpError {
  return new DoubleHttpError(400, {
    code: 14, name: 'invalid declarative configuration', message: `declarative config is invalid: {error="${error}"}`, fields: { error },
  });
}

/**
 * The config in the body and the string Kong hashes (kong/api/routes/config.lua):
 * request params with `_format_version` are taken as a table (Kong hashes its own
 * re-encoding: a new hash on every load); otherwise the `config` param, or the raw
 * body, is parsed as YAML (a JSON superset) and its MD5 is the hash.
 */
interface ReadConfig {
  config: DoubleRecord;
  /** The string Kong parsed and hashed; undefined when the body was taken as a table. */
  raw?: string;
}

/** YAML as Kong's lyaml loads it (1.1 types, merge keys, aliases). */
function parseText(text: string): DoubleRecord {
  let parsed: unknown;
  try {
    parsed = loadKongYaml(text);
  } catch (error) {
    const pos = (error as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    const where = pos ? `${pos.line}:${pos.col}: ` : '';
    const what = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
    throw invalidDocument(`failed parsing declarative configuration: ${where}${what}`);
  }
  if (Array.isArray(parsed)) return {};
  if (parsed === null || typeof parsed !== 'object') throw invalidDocument('failed parsing declarative configuration: expected an object');
  return parsed as DoubleRecord;
}

/** The request's params as Kong reads them: JSON object, form fields, or nothing. */
function requestParams(req: ConfigRequest): DoubleRecord {
  if (req.contentType.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(req.text));
  if (!req.contentType.includes('json') || req.text === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(req.text);
  } catch {
    throw cannotParseJson();
  }
  if (Array.isArray(body)) return {};
  if (body === null || typeof body !== 'object') throw unexpectedError();
  return body as DoubleRecord;
}

function readConfig(req: ConfigRequest): ReadConfig {
  const params = requestParams(req);
  if (params._format_version !== undefined) return { config: params };
  const text = typeof params.config === 'string' ? params.config : req.text;
  if (text === '') throw badRequest('expected a declarative configuration');
  return { config: parseText(text), raw: text };
}

/** A route path refused the way Kong refuses a path its regex engine cannot compile: a field error on `paths.N`. */
function pathErrors(paths: ReadonlySet<string>, route: DoubleRecord): { type: string; field: string; message: string }[] {
  const list = Array.isArray(route.paths) ? (route.paths as unknown[]) : [];
  return list.flatMap((p, i) => (typeof p === 'string' && paths.has(p)
    ? [{ type: 'field', field: `paths.${i + 1}`, message: `invalid regex: '${p}' (${REJECTED_MESSAGE})` }]
    : []));
}

/** A route refused as a whole, the way Kong's router refuses a regex it cannot compile: an entity error. */
function routeErrors(paths: ReadonlySet<string>, route: DoubleRecord): { type: string; message: string }[] {
  const list = Array.isArray(route.paths) ? (route.paths as unknown[]) : [];
  const bad = list.find((p): p is string => typeof p === 'string' && paths.has(p));
  return bad === undefined ? [] : [{ type: 'entity', message: `Router Expression failed validation: regex parse error in '${bad}'` }];
}

function rejectedErrors(state: DoubleState, config: DoubleRecord): Record<string, unknown>[] {
  const names = state.faults.rejectNames;
  const paths = state.faults.rejectPaths;
  const routePaths = state.faults.rejectRoutePaths;
  if (names.size === 0 && paths.size === 0 && routePaths.size === 0) return [];
  const out: Record<string, unknown>[] = [];
  const visit = (table: DoubleEntityType, items: unknown): void => {
    const kind = entityKind(table);
    const type = kind.singular;
    const childKeys: string[] = [...kind.nested];
    for (const item of Array.isArray(items) ? (items as DoubleRecord[]) : []) {
      const name = item.name ?? item.target;
      const errors = [
        ...(typeof name === 'string' && names.has(name) ? [{ type: 'field', field: item.name !== undefined ? 'name' : 'target', message: REJECTED_MESSAGE }] : []),
        ...(type === 'route' ? pathErrors(paths, item) : []),
        ...(type === 'route' ? routeErrors(routePaths, item) : []),
      ];
      if (errors.length > 0) {
        const entity = Object.fromEntries(Object.entries(item).filter(([k]) => !childKeys.includes(k)));
        out.push({ entity_type: type, ...(typeof name === 'string' ? { entity_name: name } : {}), entity_tags: item.tags ?? [], entity, ...(typeof item.id === 'string' ? { entity_id: item.id } : {}), errors });
      }
      for (const nested of kind.nested) visit(nested, item[nested]);
    }
  };
  for (const kind of TOP_LEVEL_KINDS) visit(kind.table, config[kind.table]);
  return out;
}

function invalid(flattened: Record<string, unknown>[], base: Record<string, unknown> | undefined, flatten: boolean): DoubleHttpError {
  const existing = Array.isArray(base?.flattened_errors) ? (base.flattened_errors as Record<string, unknown>[]) : [];
  const body: Record<string, unknown> = base ?? { code: 14, name: 'invalid declarative configuration', message: 'declarative config is invalid: {}', fields: {} };
  // An empty Lua table encodes as `{}`.
  if (flatten) body.flattened_errors = existing.length + flattened.length > 0 ? [...existing, ...flattened] : {};
  return new DoubleHttpError(400, body);
}

/**
 * A stored target's address gets its default port; targets that then
 * coincide in one upstream share a cache key, and the last one stays.
 */
function keepTarget(record: DoubleRecord, kept: Map<string, DoubleRecord>): void {
  const target = typeof record.target === 'string' ? normalizeTarget(record.target) : record.target;
  const key = `${foreignIdOf(record.upstream) ?? ''}|${String(target)}`;
  kept.delete(key);
  kept.set(key, { ...record, target });
}

/** POST /config's answer also lists each certificate's SNIs inside it, with the declarative-only fields. */
function withNestedSnis(response: Record<string, Record<string, DoubleRecord>>): void {
  for (const sni of Object.values(response.snis ?? {})) {
    const certificate = response.certificates?.[foreignIdOf(sni.certificate) ?? ''];
    if (!certificate) continue;
    const listed = Array.isArray(certificate.snis) ? (certificate.snis as DoubleRecord[]) : [];
    certificate.snis = [...listed, { ...sni, _comment: null, _ignore: null }];
  }
}

/** Credentials have no updated_at. */
function stamped(type: DoubleEntityType, entity: DoubleRecord, now: number): DoubleRecord {
  const stamp = type === 'targets' ? now / 1000 : Math.floor(now / 1000);
  const kind = entityKind(type);
  const updated = kind.parent?.table === 'consumers' ? {} : { updated_at: entity.updated_at ?? stamp };
  return { ...entity, created_at: entity.created_at ?? stamp, ...updated };
}

/** Loads the validated entities (the core kinds, then plugins, consumers and credentials) and answers with them by table and id. */
function load(state: DoubleState, entities: Record<DoubleEntityType, DoubleRecord[] | undefined>, others: Record<string, DoubleRecord[]>, hashSource: string): Record<string, unknown> {
  state.store.clear();
  const now = state.now();
  const response: Record<string, Record<string, DoubleRecord>> = {};
  const targets = new Map<string, DoubleRecord>();
  for (const type of DOUBLE_ENTITY_TYPES) {
    for (const entity of entities[type] ?? others[type] ?? []) {
      const record = stamped(type, entity, now);
      (response[type] ??= {})[String(record.id)] = { ...record };
      if (type === 'targets') keepTarget(record, targets);
      else state.store.set(type, record);
    }
  }
  for (const target of targets.values()) state.store.set('targets', target);
  withNestedSnis(response);
  state.configurationHash = state.store.count() === 0 ? EMPTY_HASH : createHash('md5').update(hashSource).digest('hex');
  return response;
}

export function postConfig(state: DoubleState, req: ConfigRequest): ApiResponse {
  if (state.mode !== 'dbless') throw badRequest('this endpoint is only available when Kong is configured to not use a database');
  const { config, raw } = readConfig(req);
  // A table body is hashed from Kong's own re-encoding, whose key order changes from load to load.
  const hashSource = raw ?? `${JSON.stringify(config)}\n${randomUUID()}`;
  if (req.query.get('check_hash') === '1' && raw !== undefined && createHash('md5').update(raw).digest('hex') === state.configurationHash) {
    return { status: 304 };
  }
  const flatten = FLAG_TRUE.has(req.query.get('flatten_errors') ?? '');
  const result = validateDoubleConfig(config, { routerFlavor: state.options.routerFlavor, flattenErrors: flatten, now: Math.floor(state.now() / 1000) });
  const rejected = rejectedErrors(state, config);
  if (!result.ok && result.status === 500) throw unexpectedError();
  if (!result.ok) throw invalid(rejected, result.body, flatten);
  if (rejected.length > 0) throw invalid(rejected, undefined, flatten);
  return { status: 201, body: load(state, result.entities, result.others, hashSource) };
}

const REFERENCE_FIELDS = new Set(KONG_ENTITY_KINDS.flatMap((kind) => Object.keys(foreignKeysOf(kind))));

/**
 * GET /config: flat arrays, foreign keys as plain ids, `_transform: false`;
 * certificates also carry their SNIs, as loaded (`certificate: {id}`).
 */
export function getConfig(state: DoubleState): ApiResponse {
  const doc: Record<string, unknown> = { _format_version: '3.0', _transform: false };
  for (const type of DOUBLE_ENTITY_TYPES) {
    const records = state.store.list(type).map((r) => {
      const out: DoubleRecord = { ...r };
      for (const fk of REFERENCE_FIELDS) if (fk in out) out[fk] = foreignIdOf(out[fk]) ?? null;
      if (type === 'certificates') {
        const snis = state.store.children('snis', String(r.id)).map((s) => ({ ...s, _comment: null, _ignore: null }));
        if (snis.length > 0) out.snis = snis;
      }
      return out;
    });
    if (records.length > 0) doc[type] = records;
  }
  return { status: 200, body: { config: toYaml(doc) } };
}
