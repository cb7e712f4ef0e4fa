// kong/db/schema/entities/targets.lua and snis.lua (3.9).
import { formatHost, normalizeIp } from '../hostnames.ts';
import type { EntitySchema } from '../schema/types.ts';
import { typedefs, withAttrs } from '../typedefs.ts';

const DEFAULT_TARGET_PORT = 8000;

function validateTarget(target: string): string | null {
  return normalizeIp(target).ok ? null : `Invalid target ('${target}'); not a valid hostname or ip address`;
}

/** The targets DAO stores `host:port`, default port 8000, IPv6 expanded in brackets. */
export function normalizeTarget(target: string): string {
  const p = normalizeIp(target);
  return p.ok ? formatHost(p.value, DEFAULT_TARGET_PORT) : target;
}

export const targetsSchema: EntitySchema = {
  name: 'targets',
  endpointKey: 'target',
  fields: {
    id: typedefs.uuid,
    created_at: typedefs.autoTimestampMs,
    updated_at: typedefs.autoTimestampMs,
    upstream: { type: 'foreign', reference: 'upstreams', required: true },
    target: { type: 'string', required: true, custom: validateTarget },
    weight: { type: 'integer', default: 100, between: [0, 65535] },
    tags: typedefs.tags,
  },
  entityChecks: [],
};

export const snisSchema: EntitySchema = {
  name: 'snis',
  endpointKey: 'name',
  fields: {
    id: typedefs.uuid,
    name: withAttrs(typedefs.wildcardHost, { required: true, unique: true }),
    created_at: typedefs.autoTimestampS,
    updated_at: typedefs.autoTimestampS,
    tags: typedefs.tags,
    certificate: { type: 'foreign', reference: 'certificates', required: true },
  },
  entityChecks: [],
};
