// Plugins as the recorded Kong 3.9.3 knows them: the ones it enables and
// their schemas (`GET /schemas/plugins/<name>`, from the recordings beside
// the repository), checked and completed by the product's own plugin schema
// validation (src/plugins): the model keeps only what the tests need on top,
// Kong's error tree for the Admin API and the entity Kong stores.
import { completePluginConfig, validatePluginEntity, type PluginSchema } from '../../../../src/plugins/index.ts';
import { recordedPluginNames, recordedSchema } from '../../../plugins/recorded-schemas.ts';
import type { FieldErrors } from '../schema/types.ts';

let enabled: ReadonlySet<string> | undefined;
const schemas = new Map<string, PluginSchema>();

/** The plugins the recorded Kong enables (kong.conf's default `bundled`). */
export function enabledPlugins(): ReadonlySet<string> {
  enabled ??= new Set(recordedPluginNames());
  return enabled;
}

/** The recorded schema of an enabled plugin; undefined for any other name. */
export function recordedPluginSchema(name: string): PluginSchema | undefined {
  if (!enabledPlugins().has(name)) return undefined;
  let schema = schemas.get(name);
  if (schema === undefined) {
    schema = recordedSchema(name);
    schemas.set(name, schema);
  }
  return schema;
}

/** A dotted field (`config.add.headers.1`, 1-based list positions) put into a Kong `fields` tree. */
function setField(tree: FieldErrors, field: string, message: string): void {
  const keys = field.split('.');
  let node: Record<string | number, unknown> = tree;
  keys.forEach((key, i) => {
    const last = i === keys.length - 1;
    const slot = Array.isArray(node) ? Number(key) - 1 : key;
    if (last) node[slot] = message;
    else node[slot] ??= /^\d+$/.test(keys[i + 1] ?? '') ? [] : {};
    if (Array.isArray(node)) for (let j = 0; j < node.length; j += 1) (node as unknown[])[j] ??= null;
    if (!last) node = node[slot] as Record<string | number, unknown>;
  });
}

export interface PluginInput {
  config: Record<string, unknown>;
  protocols?: unknown;
  route?: unknown;
  service?: unknown;
  consumer?: unknown;
}

/** Kong's `fields` errors for a plugin entity (entity checks under `@entity`); null when Kong accepts it. */
export function pluginFieldErrors(schema: PluginSchema, input: PluginInput): FieldErrors | null {
  const problems = validatePluginEntity(schema, {
    config: input.config, ...(Array.isArray(input.protocols) ? { protocols: input.protocols as string[] } : {}),
    ...(input.route ? { route: input.route } : {}), ...(input.service ? { service: input.service } : {}), ...(input.consumer ? { consumer: input.consumer } : {}),
  });
  if (problems.length === 0) return null;
  const errors: FieldErrors = {};
  for (const p of problems) {
    if (p.field === undefined) ((errors['@entity'] ??= []) as string[]).push(p.message);
    else setField(errors, p.field, p.message);
  }
  return errors;
}

/** The fields every plugin has, as Kong stores them when unset. */
const PLUGIN_BASE: Readonly<Record<string, unknown>> = {
  instance_name: null, route: null, service: null, consumer: null, protocols: ['grpc', 'grpcs', 'http', 'https'], enabled: true, tags: null,
};

/** The plugin as Kong stores it: base fields filled, the config completed with the schema's defaults. */
export function storedPlugin(schema: PluginSchema, input: Record<string, unknown>): Record<string, unknown> {
  const config = input['config'] !== null && typeof input['config'] === 'object' ? input['config'] as Record<string, unknown> : {};
  const own = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  return { ...PLUGIN_BASE, ...own, config: completePluginConfig(schema, config) };
}

/**
 * A stored plugin as the Admin API lists it (GET /plugins): the config also
 * shows each deprecated shorthand field (`redis_host`) with the value of the
 * field it stands for (`redis.host`), as Kong 3.9 reads them back.
 */
export function listedPlugin(record: Record<string, unknown>): Record<string, unknown> {
  const schema = recordedPluginSchema(String(record['name']));
  const config = record['config'];
  if (schema === undefined || config === null || typeof config !== 'object') return record;
  const configField = schema.fields.map((f) => f['config']).find((f) => f !== undefined);
  const aliases: Record<string, unknown> = {};
  for (const named of configField?.shorthand_fields ?? []) {
    for (const [name, def] of Object.entries(named)) {
      const path = def.deprecation?.replaced_with?.[0]?.path;
      if (path === undefined) continue;
      const value = path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), config);
      aliases[name] = value ?? null;
    }
  }
  return { ...record, config: { ...aliases, ...config } };
}
