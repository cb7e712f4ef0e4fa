// Plugins on the objects that ask for them: the `konghq.com/plugins`
// annotation of an Ingress (its routes), a Service (its Kong service) or a
// KongConsumer, and the KongClusterPlugins labelled global. A referrer gets
// all its plugins or is a failure: a route is never served without a plugin
// it asks for.
import { createHash } from 'node:crypto';
import type { KongPluginEntity, PluginAttachment } from './entities.ts';
import type { PluginFailure, PluginObjectRef } from './failures.ts';
import { describeRef } from './failures.ts';
import { kongPluginId } from './ids.ts';
import type { PluginResolution, PluginResolver, ResolvedPlugin, SchemaLookup } from './resolve-plugin.ts';
import { resolvePlugin } from './resolve-plugin.ts';
import { GLOBAL_PLUGIN_LABEL } from './resources.ts';
import type { KongPluginResource, PluginKind } from './resources.ts';
import type { PluginSources } from './sources.ts';
import { tagsOf } from './tags.ts';

export interface PluginReference {
  /** Set for `<namespace>:<name>`. */
  namespace?: string;
  name: string;
}

/** `a, b,other:c` → references in order, blanks and repeats dropped. */
export function parsePluginsAnnotation(value: string | undefined): PluginReference[] {
  const seen = new Set<string>();
  const refs: PluginReference[] = [];
  // Not a string (an unchecked manifest): read as text, so it fails as a name instead of vanishing.
  for (const raw of String(value ?? '').split(',')) {
    const item = raw.trim();
    if (item === '' || seen.has(item)) continue;
    seen.add(item);
    const colon = item.indexOf(':');
    refs.push(colon < 0 ? { name: item } : { namespace: item.slice(0, colon), name: item.slice(colon + 1) });
  }
  return refs;
}

/** Kong's instance_name is unique gateway-wide: one per attachment, derived from it. */
function instanceNameFor(plugin: ResolvedPlugin, at: PluginAttachment): string | undefined {
  if (plugin.instanceName === undefined) return undefined;
  const ids = [at.routeId, at.serviceId, at.consumerId].filter((id) => id !== undefined);
  if (ids.length === 0) return plugin.instanceName;
  return `${plugin.instanceName}-${createHash('sha256').update(ids.join(':')).digest('hex').slice(0, 8)}`;
}

/**
 * The Kong plugin entity of a resolved plugin at one attachment, with its own
 * copy of the config unless one is given (a deep-frozen one may be shared).
 */
export function pluginEntity(plugin: ResolvedPlugin, at: PluginAttachment, config: Record<string, unknown> = structuredClone(plugin.config)): KongPluginEntity {
  const entity: KongPluginEntity = { id: kongPluginId(plugin.name, at), name: plugin.name, config, enabled: plugin.enabled, tags: tagsOf(plugin.ref) };
  const instanceName = instanceNameFor(plugin, at);
  if (instanceName !== undefined) entity.instance_name = instanceName;
  if (plugin.protocols) entity.protocols = [...plugin.protocols];
  if (at.routeId !== undefined) entity.route = { id: at.routeId };
  if (at.serviceId !== undefined) entity.service = { id: at.serviceId };
  if (at.consumerId !== undefined) entity.consumer = { id: at.consumerId };
  return entity;
}

/** The attachment a plugin's schema forbids (`consumer: eq null` on key-auth, ...), if any. */
function forbiddenAttachment(plugin: ResolvedPlugin, at: PluginAttachment): string | undefined {
  if (plugin.schema.kind !== 'schema') return undefined;
  const ids: [keyof PluginAttachment, string][] = [['routeId', 'route'], ['serviceId', 'service'], ['consumerId', 'consumer']];
  for (const [key, field] of ids) {
    if (at[key] === undefined) continue;
    const def = plugin.schema.schema.fields.find((entry) => field in entry)?.[field];
    if (def && 'eq' in def && def.eq === null) return field;
  }
  return undefined;
}

export type ReferrerPlugins =
  | { ok: true; entities: KongPluginEntity[]; schemaSkipped: string[] }
  | { ok: false; failures: PluginFailure[] };

export interface ResolveContext {
  sources: PluginSources;
  schemas: SchemaLookup;
  /** Remembers resolutions from one pass to the next; without it every reference is resolved afresh. */
  resolver?: PluginResolver;
}

export interface ReferrerContext extends ResolveContext {
  referrer: PluginObjectRef;
}

function resolveWith(ctx: ResolveContext, resource: KongPluginResource, kind: PluginKind): PluginResolution {
  return ctx.resolver ? ctx.resolver.resolve(resource, kind, ctx.sources, ctx.schemas) : resolvePlugin(resource, kind, ctx.sources, ctx.schemas);
}

/** The object a reference names: the referrer's namespace's KongPlugin, else the KongClusterPlugin of that name. */
export function pluginObjectOf(ref: PluginReference, ownNamespace: string, sources: PluginSources): { resource: KongPluginResource; kind: PluginKind } | undefined {
  if (ref.namespace !== undefined && ref.namespace !== ownNamespace) return undefined;
  const namespaced = sources.kongPlugin(ownNamespace, ref.name);
  if (namespaced) return { resource: namespaced, kind: 'KongPlugin' };
  const cluster = sources.kongClusterPlugin(ref.name);
  return cluster ? { resource: cluster, kind: 'KongClusterPlugin' } : undefined;
}

type Lookup = { plugin: ResolvedPlugin } | { failure: PluginFailure; objectFailure?: PluginFailure };

