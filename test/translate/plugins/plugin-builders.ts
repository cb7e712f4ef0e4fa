// Builders for plugin and consumer resources, as the Kong Ingress Controller's
// users write them (group configuration.konghq.com/v1).
import type { V1Secret } from '@kubernetes/client-node';
import type { KongConsumerResource, KongPluginResource, SchemaAnswer, SchemaLookup } from '../../../src/plugins/index.ts';
import type { KongPlugin, KongConsumer } from '../../../src/model/index.ts';
import { declarativePlugin } from '../../../src/plugins/index.ts';
import type { TranslateResult } from '../../../src/translate/types.ts';
import { validateDeclarativeConfig } from '../../kong-model/validate/index.ts';

const API = 'configuration.konghq.com/v1';

export function kongPlugin(name: string, spec: Partial<KongPluginResource>, namespace = 'default'): KongPluginResource {
  return { apiVersion: API, kind: 'KongPlugin', metadata: { name, namespace, uid: `uid-${namespace}-${name}` }, ...spec };
}

export function clusterPlugin(name: string, spec: Partial<KongPluginResource>, meta: { global?: boolean; ingressClass?: string } = {}): KongPluginResource {
  return {
    apiVersion: API, kind: 'KongClusterPlugin',
    metadata: {
      name, uid: `uid-${name}`,
      ...(meta.global ? { labels: { global: 'true' } } : {}),
      ...(meta.ingressClass ? { annotations: { 'kubernetes.io/ingress.class': meta.ingressClass } } : {}),
    },
    ...spec,
  };
}

export function kongConsumer(name: string, spec: Partial<KongConsumerResource>, annotations: Record<string, string> = { 'kubernetes.io/ingress.class': 'kong' }, namespace = 'default'): KongConsumerResource {
  return { apiVersion: API, kind: 'KongConsumer', metadata: { name, namespace, uid: `uid-${namespace}-${name}`, annotations }, ...spec };
}

export function opaqueSecret(name: string, data: Record<string, string>, labels: Record<string, string> = {}, namespace = 'default'): V1Secret {
  return {
    metadata: { name, namespace, uid: `uid-secret-${namespace}-${name}`, labels },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  };
}

export const PLUGINS = 'konghq.com/plugins';

export function pluginsOf(result: TranslateResult): KongPlugin[] {
  return result.config.plugins ?? [];
}

export function consumersOf(result: TranslateResult): KongConsumer[] {
  return result.config.consumers ?? [];
}

/** What Kong's POST /config would answer for the config, in the DB-less form (plugin references as id strings). */
export function kongVerdict(result: TranslateResult): string {
  const { plugins, ...rest } = structuredClone(result.config);
  const body = { ...rest, ...(plugins ? { plugins: plugins.map(declarativePlugin) } : {}) };
  const verdict = validateDeclarativeConfig(body, { routerFlavor: 'traditional_compatible', flattenErrors: true });
  return verdict.ok ? 'accepted' : JSON.stringify(verdict.body, null, 1);
}

/** One answer object per plugin name, as the controller's schema cache gives (answers are compared by identity). */
export function cachedSchemas(lookup: SchemaLookup): SchemaLookup {
  const answers = new Map<string, SchemaAnswer>();
  return (name) => {
    let answer = answers.get(name);
    if (answer === undefined) {
      answer = lookup(name);
      answers.set(name, answer);
    }
    return answer;
  };
}
