// The plugin schemas a pass checks KongPlugin configurations against: asked
// from the gateways (GET /schemas/plugins/<name>, cached per gateway and Kong
// version by the fetcher) for the plugin names the cluster uses. Several
// gateways (a rolling upgrade) must all accept a config: a plugin one of them
// lacks is not enabled; otherwise the first schema found is used. A gateway
// that does not answer leaves the structural check: the pass goes on.
import type { GatewayTarget } from '../kong/index.ts';
import { OFFLINE_SCHEMAS, type SchemaAnswer, type SchemaLookup } from '../plugins/index.ts';
import type { Snapshot } from '../translate/index.ts';

export type PluginSchemaAnswers = ReadonlyMap<string, SchemaAnswer>;

/** The Kong plugin names the plugin objects of a snapshot use, sorted and unique. */
export function pluginNamesInUse(snapshot: Pick<Snapshot, 'KongPlugin' | 'KongClusterPlugin'>): string[] {
  const names = new Set<string>();
  for (const plugin of [...snapshot.KongPlugin, ...snapshot.KongClusterPlugin]) {
    if (typeof plugin.plugin === 'string' && plugin.plugin !== '') names.add(plugin.plugin);
  }
  return [...names].sort();
}

/** One answer per plugin over every gateway's (each listed in gateway order). */
export function combineAnswers(perGateway: readonly PluginSchemaAnswers[], names: readonly string[]): Map<string, SchemaAnswer> {
  const combined = new Map<string, SchemaAnswer>();
  for (const name of names) {
    const answers = perGateway.map((m) => m.get(name)).filter((a): a is SchemaAnswer => a !== undefined);
    const chosen = answers.find((a) => a.kind === 'not-enabled') ?? answers.find((a) => a.kind === 'schema') ?? answers[0];
    if (chosen) combined.set(name, chosen);
  }
  return combined;
}

/** The translator's lookup: an answer asked for, else structure only. */
export function schemaLookup(answers: PluginSchemaAnswers): SchemaLookup {
  return (name) => answers.get(name) ?? OFFLINE_SCHEMAS(name);
}

/** What changes the checks: the kind of answer per plugin (schemas change only with a Kong version, which resets the gateway). */
export function answersKey(answers: PluginSchemaAnswers): string {
  return [...answers.entries()].map(([name, a]) => `${name}=${a.kind}`).join(',');
}

export type PluginSchemaSource = (gateways: readonly GatewayTarget[], plugins: readonly string[]) => Promise<PluginSchemaAnswers>;

