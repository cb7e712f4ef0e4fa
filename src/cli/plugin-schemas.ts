// `meshdoor diff` and `sync` have a gateway to ask: plugin configurations are
// checked against the schemas it publishes (GET /schemas/plugins/<name>), for
// the plugins the manifests name, from the first gateway that answers. With
// none, the check is structural, as offline.
import { OFFLINE_SCHEMAS, PluginSchemaFetcher } from '../plugins/index.ts';
import type { SchemaAnswer, SchemaClient, SchemaLookup } from '../plugins/index.ts';
import type { Snapshot } from '../translate/index.ts';

/** What the CLI needs of the sync engine to ask a gateway. */
export interface SchemaSource<T> {
  detect(target: T): Promise<{ version: string }>;
  clientFor(target: T): SchemaClient;
}

/** The Kong plugin names the manifests' plugin objects use, sorted. */
export function pluginNamesOf(snapshot: Snapshot): string[] {
  const names = [...snapshot.KongPlugin, ...snapshot.KongClusterPlugin].map((p) => p.plugin).filter((name): name is string => typeof name === 'string' && name !== '');
  return [...new Set(names)].sort();
}

/** The first gateway's answers for every plugin named; offline (structure only) when no gateway answers. */
export async function gatewaySchemas<T>(source: SchemaSource<T>, targets: readonly T[], snapshot: Snapshot): Promise<{ lookup: SchemaLookup; offline: boolean }> {
  const names = pluginNamesOf(snapshot);
  if (names.length === 0) return { lookup: OFFLINE_SCHEMAS, offline: true };
  const fetcher = new PluginSchemaFetcher();
  for (const target of targets) {
    try {
      const { version } = await source.detect(target);
      const answers: ReadonlyMap<string, SchemaAnswer> = await fetcher.schemasFor(source.clientFor(target), version, names);
      if ([...answers.values()].some((answer) => answer.kind === 'unavailable')) continue;
      return { lookup: (name) => answers.get(name) ?? OFFLINE_SCHEMAS(name), offline: false };
    } catch {
      // This gateway cannot say; the next one may.
    }
  }
  return { lookup: OFFLINE_SCHEMAS, offline: true };
}