function lookup(ref: PluginReference, ctx: ReferrerContext): Lookup {
  const { referrer, sources } = ctx;
  const own = referrer.namespace ?? '';
  const fail = (reason: PluginFailure['reason'], message: string): { failure: PluginFailure } => ({
    failure: { object: referrer, reason, message: `${describeRef(referrer)}: konghq.com/plugins: ${message}` },
  });
  if (ref.namespace !== undefined && ref.namespace !== own) {
    return fail('PluginWrongNamespace', `'${ref.namespace}:${ref.name}' names a KongPlugin of namespace ${ref.namespace}; only KongPlugins of ${own} apply here (share one across namespaces with a KongClusterPlugin)`);
  }
  const found = pluginObjectOf(ref, own, sources);
  if (!found) return fail('PluginNotFound', `'${ref.name}': no KongPlugin ${own}/${ref.name} and no KongClusterPlugin ${ref.name}`);
  const resolved = resolveWith(ctx, found.resource, found.kind);
  if (!resolved.ok) return { ...fail(resolved.failure.reason, `'${ref.name}' cannot be used: ${resolved.failure.message}`), objectFailure: resolved.failure };
  return { plugin: resolved.plugin };
}

function duplicateFailure(referrer: PluginObjectRef, first: ResolvedPlugin, second: ResolvedPlugin): PluginFailure {
  return {
    object: referrer, reason: 'DuplicatePlugin',
    message: `${describeRef(referrer)}: konghq.com/plugins: ${describeRef(first.ref)} and ${describeRef(second.ref)} are both plugin ${first.name}; Kong takes one ${first.name} per route, service or consumer`,
  };
}

export type ReferrerResolution =
  | { ok: true; plugins: ResolvedPlugin[] }
  /** `objectFailures`: the plugin objects at fault, besides the referrer. */
  | { ok: false; failures: PluginFailure[]; objectFailures: PluginFailure[] };

/**
 * The plugins a referrer's annotation asks for, resolved and checked against
 * an attachment of that kind (only which ids are set matters); all of them, or failures.
 */
export function resolveReferrer(annotation: string | undefined, at: PluginAttachment, ctx: ReferrerContext): ReferrerResolution {
  const failures: PluginFailure[] = [];
  const objectFailures: PluginFailure[] = [];
  const byName = new Map<string, ResolvedPlugin>();
  for (const ref of parsePluginsAnnotation(annotation)) {
    const found = lookup(ref, ctx);
    if ('failure' in found) {
      failures.push(found.failure);
      if (found.objectFailure) objectFailures.push(found.objectFailure);
      continue;
    }
    const plugin = found.plugin;
    const earlier = byName.get(plugin.name);
    if (earlier) { failures.push(duplicateFailure(ctx.referrer, earlier, plugin)); continue; }
    const forbidden = forbiddenAttachment(plugin, at);
    if (forbidden !== undefined) {
      failures.push({ object: ctx.referrer, reason: 'InvalidPluginConfig', message: `${describeRef(ctx.referrer)}: konghq.com/plugins: plugin ${plugin.name} (${describeRef(plugin.ref)}) cannot be applied to a ${forbidden}` });
      continue;
    }
    byName.set(plugin.name, plugin);
  }
  if (failures.length > 0) return { ok: false, failures, objectFailures };
  return { ok: true, plugins: [...byName.values()] };
}

/** Why only the structure of each plugin could be checked, one line per plugin object. */
export function schemaSkips(plugins: readonly ResolvedPlugin[]): string[] {
  return plugins.flatMap((p) => (p.schemaSkipped === undefined ? [] : [`${describeRef(p.ref)}: ${p.schemaSkipped}`]));
}

/** The plugins a referrer's annotation asks for, at its attachment; all of them, or failures. */
export function pluginsForReferrer(annotation: string | undefined, at: PluginAttachment, ctx: ReferrerContext): ReferrerPlugins {
  const resolution = resolveReferrer(annotation, at, ctx);
  if (!resolution.ok) return { ok: false, failures: resolution.failures };
  const { plugins } = resolution;
  return { ok: true, entities: plugins.map((p) => pluginEntity(p, at)), schemaSkipped: schemaSkips(plugins) };
}

export interface GlobalPlugins {
  entities: KongPluginEntity[];
  /** Global KongClusterPlugins left out: every route would run without them. */
  failures: PluginFailure[];
}

/** KongClusterPlugins labelled `global: "true"`, one per Kong plugin name (first by name wins). */
export function globalPlugins(ctx: ResolveContext): GlobalPlugins {
  const globals = ctx.sources.kongClusterPlugins()
    .filter((p) => p.metadata?.labels?.[GLOBAL_PLUGIN_LABEL] === 'true')
    .sort((a, b) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1));
  const byName = new Map<string, ResolvedPlugin>();
  const failures: PluginFailure[] = [];
  for (const resource of globals) {
    const resolved = resolveWith(ctx, resource, 'KongClusterPlugin');
    if (!resolved.ok) { failures.push(resolved.failure); continue; }
    const earlier = byName.get(resolved.plugin.name);
    if (earlier) {
      failures.push({ object: resolved.plugin.ref, reason: 'DuplicatePlugin', message: `${describeRef(resolved.plugin.ref)}: global plugin ${resolved.plugin.name} is already set by ${describeRef(earlier.ref)}; Kong takes one global plugin of each name` });
      continue;
    }
    byName.set(resolved.plugin.name, resolved.plugin);
  }
  return { entities: [...byName.values()].map((p) => pluginEntity(p, {})), failures };
}
