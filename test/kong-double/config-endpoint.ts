// `/config` as Kong serves it (kong/api/routes/config.lua): POST loads a whole
// declarative config in DB-less mode (201 / 304 with check_hash / 400 with
// flatten_errors / 413), GET returns it as YAML.
import { createHash } from 'node:crypto';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import type { ApiResponse } from './admin-api.ts';
import { REJECTED_MESSAGE } from './crud.ts';
import { EMPTY_HASH } from './double-state.ts';
import type { DoubleState } from './double-state.ts';
import { DoubleHttpError, cannotParseJson } from './errors.ts';
import type { DoubleEntityType, DoubleRecord } from './store.ts';
import { DOUBLE_ENTITY_TYPES, foreignIdOf } from './store.ts';
import { validateDoubleConfig } from './validation.ts';

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

/** The config in the body and the string Kong hashes for check_hash (string bodies only). */
function readConfig(req: ConfigRequest): { config: DoubleRecord; raw?: string } {
  if (req.text.trim() === '') throw badRequest('expected a declarative configuration');
  const parseText = (text: string): DoubleRecord => {
    let parsed: unknown;
    try {
      parsed = parseYaml(text);
    } catch {
      parsed = undefined;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      const error = 'failed parsing declarative configuration: expected an object';
      throw new DoubleHttpError(400, { code: 14, name: 'invalid declarative configuration', message: `declarative config is invalid: {error="${error}"}`, fields: { error } });
    }
    return parsed as DoubleRecord;
  };
  if (!req.contentType.includes('json')) return { config: parseText(req.text), raw: req.text };
  let body: DoubleRecord;
  try {
    body = JSON.parse(req.text) as DoubleRecord;
  } catch {
    throw cannotParseJson();
  }
  if (typeof body.config === 'string') return { config: parseText(body.config), raw: body.config };
  if (body._format_version === undefined) throw badRequest('expected a declarative configuration');
  return { config: body };
}

/** A route path refused the way Kong refuses a path its regex engine cannot compile: a field error on `paths.N`. */
function pathErrors(paths: ReadonlySet<string>, route: DoubleRecord): { type: string; field: string; message: string }[] {
  const list = Array.isArray(route.paths) ? (route.paths as unknown[]) : [];
  return list.flatMap((p, i) => (typeof p === 'string' && paths.has(p)
    ? [{ type: 'field', field: `paths.${i + 1}`, message: `invalid regex: '${p}' (${REJECTED_MESSAGE})` }]
    : []));
}

function rejectedErrors(state: DoubleState, config: DoubleRecord): Record<string, unknown>[] {
  const names = state.faults.rejectNames;
  const paths = state.faults.rejectPaths;
  if (names.size === 0 && paths.size === 0) return [];
  const out: Record<string, unknown>[] = [];
  const visit = (type: string, items: unknown, childKeys: string[]): void => {
    for (const item of Array.isArray(items) ? (items as DoubleRecord[]) : []) {
      const name = item.name ?? item.target;
      const errors = [
        ...(typeof name === 'string' && names.has(name) ? [{ type: 'field', field: item.name !== undefined ? 'name' : 'target', message: REJECTED_MESSAGE }] : []),
        ...(type === 'route' ? pathErrors(paths, item) : []),
      ];
      if (errors.length > 0) {
        const entity = Object.fromEntries(Object.entries(item).filter(([k]) => !childKeys.includes(k)));
        out.push({ entity_type: type, ...(typeof name === 'string' ? { entity_name: name } : {}), entity_tags: item.tags ?? [], entity, ...(typeof item.id === 'string' ? { entity_id: item.id } : {}), errors });
      }
      if (type === 'service') visit('route', item.routes, []);
      if (type === 'upstream') visit('target', item.targets, []);
      if (type === 'certificate') visit('sni', item.snis, []);
    }
  };
  visit('service', config.services, ['routes']);
  visit('upstream', config.upstreams, ['targets']);
  visit('certificate', config.certificates, ['snis']);
  return out;
}

function invalid(flattened: Record<string, unknown>[], base: Record<string, unknown> | undefined, flatten: boolean): DoubleHttpError {
  const existing = (base?.flattened_errors ?? []) as Record<string, unknown>[];
  const body: Record<string, unknown> = base ?? { code: 14, name: 'invalid declarative configuration', message: 'declarative config is invalid: {}', fields: {} };
  if (flatten) body.flattened_errors = [...existing, ...flattened];
  return new DoubleHttpError(400, body);
}

function load(state: DoubleState, entities: Record<DoubleEntityType, DoubleRecord[]>, hashSource: string): Record<string, unknown> {
  state.store.clear();
  const now = state.now();
  const response: Record<string, Record<string, unknown>> = {};
  for (const type of DOUBLE_ENTITY_TYPES) {
    for (const entity of entities[type]) {
      const stamp = type === 'targets' ? now / 1000 : Math.floor(now / 1000);
      const record: DoubleRecord = { ...entity, created_at: entity.created_at ?? stamp, updated_at: entity.updated_at ?? stamp };
      state.store.set(type, record);
      (response[type] ??= {})[String(record.id)] = record;
    }
  }
  state.configurationHash = state.store.count() === 0 ? EMPTY_HASH : createHash('md5').update(hashSource).digest('hex');
  return response;
}

export function postConfig(state: DoubleState, req: ConfigRequest): ApiResponse {
  if (state.mode !== 'dbless') throw badRequest('this endpoint is only available when Kong is configured to not use a database');
  if (Buffer.byteLength(req.text) > state.options.configLimitBytes) {
    throw new DoubleHttpError(413, { message: 'Configuration does not fit in LMDB database, consider raising the "lmdb_map_size" config for Kong' });
  }
  const { config, raw } = readConfig(req);
  const hashSource = raw ?? JSON.stringify(config);
  if (req.query.get('check_hash') === '1' && raw !== undefined && createHash('md5').update(raw).digest('hex') === state.configurationHash) {
    return { status: 304 };
  }
  const flatten = FLAG_TRUE.has(req.query.get('flatten_errors') ?? '');
  const result = validateDoubleConfig(config, { routerFlavor: state.options.routerFlavor, flattenErrors: flatten, now: Math.floor(state.now() / 1000) });
  const rejected = rejectedErrors(state, config);
  if (!result.ok) throw invalid(rejected, result.body, flatten);
  if (rejected.length > 0) throw invalid(rejected, undefined, flatten);
  return { status: 201, body: load(state, result.entities, hashSource) };
}

/** GET /config: flat arrays, foreign keys as plain ids, `_transform: false`. */
export function getConfig(state: DoubleState): ApiResponse {
  const doc: Record<string, unknown> = { _format_version: '3.0', _transform: false };
  for (const type of DOUBLE_ENTITY_TYPES) {
    const records = state.store.list(type).map((r) => {
      const out: DoubleRecord = { ...r };
      for (const fk of ['service', 'upstream', 'certificate']) if (fk in out) out[fk] = foreignIdOf(out[fk]) ?? null;
      return out;
    });
    if (records.length > 0) doc[type] = records;
  }
  return { status: 200, body: { config: toYaml(doc) } };
}
