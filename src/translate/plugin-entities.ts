// Plugin entities of routes and Kong services, and the config's plugins and
// consumers. A route's entities are made once per route plan (plans are
// reused across passes); the delta pass counts them as routes come and go.
import { freezeDeep } from '../model/index.ts';
import type { KongConfig, KongPlugin, RouterFlavor } from '../model/index.ts';
import { pluginEntity } from '../plugins/index.ts';
import type { KongEntities } from './assemble.ts';
import { compareStrings } from './objects.ts';
import type { KubeObject } from './objects.ts';
import type { PluginMemory, PluginExtras } from './plugin-memory.ts';
import type { UsedObject } from './plugin-refs.ts';
import type { RoutePlan } from './route-plans.ts';

const NONE: readonly KongPlugin[] = Object.freeze([]);
const NO_USES: readonly UsedObject[] = Object.freeze([]);

interface Memories {
  entities: KongEntities;
  plugins: PluginMemory;
}

/** A route's plugins: its Ingress's on the route, its Service's on the Kong service. */
export function routePluginEntities(memory: Memories, plan: RoutePlan, flavor: RouterFlavor): readonly KongPlugin[] {
  const own = plan.options.plugins?.plugins;
  const ofService = plan.backend.plugins?.plugins;
  if (own === undefined && ofService === undefined) return NONE;
  const known = memory.plugins.routeEntities.get(plan);
  if (known?.flavor === flavor) return known.entities;
  const routeId = memory.entities.routeOf(plan, flavor).id;
  const serviceId = memory.entities.backendOf(plan.backend).service.id;
  const entities = [...(own ?? []).map((p) => pluginEntity(p, { routeId })), ...(ofService ?? []).map((p) => pluginEntity(p, { serviceId }))].map((e) => freezeDeep(e));
  memory.plugins.routeEntities.set(plan, { flavor, entities });
  return entities;
}

/** The objects a route's plugins were made from. */
export function routePluginUses(plan: RoutePlan): readonly UsedObject[] {
  const own = plan.options.plugins?.uses;
  const ofService = plan.backend.plugins?.uses;
  if (own === undefined) return ofService ?? NO_USES;
  return ofService === undefined ? own : [...own, ...ofService];
}

export function addPluginUses(into: Set<KubeObject>, plan: RoutePlan): void {
  for (const { obj } of routePluginUses(plan)) into.add(obj);
}

const byId = (a: KongPlugin, b: KongPlugin): number => compareStrings(a.id, b.id);

/**
 * The plugin entities of a set of routes, counted by id: routes to one Kong
 * service share its plugins, and an entity leaves when its last route does.
 */
export class RoutePluginSet {
  private readonly counts = new Map<string, { entity: KongPlugin; count: number }>();
  private sorted: KongPlugin[] | undefined;

  add(entities: readonly KongPlugin[]): void {
    for (const entity of entities) {
      const known = this.counts.get(entity.id);
      if (known?.entity !== entity) this.sorted = undefined;
      this.counts.set(entity.id, { entity, count: (known?.count ?? 0) + 1 });
    }
  }

  remove(entities: readonly KongPlugin[]): void {
    for (const entity of entities) {
      const known = this.counts.get(entity.id);
      if (!known) continue;
      if (known.count > 1) known.count -= 1;
      else {
        this.counts.delete(entity.id);
        this.sorted = undefined;
      }
    }
  }

  /** Sorted by id; the same array while nothing changed. */
  list(): readonly KongPlugin[] {
    this.sorted ??= [...this.counts.values()].map(({ entity }) => entity).sort(byId);
    return this.sorted;
  }
}

/** The config with its plugins and consumers; both left out when empty (configs without them keep their bytes). */
export function withPlugins(config: KongConfig, routePlugins: readonly KongPlugin[], extras: PluginExtras): KongConfig {
  const plugins = extras.plugins.length === 0 ? [...routePlugins] : [...routePlugins, ...extras.plugins].sort(byId);
  return {
    ...config,
    ...(plugins.length > 0 ? { plugins } : {}),
    ...(extras.consumers.length > 0 ? { consumers: [...extras.consumers] } : {}),
  };
}
