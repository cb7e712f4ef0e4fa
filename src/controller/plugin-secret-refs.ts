// PURE: the Secrets plugin and consumer translation may read, so the watches
// keep exactly those and no other: credential Secrets named by the KongConsumers
// this bridge serves, and Secrets named by the configFrom / configPatches of the
// plugins in use (named by a served Ingress, a Service behind one, a served
// KongConsumer, or a global KongClusterPlugin of this bridge).
import type { V1Ingress, V1IngressBackend, V1IngressClass, V1Service } from '@kubernetes/client-node';
import {
  GLOBAL_PLUGIN_LABEL, parsePluginsAnnotation, PLUGINS_ANNOTATION,
  type KongConsumerResource, type KongPluginResource, type SecretKeyRef,
} from '../plugins/index.ts';
import { indexSnapshot, isClassAnnotationServed, isIngressServed, snapshotOf, type ClassOwnership, type SnapshotIndex } from '../translate/index.ts';
import { sameOwnership, type NamespacedName } from './watch-plan.ts';

export interface PluginSecretInput {
  ingresses: readonly V1Ingress[];
  ingressClasses: readonly V1IngressClass[];
  services: readonly V1Service[];
  kongPlugins: readonly KongPluginResource[];
  kongClusterPlugins: readonly KongPluginResource[];
  kongConsumers: readonly KongConsumerResource[];
  own: ClassOwnership;
}

export interface PluginSecretRefs {
  /** Secrets named by served KongConsumers' `credentials` (labelled konghq.com/credential). */
  credentials: NamespacedName[];
  /** Secrets named by the configFrom / configPatches of plugins in use (any type). */
  pluginConfig: NamespacedName[];
}

type Named = { metadata?: { namespace?: string; name?: string; annotations?: Record<string, string> } };

const keyOf = (ns: string | undefined, name: string | undefined): string => `${ns ?? ''}/${name ?? ''}`;

const classServed = isClassAnnotationServed;

function backendServices(ingress: V1Ingress): string[] {
  const backends: (V1IngressBackend | undefined)[] = [ingress.spec?.defaultBackend];
  for (const rule of ingress.spec?.rules ?? []) for (const path of rule.http?.paths ?? []) backends.push(path.backend);
  return backends.flatMap((b) => (b?.service?.name ? [b.service.name] : []));
}

/** The objects whose `konghq.com/plugins` annotation counts: served Ingresses, the Services behind them, served KongConsumers. */
function referrers(input: PluginSecretInput, index: SnapshotIndex): Named[] {
  const served = input.ingresses.filter((ing) => isIngressServed(ing, input.own, index));
  const serviceKeys = new Set(served.flatMap((ing) => backendServices(ing).map((name) => keyOf(ing.metadata?.namespace, name))));
  const services = input.services.filter((s) => serviceKeys.has(keyOf(s.metadata?.namespace, s.metadata?.name)));
  const consumers = input.kongConsumers.filter((c) => classServed(c, input.own, index));
  return [...served, ...services, ...consumers];
}

/** The plugin objects in use: the namespaced name first, then the cluster plugin, as the translator resolves them. */
function pluginsInUse(input: PluginSecretInput, index: SnapshotIndex): KongPluginResource[] {
  const namespaced = new Map(input.kongPlugins.map((p) => [keyOf(p.metadata?.namespace, p.metadata?.name), p]));
  const cluster = new Map(input.kongClusterPlugins.map((p) => [p.metadata?.name ?? '', p]));
  const used = new Set<KongPluginResource>();
  for (const referrer of referrers(input, index)) {
    const own = referrer.metadata?.namespace ?? '';
    for (const ref of parsePluginsAnnotation(referrer.metadata?.annotations?.[PLUGINS_ANNOTATION])) {
      if (ref.namespace !== undefined && ref.namespace !== own) continue;
      const found = namespaced.get(keyOf(own, ref.name)) ?? cluster.get(ref.name);
      if (found) used.add(found);
    }
  }
  for (const plugin of input.kongClusterPlugins) {
    if (plugin.metadata?.labels?.[GLOBAL_PLUGIN_LABEL] === 'true' && classServed(plugin, input.own, index)) used.add(plugin);
  }
  return [...used];
}

/** A KongPlugin reads Secrets of its own namespace; a KongClusterPlugin names the namespace. */
function secretsOf(plugin: KongPluginResource): NamespacedName[] {
  const clusterScoped = plugin.metadata?.namespace === undefined;
  const refs: (SecretKeyRef | undefined)[] = [plugin.configFrom?.secretKeyRef, ...(plugin.configPatches ?? []).map((p) => p.valueFrom?.secretKeyRef)];
  return refs.flatMap((ref) => {
    const namespace = clusterScoped ? ref?.namespace : plugin.metadata?.namespace;
    return ref?.name && namespace ? [{ namespace, name: ref.name }] : [];
  });
}

function sortedUnique(refs: readonly NamespacedName[]): NamespacedName[] {
  const unique = new Map(refs.map((r) => [keyOf(r.namespace, r.name), r]));
  return [...unique.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => r);
}

export function pluginSecretRefs(input: PluginSecretInput): PluginSecretRefs {
  const index = indexSnapshot(snapshotOf({ IngressClass: input.ingressClasses }));
  const credentials = input.kongConsumers
    .filter((c) => classServed(c, input.own, index) && c.metadata?.namespace)
    .flatMap((c) => (Array.isArray(c.credentials) ? c.credentials : [])
      .filter((name): name is string => typeof name === 'string' && name !== '')
      .map((name) => ({ namespace: c.metadata?.namespace ?? '', name })));
  return { credentials: sortedUnique(credentials), pluginConfig: sortedUnique(pluginsInUse(input, index).flatMap(secretsOf)) };
}

/**
 * Recomputes the references only when one of the lists changed (watch caches
 * hand out the same list while nothing changed). Ingresses and Services only
 * decide which plugins are in use: while no plugin names a Secret, their
 * edits (every sync at scale) change nothing.
 */
export class PluginSecretPlan {
  private last: { input: PluginSecretInput; refs: PluginSecretRefs } | undefined;

  refs(input: PluginSecretInput): PluginSecretRefs {
    const last = this.last;
    // The new lists are kept either way, not the old ones (they would keep replaced objects alive).
    const refs = last !== undefined && stillHolds(last.input, input) ? last.refs : pluginSecretRefs(input);
    this.last = { input, refs };
    return refs;
  }
}

/** Whether the references found from `before` hold for `after`: no list changed, or only Ingresses and Services while no plugin names a Secret. */
function stillHolds(before: PluginSecretInput, after: PluginSecretInput): boolean {
  const changed = (Object.keys(after) as (keyof PluginSecretInput)[])
    .filter((key) => (key === 'own' ? !sameOwnership(before.own, after.own) : before[key] !== after[key]));
  return changed.length === 0 || (changed.every((key) => key === 'ingresses' || key === 'services') && noPluginNamesSecrets(after));
}

function noPluginNamesSecrets(input: PluginSecretInput): boolean {
  return input.kongPlugins.every((p) => secretsOf(p).length === 0) && input.kongClusterPlugins.every((p) => secretsOf(p).length === 0);
}
