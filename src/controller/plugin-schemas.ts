// The plugin schemas a pass checks KongPlugin configurations against: asked
// from the gateways (GET /schemas/plugins/<name>, cached per gateway and Kong
// version by the fetcher) for the plugin names the cluster uses. Several
// gateways (a rolling upgrade) must all accept a config: a plugin one of them
// lacks is not enabled; otherwise the first schema found is used. A gateway
// that does not answer leaves the structural check: the pass goes on.
import type { GatewayTarget, PluginConfigCompleter } from '../kong/index.ts';
import {
  completePluginConfig, OFFLINE_SCHEMAS, PluginSchemaFetcher, type SchemaAnswer, type SchemaClient, type SchemaLookup,
} from '../plugins/index.ts';
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


/**
 * The schema fetcher, and the answers each gateway gave last: the DB-mode
 * engine completes plugin configs with them as Kong stores them (defaults
 * filled in), so an unchanged plugin compares equal and a field changed on
 * Kong behind meshdoor's back is put back.
 */
export class GatewaySchemas {
  readonly #fetcher = new PluginSchemaFetcher();
  readonly #lastRead = new Map<string, PluginSchemaAnswers>();

  /** The gateway's answers for these plugins (cached per gateway, Kong version and plugin by the fetcher). */
  async read(client: SchemaClient, url: string, version: string, plugins: readonly string[]): Promise<PluginSchemaAnswers> {
    const answers = await this.#fetcher.schemasFor(client, version, plugins);
    this.#lastRead.set(url, answers);
    return answers;
  }

  /** A gateway gone or restarted (perhaps as another Kong version). */
  forget(url: string): void {
    this.#lastRead.delete(url);
  }

  /** Only these gateways are left. */
  retain(urls: readonly string[]): void {
    const kept = new Set(urls);
    for (const url of [...this.#lastRead.keys()]) if (!kept.has(url)) this.#lastRead.delete(url);
  }

  readonly completePluginConfig: PluginConfigCompleter = (url, plugin) => {
    const answer = this.#lastRead.get(url)?.get(plugin.name);
    if (answer?.kind !== 'schema') return undefined;
    try {
      return completePluginConfig(answer.schema, plugin.config);
    } catch {
      // A schema in a shape this code does not know (a custom plugin's): compare meshdoor's fields only.
      return undefined;
    }
  };
}
