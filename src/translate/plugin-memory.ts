// What a translator remembers of plugins between passes: each route's plugin
// entities, the global plugins and consumers of the last set of inputs, and
// each global KongClusterPlugin's last version that resolved (served while a
// newer version of it is broken: one bad global object must not take its
// plugin off every route, nor every route down).
import type { KongConsumer, KongPlugin, RouterFlavor } from '../model/index.ts';
import type { ResolvedPlugin, SchemaAnswer } from '../plugins/index.ts';
import type { KubeObject } from './objects.ts';
import type { RoutePlan } from './route-plans.ts';
import type { FailureReason } from '../model/index.ts';
import type { ObjectRef } from './types.ts';

/** Global plugins and consumers: what does not hang off a route. */
export interface PluginExtras {
  /** Global plugins and the plugins of consumers. */
  plugins: readonly KongPlugin[];
  consumers: readonly KongConsumer[];
  failures: readonly (readonly [ObjectRef, FailureReason, string])[];
  /** Objects they were made from: KongPlugins, KongClusterPlugins, KongConsumers and Secrets only (delta-pass.ts reads their lists alone). */
  uses: ReadonlySet<KubeObject>;
}

interface ExtrasMemo {
  inputs: readonly unknown[];
  schemas: readonly (readonly [string, SchemaAnswer])[];
  extras: PluginExtras;
}

export class PluginMemory {
  readonly routeEntities = new WeakMap<RoutePlan, { flavor: RouterFlavor; entities: readonly KongPlugin[] }>();
  /** Each resolved plugin's config, deep-frozen: the entities of all its routes share it. */
  readonly frozenConfigs = new WeakMap<ResolvedPlugin, Readonly<Record<string, unknown>>>();
  /** Per global KongClusterPlugin (by name), its last version that resolved in this process. */
  readonly lastGoodGlobals = new Map<string, ResolvedPlugin>();
  extras: ExtrasMemo | undefined;
}
