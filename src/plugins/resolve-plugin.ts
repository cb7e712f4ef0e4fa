// One KongPlugin / KongClusterPlugin made ready for Kong: its configuration
// read (Secrets included) and checked against the plugin's schema, or a
// failure on the plugin object saying why it cannot be used.
import type { PluginFailure, PluginObjectRef } from './failures.ts';
import { describeRef, refOf } from './failures.ts';
import { resolvePluginConfig } from './plugin-config.ts';
import type { KongPluginResource, PluginKind } from './resources.ts';
import type { ConfigProblem } from './schema/validate-config.ts';
import type { PluginSources } from './sources.ts';
import type { SchemaAnswer } from './validation.ts';
import { checkPlugin, describeProblems } from './validation.ts';

/** What is known of each plugin's schema: a fetched answer, or "offline". */
export type SchemaLookup = (plugin: string) => SchemaAnswer;

export const OFFLINE_SCHEMAS: SchemaLookup = () => ({ kind: 'unavailable', reason: 'no gateway to ask (offline): structure checked only' });

export interface ResolvedPlugin {
  ref: PluginObjectRef;
  /** Kong's plugin name (`rate-limiting`). */
  name: string;
  config: Record<string, unknown>;
  protocols?: string[];
  enabled: boolean;
  instanceName?: string;
  /** The answer the config was checked against (its schema limits attachments too). */
  schema: SchemaAnswer;
  /** Set when only the structure could be checked: why. */
  schemaSkipped?: string;
}

export type PluginResolution = { ok: true; plugin: ResolvedPlugin } | { ok: false; failure: PluginFailure };

/** Values from a Secret never reach a message (Kong's `invalid value: <v>` repeats them). */
function redacted(problems: readonly ConfigProblem[]): ConfigProblem[] {
  return problems.map((p) => (p.message.startsWith('invalid value: ') ? { ...p, message: 'invalid value (from a Secret, not shown)' } : p));
}

function unsupportedField(resource: KongPluginResource): string | undefined {
  if (resource.consumerRef !== undefined) {
    return 'consumerRef is not supported: name the plugin in the KongConsumer\'s konghq.com/plugins annotation instead';
  }
  if (resource.ordering !== undefined) return 'ordering is a Kong Enterprise field that Kong OSS refuses; remove it';
  return undefined;
}

export function resolvePlugin(resource: KongPluginResource, kind: PluginKind, sources: PluginSources, schemas: SchemaLookup): PluginResolution {
  const ref = refOf(kind, resource.metadata);
  const failure = (reason: PluginFailure['reason'], message: string): PluginResolution => ({ ok: false, failure: { object: ref, reason, message: `${describeRef(ref)}: ${message}` } });
  const name = resource.plugin;
  if (typeof name !== 'string' || name === '') return failure('InvalidPlugin', 'plugin: the Kong plugin name is missing');
  const unsupported = unsupportedField(resource);
  if (unsupported !== undefined) return failure('InvalidPlugin', unsupported);
  const config = resolvePluginConfig(resource, kind, sources);
  if (!config.ok) return failure(config.reason, config.message);
  const answer = schemas(name);
  const draft = { name, config: config.config, ...(resource.protocols ? { protocols: resource.protocols } : {}), ...(resource.instance_name !== undefined ? { instance_name: resource.instance_name } : {}) };
  const check = checkPlugin(draft, answer);
  if (check.problems.length > 0) {
    const problems = config.fromSecret ? redacted(check.problems) : check.problems;
    return failure('InvalidPluginConfig', `plugin ${name}: ${describeProblems(problems)}`);
  }
  const plugin: ResolvedPlugin = { ref, name, config: config.config, enabled: resource.disabled !== true, schema: answer };
  if (resource.protocols) plugin.protocols = [...resource.protocols];
  if (resource.instance_name !== undefined) plugin.instanceName = resource.instance_name;
  if (check.skipped !== undefined) plugin.schemaSkipped = check.skipped;
  return { ok: true, plugin };
}
