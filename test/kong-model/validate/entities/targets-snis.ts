// kong/db/schema/entities/targets.lua and snis.lua (3.9).
import { entityKind, normalizeIp } from '../../../../src/model/index.ts';
import type { EntitySchema } from '../schema/types.ts';
import { typedefs, withAttrs } from '../typedefs.ts';

function validateTarget(target: string): string | null {
  return normalizeIp(target).ok ? null : `Invalid target ('${target}'); not a valid hostname or ip address`;
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
    weight: { type: 'integer', default: entityKind('targets').defaults['weight'], between: [0, 65535] },
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
