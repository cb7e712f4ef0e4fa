// Global plugins (KongClusterPlugins labelled global: "true") and
// KongConsumers, with their credentials and plugins: the plugin entities that
// do not hang off a route. Both follow the class rule of the Kong Ingress
// Controller: the kubernetes.io/ingress.class annotation names meshdoor's
// class, or there is none and meshdoor's IngressClass is the cluster default.
import { freezeDeep } from '../model/index.ts';
import type { KongPlugin } from '../model/index.ts';
import {
  GLOBAL_PLUGIN_LABEL, parsePluginsAnnotation, pluginEntity, pluginObjectOf, PLUGINS_ANNOTATION, translateConsumers,
} from '../plugins/index.ts';
import type { KongConsumerResource, KongPluginResource, ResolvedPlugin, SchemaAnswer } from '../plugins/index.ts';
import type { FailureSink, TranslateContext } from './context.ts';
import { compareStrings, refOf } from './objects.ts';
import type { KubeObject } from './objects.ts';
import { indexSources, rejectedPlugins, reportPluginFailures, usesOfPlugin } from './plugin-refs.ts';
import type { PluginProblem, UsedObject } from './plugin-refs.ts';
import type { PluginExtras } from './plugin-memory.ts';
import { isClassAnnotationServed } from './sources/index.ts';
import type { Snapshot } from './types.ts';

type Failure = PluginExtras['failures'][number];

interface Collected {
  failures: Failure[];
  uses: Set<KubeObject>;
  sink: FailureSink;
}

function collector(): Collected {
  const failures: Failure[] = [];
  return { failures, uses: new Set(), sink: { add: (object, reason, message) => { failures.push([object, reason, message]); } } };
}

function use(into: Collected, used: readonly UsedObject[]): void {
  for (const { obj } of used) into.uses.add(obj);
}

const isClassServed = (ctx: TranslateContext, obj: KubeObject): boolean => isClassAnnotationServed(obj, ctx.settings, ctx.index);

const byObjectName = (a: KubeObject, b: KubeObject): number => compareStrings(a.metadata?.name ?? '', b.metadata?.name ?? '');

function globalResolution(ctx: TranslateContext, resource: KongPluginResource, into: Collected, served: readonly KongPluginResource[]): ResolvedPlugin | undefined {
  const name = resource.metadata?.name ?? '';
  const lastGood = ctx.memory.plugins.lastGoodGlobals;
  const resolved = ctx.memory.pluginResolver.resolve(resource, 'KongClusterPlugin', indexSources(ctx, served), ctx.pluginSchemas);
  if (resolved.ok) {
    lastGood.set(name, resolved.plugin);
    use(into, usesOfPlugin(ctx, resource, 'KongClusterPlugin'));
    return resolved.plugin;
  }
  const kept = lastGood.get(name);
  const consequence = kept
    ? 'global plugin: its last version that resolved is served instead until it is fixed'
    : 'global plugin left out: every route is served without it until it is fixed';
  reportPluginFailures(into.sink, [resolved.failure], { kind: 'KongClusterPlugin', consequence });
  return kept;
}

/** One Kong plugin per name with no attachment; a broken one keeps its last version that resolved. */
function globalPlugins(ctx: TranslateContext, snapshot: Snapshot, into: Collected): KongPlugin[] {
  const served = snapshot.KongClusterPlugin
    .filter((p) => p.metadata?.labels?.[GLOBAL_PLUGIN_LABEL] === 'true' && isClassServed(ctx, p) && !ctx.isExcluded('KongClusterPlugin', p))
    .sort(byObjectName);
  const byName = new Map<string, ResolvedPlugin>();
  for (const resource of served) {
    const plugin = globalResolution(ctx, resource, into, served);
    if (!plugin) continue;
    const earlier = byName.get(plugin.name);
    if (earlier) {
      into.sink.add(refOf('KongClusterPlugin', resource), 'DuplicatePlugin',
        `global plugin ${plugin.name} is already set by KongClusterPlugin ${earlier.ref.name}; Kong takes one global plugin of each name, so this one is left out`);
      continue;
    }
    byName.set(plugin.name, plugin);
  }
  return [...byName.values()].map((p) => freezeDeep(pluginEntity(p, {})));
}

