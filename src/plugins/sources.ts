// The objects plugin and consumer translation reads, looked up by name:
// built once from the lists a snapshot holds. Only Secrets that are asked
// for by name are ever read.
import type { V1Secret } from '@kubernetes/client-node';
import type { KongPluginResource } from './resources.ts';

export interface PluginSources {
  kongPlugin(namespace: string, name: string): KongPluginResource | undefined;
  kongClusterPlugin(name: string): KongPluginResource | undefined;
  secret(namespace: string, name: string): V1Secret | undefined;
  /** Every KongClusterPlugin, for the global ones. */
  kongClusterPlugins(): readonly KongPluginResource[];
}

export interface PluginSourceLists {
  kongPlugins?: readonly KongPluginResource[];
  kongClusterPlugins?: readonly KongPluginResource[];
  secrets?: readonly V1Secret[];
}

type Named = { metadata?: { name?: string; namespace?: string } };

function byNamespacedName<T extends Named>(list: readonly T[] | undefined): Map<string, T> {
  return new Map((list ?? []).map((o) => [`${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`, o]));
}

export function indexPluginSources(lists: PluginSourceLists): PluginSources {
  const plugins = byNamespacedName(lists.kongPlugins);
  const clusterPlugins = byNamespacedName(lists.kongClusterPlugins);
  const secrets = byNamespacedName(lists.secrets);
  return {
    kongPlugin: (namespace, name) => plugins.get(`${namespace}/${name}`),
    kongClusterPlugin: (name) => clusterPlugins.get(`/${name}`),
    secret: (namespace, name) => secrets.get(`${namespace}/${name}`),
    kongClusterPlugins: () => lists.kongClusterPlugins ?? [],
  };
}

/** A Secret's value as text (data is base64, stringData plain); undefined when the key is absent. */
export function secretValue(secret: V1Secret, key: string): string | undefined {
  const data = secret.data?.[key];
  if (data !== undefined) return Buffer.from(data, 'base64').toString('utf8');
  return secret.stringData?.[key];
}
