// kong/db/schema/entities/services.lua (3.9), including the `url` shorthand.
import { entityKind } from '../../../../src/model/index.ts';
import type { EntitySchema } from '../schema/types.ts';
import { typedefs, withAttrs } from '../typedefs.ts';
import { parseLuaSocketUrl } from './url.ts';

/** The defaults meshdoor's description of services states (and leaves out of DB-less bodies). */
const D = entityKind('services').defaults;

const HTTPS_OR_TLS_ONLY = ['client_certificate', 'tls_verify', 'tls_verify_depth', 'ca_certificates'];

function expandUrl(value: unknown): Record<string, unknown> | null {
  const parsed = parseLuaSocketUrl(String(value));
  if (!parsed) return null;
  const port = parsed.port === undefined || parsed.port === '' ? undefined : Number(parsed.port);
  const portNumber = port !== undefined && Number.isFinite(port) ? port : undefined;
  const inferred = portNumber === 80 ? 'http' : portNumber === 443 ? 'https' : undefined;
  const protocol = parsed.scheme ?? inferred ?? 'http';
  const defaultPort = protocol === 'https' ? 443 : 80;
  return {
    protocol,
    host: parsed.host ?? null,
    port: portNumber ?? parsed.port ?? defaultPort,
    path: parsed.path ?? null,
  };
}

export const servicesSchema: EntitySchema = {
  name: 'services',
  endpointKey: 'name',
  fields: {
    id: typedefs.uuid,
    created_at: typedefs.autoTimestampS,
    updated_at: typedefs.autoTimestampS,
    name: typedefs.utf8Name,
    retries: { type: 'integer', default: D['retries'], between: [0, 32767] },
    protocol: withAttrs(typedefs.protocol, { required: true, default: D['protocol'] }),
    host: withAttrs(typedefs.host, { required: true }),
    port: withAttrs(typedefs.port, { required: true, default: D['port'] }),
    path: typedefs.path,
    connect_timeout: withAttrs(typedefs.timeout, { default: D['connect_timeout'] }),
    write_timeout: withAttrs(typedefs.timeout, { default: D['write_timeout'] }),
    read_timeout: withAttrs(typedefs.timeout, { default: D['read_timeout'] }),
    tags: typedefs.tags,
    client_certificate: { type: 'foreign', reference: 'certificates' },
    tls_verify: { type: 'boolean' },
    tls_verify_depth: { type: 'integer', between: [0, 64] },
    ca_certificates: { type: 'array', elements: { type: 'string', uuid: true } },
    enabled: { type: 'boolean', required: true, default: true },
  },
  entityChecks: [
    { kind: 'conditional', ifField: 'protocol', ifMatch: { oneOf: ['tcp', 'tls', 'udp', 'grpc', 'grpcs'] },
      thenField: 'path', thenMatch: { eqNull: true } },
    ...HTTPS_OR_TLS_ONLY.map((field) => ({
      kind: 'conditional' as const, ifField: 'protocol', ifMatch: { notOneOf: ['https', 'tls'] },
      thenField: field, thenMatch: { eqNull: true },
    })),
  ],
  shorthands: [{ name: 'url', field: { type: 'string' }, expand: expandUrl }],
};
