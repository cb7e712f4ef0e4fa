// Kong plugins under review: a KongPlugin / KongClusterPlugin is checked as
// the translator will check it (its config against the schema the controller
// last read from the gateways, else its structure). What depends on objects
// applied in any order (a Secret not there yet, a plugin the gateway may
// enable later) is a warning; what is wrong with the object itself is refused.
// (`konghq.com/plugins` on Ingresses and Services is judged by the
// translator's own planning, in evaluate.ts.)
import {
  indexPluginSources, OFFLINE_SCHEMAS, resolvePlugin, type PluginFailure, type PluginKind, type KongPluginResource, type PluginSources, type SchemaLookup,
} from '../plugins/index.ts';
import type { Verdict } from './review.ts';
import type { Snapshot } from './translator.ts';

/** What plugin checks read: the caches and the schemas the controller's last pass read. */
export interface PluginInputs {
  snapshot: Snapshot;
  pluginSchemas?: SchemaLookup;
}

/** Refused: the object itself is wrong, whatever else exists. */
const REFUSED_PLUGIN_REASONS: ReadonlySet<PluginFailure['reason']> = new Set(['InvalidPlugin', 'InvalidPluginConfig']);

// A Secret meshdoor does not read yet reads as missing: say both.
const UNREAD_SECRET = 'meshdoor reads it once a served object uses this plugin; the configuration in it is checked then';

function sourcesOf(snapshot: Snapshot): PluginSources {
  return indexPluginSources({ kongPlugins: snapshot.KongPlugin, kongClusterPlugins: snapshot.KongClusterPlugin, secrets: snapshot.Secret });
}

/** `KongPlugin shop/rl: PluginNotFound: ...`, as the Event reads (the failure's message names the object first). */
function formatPluginFailure(failure: PluginFailure): string {
  const { kind, namespace, name } = failure.object;
  const where = `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
  const message = failure.message.startsWith(`${where}: `) ? failure.message.slice(where.length + 2) : failure.message;
  return `${where}: ${failure.reason}: ${message}`;
}

function problemsOf(resource: KongPluginResource, kind: PluginKind, inputs: PluginInputs): { failure?: PluginFailure; schemaSkipped?: string; notEnabled: boolean } {
  const schemas = inputs.pluginSchemas ?? OFFLINE_SCHEMAS;
  const answer = typeof resource.plugin === 'string' ? schemas(resource.plugin) : undefined;
  const resolved = resolvePlugin(resource, kind, sourcesOf(inputs.snapshot), schemas);
  if (!resolved.ok) return { failure: resolved.failure, notEnabled: answer?.kind === 'not-enabled' };
  return { ...(resolved.plugin.schemaSkipped !== undefined ? { schemaSkipped: resolved.plugin.schemaSkipped } : {}), notEnabled: false };
}

/**
 * A KongPlugin or KongClusterPlugin: refused when its config is one the
 * gateway's schema (or the structural check) refuses; a missing configFrom
 * Secret, or a plugin the gateway does not have enabled, only warned about.
 * An update keeps problems its earlier version had (warned, not refused).
 */
export function evaluatePlugin(inputs: PluginInputs, resource: KongPluginResource, kind: PluginKind, old: KongPluginResource | undefined): Verdict {
  const now = problemsOf(resource, kind, inputs);
  const warnings: string[] = [];
  if (now.schemaSkipped !== undefined) warnings.push(`${kind} ${resource.metadata?.name ?? ''}: configuration checked for structure only (${now.schemaSkipped})`);
  const failure = now.failure;
  if (!failure) return { allowed: true, warnings };
  const text = formatPluginFailure(failure);
  if (failure.reason === 'PluginSecretMissing') return { allowed: true, warnings: [...warnings, `${text} (${UNREAD_SECRET})`] };
  const before = old ? problemsOf(old, kind, inputs).failure : undefined;
  const known = before !== undefined && formatPluginFailure(before) === text;
  if (!REFUSED_PLUGIN_REASONS.has(failure.reason) || now.notEnabled || known) return { allowed: true, warnings: [...warnings, text] };
  return { allowed: false, message: text, warnings };
}
