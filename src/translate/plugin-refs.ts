// konghq.com/plugins on an Ingress, a Service or a KongConsumer, resolved
// while the object is planned. Every lookup goes through the pass's index (and
// the schema answers through the context), so a remembered plan is reused
// (ingress-memo.ts) until a plugin object, Secret or schema answer it read
// changes. A referrer gets every plugin it asks for or fails whole: a route is
// never served without a plugin it asks for.
import { parsePluginsAnnotation, pluginObjectOf, pluginSecretNames, PLUGINS_ANNOTATION, resolveReferrer } from '../plugins/index.ts';
import type {
  KongPluginResource, PluginAttachment, PluginKind, PluginObjectRef, PluginSources, ResolvedPlugin,
} from '../plugins/index.ts';
import type { FailureSink, TranslateContext } from './context.ts';
import { refOf } from './objects.ts';
import type { KubeObject } from './objects.ts';
import type { ObjectKind } from './types.ts';
import type { FailureReason } from '../model/index.ts';

/** An object a plugin was made from (the plugin object, a Secret), for `configured`. */
export interface UsedObject {
  kind: ObjectKind;
  obj: KubeObject;
}

/** The plugins a referrer asks for, resolved, and the objects they were made from. */
export interface AttachedPlugins {
  plugins: readonly ResolvedPlugin[];
  uses: readonly UsedObject[];
}

/** A plugin module failure, or the translator's own (KongRejected) about a plugin. */
export interface PluginProblem {
  object: PluginObjectRef;
  reason: FailureReason;
  message: string;
}

export type PluginsOutcome = { ok: true; attached: AttachedPlugins | undefined } | { ok: false; failures: PluginProblem[] };

type ReferrerKind = 'Ingress' | 'Service' | 'KongConsumer';

/** Most objects name no plugin: one answer for all of them. */
const NO_PLUGINS: PluginsOutcome = Object.freeze({ ok: true, attached: undefined });

/** Attachments of each kind, for the checks a plugin's schema makes on them (which ids are set, not their values). */
export const ON_ROUTE: PluginAttachment = Object.freeze({ routeId: '' });
export const ON_SERVICE: PluginAttachment = Object.freeze({ serviceId: '' });

/** The plugin objects and Secrets of the pass, looked up through its (recorded) index. */
export function indexSources(ctx: TranslateContext, clusterPlugins: readonly KongPluginResource[] = []): PluginSources {
  return {
    kongPlugin: (namespace, name) => ctx.index.lookupKongPlugin(namespace, name),
    kongClusterPlugin: (name) => ctx.index.lookupKongClusterPlugin(name),
    secret: (namespace, name) => ctx.index.lookupSecret(namespace, name),
    kongClusterPlugins: () => clusterPlugins,
  };
}

/** A plugin object and the Secrets its configuration reads (those that exist). */
export function usesOfPlugin(ctx: TranslateContext, resource: KongPluginResource, kind: PluginKind): UsedObject[] {
  const secrets = pluginSecretNames(resource, kind).flatMap(({ namespace, name }) => {
    const secret = ctx.index.lookupSecret(namespace, name);
    return secret ? [{ kind: 'Secret' as const, obj: secret }] : [];
  });
  return [{ kind, obj: resource }, ...secrets];
}

function referrerRef(kind: ReferrerKind, obj: KubeObject): PluginObjectRef {
  return { ...refOf(kind, obj), kind };
}

/** Named plugin objects Kong refused (excluded from this pass): their referrers fail too. */
export function rejectedPlugins(ctx: TranslateContext, referrer: PluginObjectRef, annotation: string): PluginProblem[] {
  const sources = indexSources(ctx);
  return parsePluginsAnnotation(annotation).flatMap((ref) => {
    const found = pluginObjectOf(ref, referrer.namespace ?? '', sources);
    if (!found || !ctx.isExcluded(found.kind, found.resource)) return [];
    const what = `${found.kind} ${found.resource.metadata?.namespace ? `${found.resource.metadata.namespace}/` : ''}${ref.name}`;
    return [{ object: referrer, reason: 'KongRejected', message: `konghq.com/plugins: '${ref.name}': Kong refused the plugin made from ${what} (see its failure); it is not served without it` }];
  });
}

/** The plugins an object's konghq.com/plugins annotation asks for, at an attachment of this kind. */
export function referrerPlugins(ctx: TranslateContext, kind: ReferrerKind, obj: KubeObject, at: PluginAttachment): PluginsOutcome {
  const annotation = obj.metadata?.annotations?.[PLUGINS_ANNOTATION];
  if (annotation === undefined || String(annotation).trim() === '') return NO_PLUGINS;
  const referrer = referrerRef(kind, obj);
  const rejected = rejectedPlugins(ctx, referrer, annotation);
  if (rejected.length > 0) return { ok: false, failures: rejected };
  const sources = indexSources(ctx);
  const resolution = resolveReferrer(annotation, at, { sources, schemas: ctx.pluginSchemas, resolver: ctx.memory.pluginResolver, referrer });
  if (!resolution.ok) return { ok: false, failures: [...resolution.failures, ...resolution.objectFailures] };
  const uses = parsePluginsAnnotation(annotation).flatMap((ref) => {
    const found = pluginObjectOf(ref, referrer.namespace ?? '', sources);
    return found ? usesOfPlugin(ctx, found.resource, found.kind) : [];
  });
  return { ok: true, attached: { plugins: resolution.plugins, uses } };
}

/** `Ingress ns/a: message` → `message`: failure records name their object already. */
function withoutSubject(failure: PluginProblem): string {
  const { kind, namespace, name } = failure.object;
  const prefix = `${kind} ${namespace ? `${namespace}/` : ''}${name}: `;
  return failure.message.startsWith(prefix) ? failure.message.slice(prefix.length) : failure.message;
}

/** Reports plugin failures; those on the referrer itself end with `consequence`. */
export function reportPluginFailures(sink: FailureSink, failures: readonly PluginProblem[], referrer?: { kind: ObjectKind; consequence: string }): void {
  for (const failure of failures) {
    const own = referrer !== undefined && failure.object.kind === referrer.kind;
    sink.add(failure.object, failure.reason, own ? `${withoutSubject(failure)}; ${referrer.consequence}` : withoutSubject(failure));
  }
}

/** The Ingress's own plugins on its spec.defaultBackend route too: it is one of its routes. */
export function ingressPluginsOf(ctx: TranslateContext, ingress: KubeObject): AttachedPlugins | undefined {
  return ctx.memory.plans.get(ingress)?.plan?.options.plugins;
}
