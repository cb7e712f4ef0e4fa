// One KongPlugin / KongClusterPlugin made ready for Kong: its configuration
// read (Secrets included) and checked against the plugin's schema, or a
// failure on the plugin object saying why it cannot be used.
import type { PluginFailure, PluginObjectRef } from './failures.ts';
import { describeRef, refOf } from './failures.ts';
import { resolvePluginConfig } from './plugin-config.ts';
import type { KongPluginResource, PluginKind } from './resources.ts';
import type { ConfigProblem } from './schema/validate-config.ts';
import type { V1Secret } from '@kubernetes/client-node';
import type { PluginSources } from './sources.ts';
import type { SchemaAnswer } from './validation.ts';
import { checkPlugin, describeProblems } from './validation.ts';

/** What is known of each plugin's schema: a fetched answer, or "offline". */
export type SchemaLookup = (plugin: string) => SchemaAnswer;

const OFFLINE: SchemaAnswer = Object.freeze({ kind: 'unavailable', reason: 'no gateway to ask (offline): structure checked only' });
export const OFFLINE_SCHEMAS: SchemaLookup = () => OFFLINE;

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

interface Memo {
  answer: SchemaAnswer | undefined;
  /** The Secrets the resolution read, as it found them. */
  secrets: [string, string, V1Secret | undefined][];
  result: PluginResolution;
}

/**
 * Remembers each plugin object's resolution: watched objects are replaced,
 * never mutated, so the same object with the same Secrets and the same schema
 * answer resolves the same way. One KongPlugin named by thousands of Ingresses
 * is then read and checked once.
 */
export class PluginResolver {
  readonly #memo = new WeakMap<KongPluginResource, Memo>();

  resolve(resource: KongPluginResource, kind: PluginKind, sources: PluginSources, schemas: SchemaLookup): PluginResolution {
    const answer = typeof resource.plugin === 'string' ? schemas(resource.plugin) : undefined;
    const memo = this.#memo.get(resource);
    if (memo && memo.answer === answer && memo.secrets.every(([ns, name, seen]) => sources.secret(ns, name) === seen)) return memo.result;
    const secrets: Memo['secrets'] = [];
    const recording: PluginSources = {
      ...sources,
      secret: (ns, name) => {
        const found = sources.secret(ns, name);
        secrets.push([ns, name, found]);
        return found;
      },
    };
    // The answer just compared is the one checked against.
    const result = resolvePlugin(resource, kind, recording, (name) => answer ?? schemas(name));
    this.#memo.set(resource, { answer, secrets, result });
    return result;
  }
}
