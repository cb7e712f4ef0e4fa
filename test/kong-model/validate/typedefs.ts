// kong/db/schema/typedefs.lua: the shared field types and their messages.
import { normalizeUri } from '../router/uri-normalize.ts';
import { normalizeIp } from '../../../src/model/index.ts';
import { pcreCompileError } from '../../../src/kong/rules/index.ts';
import type { FieldDef } from './schema/types.ts';

export const PROTOCOLS = ['grpc', 'grpcs', 'http', 'https', 'tcp', 'tls', 'tls_passthrough', 'udp'] as const;

function validateHost(host: string): string | null {
  const r = normalizeIp(host);
  if (!r.ok && r.error !== 'invalid port number') return `invalid value: ${host}`;
  if (!r.ok || r.value.port !== undefined) return 'must not have a port';
  return null;
}

function validateHostWithOptionalPort(host: string): string | null {
  const r = normalizeIp(host);
  return r.ok ? null : r.error;
}

function validateSni(host: string): string | null {
  const r = normalizeIp(host);
  if (!r.ok && r.error !== 'invalid port number') return `invalid value: ${host}`;
  if (r.ok && r.value.type !== 'name') return 'must not be an IP';
  if (!r.ok || r.value.port !== undefined) return 'must not have a port';
  return null;
}

function validateWildcardHost(input: string): string | null {
  let host = input;
  const idx = host.indexOf('*');
  if (idx >= 0) {
    if (idx !== 0 && idx !== host.length - 1) return 'wildcard must be leftmost or rightmost character';
    const count = host.split('*').length - 1;
    if (count > 1) return 'only one wildcard must be specified';
    host = host.replace('*', 'wildcard');
  }
  return validateSni(host);
}

