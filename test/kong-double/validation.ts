// Entity and declarative-config validation for the double. TEMPORARY minimal
// rules (defaults, required fields); replaced by src/kong/validate once it lands.
import type { RouterFlavor } from '../../src/kong/declarative.ts';
import type { DoubleEntityType, DoubleRecord } from './store.ts';

export interface EntityValidation {
  entity: DoubleRecord;
  /** Kong's `fields` error tree, or null when valid. */
  errors: Record<string, unknown> | null;
}

const DEFAULTS: Record<DoubleEntityType, DoubleRecord> = {
  services: {
    name: null, retries: 5, protocol: 'http', host: null, port: 80, path: null, connect_timeout: 60000, write_timeout: 60000,
    read_timeout: 60000, tags: null, client_certificate: null, tls_verify: null, tls_verify_depth: null, ca_certificates: null, enabled: true,
  },
  routes: {
    name: null, protocols: ['http', 'https'], methods: null, hosts: null, paths: null, headers: null, https_redirect_status_code: 426,
    regex_priority: 0, strip_path: true, path_handling: 'v0', preserve_host: false, request_buffering: true, response_buffering: true,
    snis: null, sources: null, destinations: null, tags: null, service: null,
  },
  upstreams: {
    name: null, algorithm: 'round-robin', hash_on: 'none', hash_fallback: 'none', hash_on_header: null, hash_fallback_header: null,
    hash_on_cookie: null, hash_on_cookie_path: '/', hash_on_query_arg: null, hash_fallback_query_arg: null, hash_on_uri_capture: null,
    hash_fallback_uri_capture: null, slots: 10000, tags: null, host_header: null, client_certificate: null, use_srv_name: false,
  },
  targets: { target: null, weight: 100, tags: null, upstream: null },
  certificates: { cert: null, key: null, cert_alt: null, key_alt: null, tags: null },
  snis: { name: null, certificate: null, tags: null },
};

const REQUIRED: Record<DoubleEntityType, string[]> = {
  services: ['host'], routes: [], upstreams: ['name'], targets: ['target', 'upstream'], certificates: ['cert', 'key'], snis: ['name', 'certificate'],
};

export function validateDoubleEntity(type: DoubleEntityType, input: DoubleRecord, _flavor: RouterFlavor): EntityValidation {
  const errors: Record<string, unknown> = {};
  for (const key of Object.keys(input)) {
    if (!(key in DEFAULTS[type]) && !['id', 'created_at', 'updated_at', 'snis'].includes(key)) errors[key] = 'unknown field';
  }
  const entity: DoubleRecord = { ...DEFAULTS[type], ...input };
  for (const field of REQUIRED[type]) if (entity[field] === null || entity[field] === undefined) errors[field] = 'required field missing';
  if (type === 'routes' && ['methods', 'hosts', 'headers', 'paths', 'snis'].every((f) => entity[f] === null)) {
    errors['@entity'] = ["must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https'"];
  }
  if (type === 'targets' && typeof entity.target === 'string' && !entity.target.includes(':')) entity.target = `${entity.target}:8000`;
  return { entity, errors: Object.keys(errors).length > 0 ? errors : null };
}

export function formatViolation(errors: Record<string, unknown>): string {
  const parts = Object.keys(errors).sort().map((k) => `${k}: ${JSON.stringify(errors[k])}`);
  return parts.length === 1 ? `schema violation (${parts[0]})` : `${parts.length} schema violations (${parts.join('; ')})`;
}

export type ConfigValidation =
  | { ok: true; entities: Record<DoubleEntityType, DoubleRecord[]> }
  | { ok: false; body: Record<string, unknown> };

const NESTED: [DoubleEntityType, string, DoubleEntityType, string][] = [
  ['services', 'routes', 'routes', 'service'], ['upstreams', 'targets', 'targets', 'upstream'], ['certificates', 'snis', 'snis', 'certificate'],
];

export function validateDoubleConfig(config: DoubleRecord, options: { routerFlavor: RouterFlavor; flattenErrors: boolean }): ConfigValidation {
  const entities: Record<DoubleEntityType, DoubleRecord[]> = { services: [], routes: [], upstreams: [], targets: [], certificates: [], snis: [] };
  const flattened: Record<string, unknown>[] = [];
  const add = (type: DoubleEntityType, input: DoubleRecord): DoubleRecord => {
    const { entity, errors } = validateDoubleEntity(type, input, options.routerFlavor);
    if (errors) {
      flattened.push({ entity_type: type.replace(/s$/, ''), entity_id: input.id, entity_name: input.name, entity_tags: input.tags, entity: input,
        errors: Object.entries(errors).map(([field, message]) => ({ type: 'field', field, message })) });
    }
    entities[type].push(entity);
    return entity;
  };
  for (const [parentType, childKey, childType, fk] of NESTED) {
    for (const raw of (config[parentType] ?? []) as DoubleRecord[]) {
      const { [childKey]: children, ...parentInput } = raw;
      const parent = add(parentType, { ...parentInput, id: parentInput.id ?? crypto.randomUUID() });
      for (const child of (children ?? []) as DoubleRecord[]) add(childType, { ...child, id: child.id ?? crypto.randomUUID(), [fk]: { id: parent.id } });
    }
  }
  if (flattened.length === 0) return { ok: true, entities };
  return { ok: false, body: { code: 14, name: 'invalid declarative configuration', message: 'declarative config is invalid: {}', fields: {}, ...(options.flattenErrors ? { flattened_errors: flattened } : {}) } };
}