/** What a served consumer is made from: itself, its credential Secrets, its plugins and their Secrets. */
function usesOfConsumer(ctx: TranslateContext, consumer: KongConsumerResource): UsedObject[] {
  const namespace = consumer.metadata?.namespace ?? '';
  const secrets = (consumer.credentials ?? []).flatMap((name) => {
    const secret = ctx.index.lookupSecret(namespace, name);
    return secret ? [{ kind: 'Secret' as const, obj: secret }] : [];
  });
  const plugins = parsePluginsAnnotation(consumer.metadata?.annotations?.[PLUGINS_ANNOTATION]).flatMap((ref) => {
    const found = pluginObjectOf(ref, namespace, indexSources(ctx));
    return found ? usesOfPlugin(ctx, found.resource, found.kind) : [];
  });
  return [{ kind: 'KongConsumer', obj: consumer }, ...secrets, ...plugins];
}

const CONSUMER_LEFT_OUT = 'the consumer is left out, with its credentials and plugins';

/** Credential Secrets Kong refused (excluded: their entities are tagged with the Secret): served whole or not at all. */
function rejectedCredentials(ctx: TranslateContext, consumer: KongConsumerResource): PluginProblem[] {
  const namespace = consumer.metadata?.namespace ?? '';
  const names = Array.isArray(consumer.credentials) ? consumer.credentials : [];
  return names.flatMap((name) => {
    const secret = ctx.index.lookupSecret(namespace, name);
    if (!secret || !ctx.isExcluded('Secret', secret)) return [];
    const object = { ...refOf('KongConsumer', consumer), kind: 'KongConsumer' as const };
    return [{ object, reason: 'KongRejected' as const, message: `credentials: Kong refused the credential made from Secret ${namespace}/${name} (see its failure)` }];
  });
}

function consumers(ctx: TranslateContext, snapshot: Snapshot, into: Collected): Pick<PluginExtras, 'consumers' | 'plugins'> {
  const candidates: KongConsumerResource[] = [];
  for (const consumer of snapshot.KongConsumer) {
    if (!isClassServed(ctx, consumer) || ctx.isExcluded('KongConsumer', consumer)) continue;
    const annotation = consumer.metadata?.annotations?.[PLUGINS_ANNOTATION];
    const rejected = [
      ...rejectedCredentials(ctx, consumer),
      ...(annotation === undefined ? [] : rejectedPlugins(ctx, { ...refOf('KongConsumer', consumer), kind: 'KongConsumer' }, annotation)),
    ];
    if (rejected.length > 0) {
      reportPluginFailures(into.sink, rejected, { kind: 'KongConsumer', consequence: CONSUMER_LEFT_OUT });
      continue;
    }
    candidates.push(consumer);
  }
  const out = translateConsumers(candidates, { sources: indexSources(ctx), schemas: ctx.pluginSchemas, resolver: ctx.memory.pluginResolver });
  reportPluginFailures(into.sink, out.failures, { kind: 'KongConsumer', consequence: CONSUMER_LEFT_OUT });
  const failed = new Set(out.failures.filter((f) => f.object.kind === 'KongConsumer').map((f) => `${f.object.namespace ?? ''}/${f.object.name}`));
  for (const consumer of candidates) {
    if (!failed.has(`${consumer.metadata?.namespace ?? ''}/${consumer.metadata?.name ?? ''}`)) use(into, usesOfConsumer(ctx, consumer));
  }
  return { consumers: out.consumers.map((c) => freezeDeep(c)), plugins: out.plugins.map((p) => freezeDeep(p)) };
}

function computeExtras(ctx: TranslateContext, snapshot: Snapshot): PluginExtras {
  const into = collector();
  const globals = globalPlugins(ctx, snapshot, into);
  const made = consumers(ctx, snapshot, into);
  return { plugins: Object.freeze([...globals, ...made.plugins]), consumers: Object.freeze(made.consumers), failures: into.failures, uses: into.uses };
}

/**
 * The global plugins and consumers of a pass: remembered while the lists they
 * are made from, the settings and the schema answers they read are the same
 * (not across passes that exclude objects).
 */
export function pluginExtras(ctx: TranslateContext, snapshot: Snapshot): PluginExtras {
  const memory = ctx.memory.plugins;
  const inputs = [snapshot.KongClusterPlugin, snapshot.KongPlugin, snapshot.KongConsumer, snapshot.Secret, snapshot.IngressClass, ctx.settings];
  const memo = memory.extras;
  if (!ctx.excluding && memo && memo.inputs.every((input, i) => input === inputs[i])
    && memo.schemas.every(([plugin, answer]) => ctx.pluginSchemas(plugin) === answer)) return memo.extras;
  const schemas: [string, SchemaAnswer][] = [];
  const recording: TranslateContext = {
    ...ctx,
    pluginSchemas: (plugin) => {
      const answer = ctx.pluginSchemas(plugin);
      schemas.push([plugin, answer]);
      return answer;
    },
  };
  const extras = computeExtras(recording, snapshot);
  if (!ctx.excluding) memory.extras = { inputs, schemas, extras };
  return extras;
}