/** typedefs.path's custom validator; the third element is Kong's error code. */
function validatePathChars(path: string): [string, 'rfc3986' | 'percent'] | null {
  if (!/^\/[A-Za-z0-9.\-_~/%:@!$&'()*+,;=]*$/.test(path)) {
    return [`invalid path: '${path}' (characters outside of the reserved list of RFC 3986 found)`, 'rfc3986'];
  }
  const raw = path.replace(/%[0-9A-Fa-f]{2}/g, '___');
  const at = raw.indexOf('%');
  if (at >= 0) return [`invalid url-encoded value: '${raw.slice(at, at + 3)}'`, 'percent'];
  return null;
}

function validatePath(path: string): string | null {
  return validatePathChars(path)?.[0] ?? null;
}

function validateRouterPath(path: string): string | null {
  const charErr = validatePathChars(path);
  if (charErr?.[1] === 'percent') return charErr[0];
  if (!path.startsWith('~')) {
    const normalized = normalizeUri(path, true);
    return normalized === path ? null : `non-normalized path, consider use '${normalized}' instead`;
  }
  const re = path.slice(1);
  const err = pcreCompileError(re);
  return err === null ? null : `invalid regex: '${re}' (PCRE returned: ${err})`;
}

function validateUtf8Name(name: string): string | null {
  // Only ASCII alphanumerics and . - _ ~, or any non-ASCII character.
  if (/^[A-Za-z0-9.\-_~\u0080-\u{10ffff}]+$/u.test(name)) return null;
  return `invalid value '${name}': the only accepted ascii characters are alphanumerics or ., -, _, and ~`;
}

function validateTag(tag: string): string | null {
  if (/^[\x20-\x2b\x2d\x2e\x30-\x7e\u0080-\u{10ffff}]+$/u.test(tag)) return null;
  return `invalid tag '${tag}': expected printable ascii (except \`,\` and \`/\`) or valid utf-8 sequences`;
}

export function validateHeaderName(name: string): string | null {
  if (/^[a-zA-Z0-9\-_]+$/.test(name)) return null;
  return `bad header name '${name}', allowed characters are A-Z, a-z, 0-9, '_', and '-'`;
}

export function validateIpOrCidr(value: string): string | null {
  return isIpOrCidr(value) ? null : `invalid ip or cidr range: '${value}'`;
}

function isIpOrCidr(value: string): boolean {
  const [ip, mask, extra] = value.split('/');
  if (ip === undefined || extra !== undefined) return false;
  const type = normalizeIp(ip);
  if (!type.ok || type.value.type === 'name' || type.value.port !== undefined || ip.startsWith('[')) return false;
  if (mask === undefined) return true;
  if (!/^\d+$/.test(mask)) return false;
  return Number(mask) <= (type.value.type === 'ipv4' ? 32 : 128);
}

function validateHostWithWildcards(host: string): string | null {
  return validateHostWithOptionalPort(host.replaceAll('*', 'abc'));
}

export const typedefs = {
  uuid: { type: 'string', uuid: true, auto: true } as FieldDef,
  autoTimestampS: { type: 'integer', timestamp: true, auto: true } as FieldDef,
  autoTimestampMs: { type: 'number', timestamp: true, auto: true } as FieldDef,
  utf8Name: { type: 'string', unique: true, custom: validateUtf8Name } as FieldDef,
  tags: { type: 'set', elements: { type: 'string', required: true, custom: validateTag } } as FieldDef,
  protocol: { type: 'string', oneOf: PROTOCOLS } as FieldDef,
  host: { type: 'string', custom: validateHost } as FieldDef,
  hostWithOptionalPort: { type: 'string', custom: validateHostWithOptionalPort } as FieldDef,
  wildcardHost: { type: 'string', custom: validateWildcardHost } as FieldDef,
  sni: { type: 'string', custom: validateSni } as FieldDef,
  port: { type: 'integer', between: [0, 65535] } as FieldDef,
  path: {
    type: 'string', startsWith: '/', custom: validatePath,
    matchNone: [{ pattern: /\/\//, err: 'must not have empty segments' }],
  } as FieldDef,
  headerName: { type: 'string', custom: validateHeaderName } as FieldDef,
  httpMethod: { type: 'string', match: /^[A-Z]+$/ } as FieldDef,
  methods: { type: 'set', elements: { type: 'string', match: /^[A-Z]+$/ } } as FieldDef,
  hosts: {
    type: 'array',
    elements: {
      type: 'string',
      matchAll: [{ pattern: /^[^*]*\*?[^*]*$/, err: 'invalid wildcard: must have at most one wildcard' }],
      matchAny: { patterns: [/^\*\./, /\.\*$/, /^[^*]*$/],
        err: 'invalid wildcard: must be placed at leftmost or rightmost label' },
      custom: validateHostWithWildcards,
    },
  } as FieldDef,
  routerPaths: {
    type: 'array',
    elements: {
      type: 'string',
      matchAny: { patterns: [/^\//, /^~\//], err: 'should start with: / (fixed path) or ~/ (regex path)' },
      matchNone: [{ pattern: /\/\//, err: 'must not have empty segments' }],
      custom: validateRouterPath,
    },
  } as FieldDef,
  headers: {
    type: 'map',
    keys: {
      type: 'string', custom: validateHeaderName,
      matchNone: [{ pattern: /^[Hh][Oo][Ss][Tt]$/,
        err: "cannot contain 'host' header, which must be specified in the 'hosts' attribute" }],
    },
    values: { type: 'array', elements: { type: 'string' } },
  } as FieldDef,
  sourcesOrDestinations: {
    type: 'set',
    elements: {
      type: 'record',
      fields: {
        ip: { type: 'string', custom: validateIpOrCidr },
        port: { type: 'integer', between: [0, 65535] },
      },
      entityChecks: [{ kind: 'atLeastOneOf', fields: ['ip', 'port'] }],
    },
  } as FieldDef,
  timeout: { type: 'integer', between: [1, 2 ** 31 - 2] } as FieldDef,
} as const;

/** A typedef with overrides, like Kong's `typedefs.x { required = true }`. */
export function withAttrs(def: FieldDef, attrs: Partial<FieldDef>): FieldDef {
  return { ...def, ...attrs };
}
