// kong/db/schema/entities/upstreams.lua (3.9): name rules, hashing options,
// healthcheck defaults and the `algorithm`/`hash_on` shorthand side effects.
import { entityKind, normalizeIp } from '../../../../src/model/index.ts';
import type { EntityCheck, EntitySchema, FieldDef } from '../schema/types.ts';
import { typedefs } from '../typedefs.ts';

function validateName(name: string): string | null {
  const p = normalizeIp(name);
  if (!p.ok) return `Invalid name ('${name}'); must be a valid hostname`;
  if (p.value.type !== 'name') return `Invalid name ('${name}'); no ip addresses allowed`;
  if (p.value.port !== undefined) return `Invalid name ('${name}'); no port allowed`;
  return null;
}

function validateCookieName(name: string): string | null {
  if (/^[a-zA-Z0-9\-_]+$/.test(name)) return null;
  return `bad cookie name '${name}', allowed characters are A-Z, a-z, 0-9, '_', and '-'`;
}

const HASH_ON = ['none', 'consumer', 'ip', 'header', 'cookie', 'path', 'query_arg', 'uri_capture'];
const hashOn: FieldDef = { type: 'string', default: 'none', oneOf: HASH_ON };
const statuses = (list: number[]): FieldDef =>
  ({ type: 'array', default: list, elements: { type: 'integer', between: [100, 999] } });
const seconds = (d: number): FieldDef => ({ type: 'number', default: d, between: [0, 65535] });
const counter = (d: number): FieldDef => ({ type: 'integer', default: d, between: [0, 2 ** 31] });

function record(fields: Record<string, FieldDef>): FieldDef {
  const defaults = Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.default ?? null]));
  return { type: 'record', fields, default: defaults };
}

const HEALTHY_STATUSES = [200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 306, 307, 308];

const healthchecks = record({
  active: record({
    type: { type: 'string', default: 'http', oneOf: ['tcp', 'http', 'https', 'grpc', 'grpcs'] },
    timeout: seconds(1),
    concurrency: { type: 'integer', default: 10, between: [1, 2 ** 31] },
    http_path: { ...typedefs.path, default: '/' },
    https_sni: typedefs.sni,
    https_verify_certificate: { type: 'boolean', default: true },
    headers: { type: 'map', keys: typedefs.headerName, values: { type: 'array', elements: { type: 'string' } } },
    healthy: record({ interval: seconds(0), http_statuses: statuses([200, 302]), successes: counter(0) }),
    unhealthy: record({
      interval: seconds(0), http_statuses: statuses([429, 404, 500, 501, 502, 503, 504, 505]),
      tcp_failures: counter(0), timeouts: counter(0), http_failures: counter(0),
    }),
  }),
  passive: record({
    type: { type: 'string', default: 'http', oneOf: ['tcp', 'http', 'https', 'grpc', 'grpcs'] },
    healthy: record({ http_statuses: statuses(HEALTHY_STATUSES), successes: counter(0) }),
    unhealthy: record({
      http_statuses: statuses([429, 500, 503]), tcp_failures: counter(0), timeouts: counter(0), http_failures: counter(0),
    }),
  }),
  threshold: { type: 'number', default: 0, between: [0, 100] },
});

const needs = (on: 'hash_on' | 'hash_fallback', value: string, field: string): EntityCheck =>
  ({ kind: 'conditional', ifField: on, ifMatch: { match: new RegExp(`^${value}$`) }, thenField: field,
    thenMatch: { required: true } });

const fallbackIn = (value: string, allowed: string[]): EntityCheck =>
  ({ kind: 'conditional', ifField: 'hash_on', ifMatch: { match: new RegExp(`^${value}$`) },
    thenField: 'hash_fallback', thenMatch: { oneOf: allowed } });

const without = (v: string): string[] => HASH_ON.filter((h) => h !== v);

export const upstreamsSchema: EntitySchema = {
  name: 'upstreams',
  endpointKey: 'name',
  fields: {
    id: typedefs.uuid,
    created_at: typedefs.autoTimestampS,
    updated_at: typedefs.autoTimestampS,
    name: { type: 'string', required: true, unique: true, custom: validateName },
    algorithm: { type: 'string', default: entityKind('upstreams').defaults['algorithm'],
      oneOf: ['consistent-hashing', 'least-connections', 'round-robin', 'latency'] },
    hash_on: hashOn,
    hash_fallback: hashOn,
    hash_on_header: typedefs.headerName,
    hash_fallback_header: typedefs.headerName,
    hash_on_cookie: { type: 'string', custom: validateCookieName },
    hash_on_cookie_path: { ...typedefs.path, default: '/' },
    hash_on_query_arg: { type: 'string' },
    hash_fallback_query_arg: { type: 'string' },
    hash_on_uri_capture: { type: 'string' },
    hash_fallback_uri_capture: { type: 'string' },
    slots: { type: 'integer', default: 10000, between: [10, 2 ** 16] },
    healthchecks,
    tags: typedefs.tags,
    host_header: typedefs.hostWithOptionalPort,
    client_certificate: { type: 'foreign', reference: 'certificates' },
    use_srv_name: { type: 'boolean', default: false },
  },
  entityChecks: [
    needs('hash_on', 'header', 'hash_on_header'),
    needs('hash_fallback', 'header', 'hash_fallback_header'),
    needs('hash_on', 'cookie', 'hash_on_cookie'),
    needs('hash_fallback', 'cookie', 'hash_on_cookie'),
    fallbackIn('none', ['none']),
    fallbackIn('cookie', ['none']),
    fallbackIn('consumer', without('consumer')),
    fallbackIn('ip', without('ip')),
    fallbackIn('path', without('path')),
    needs('hash_on', 'query_arg', 'hash_on_query_arg'),
    needs('hash_fallback', 'query_arg', 'hash_fallback_query_arg'),
    needs('hash_on', 'uri_capture', 'hash_on_uri_capture'),
    needs('hash_fallback', 'uri_capture', 'hash_fallback_uri_capture'),
    { kind: 'distinct', fields: ['hash_on_query_arg', 'hash_fallback_query_arg'] },
    { kind: 'distinct', fields: ['hash_on_uri_capture', 'hash_fallback_uri_capture'] },
    { kind: 'distinct', fields: ['hash_on_header', 'hash_fallback_header'] },
  ],
  // Kong applies `hash_on` before `algorithm`'s reset (see report: order inferred).
  shorthands: [
    { name: 'hash_on', field: { type: 'string' }, expand: (v) => (v === 'none' || v === null
      ? { hash_on: 'none', algorithm: 'round-robin' } : { hash_on: v, algorithm: 'consistent-hashing' }) },
    { name: 'algorithm', field: { type: 'string' }, expand: (v) => (v === 'least-connections' || v === 'latency'
      ? { algorithm: v, hash_on: 'none' } : { algorithm: v }) },
  ],
};
