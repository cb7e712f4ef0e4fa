// Plugin entities of routes and Kong services, and the config's plugins and
// consumers. A route's entities are made once per route plan (plans are
// reused across passes); the delta pass counts them as routes come and go.
import { freezeDeep } from '../model/index.ts';
import type { KongConfig, KongConsumer, KongPlugin, RouterFlavor } from '../model/index.ts';
import { pluginEntity } from '../plugins/index.ts';
import type { ResolvedPlugin } from '../plugins/index.ts';
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
  const serviceId = memory.entities.serviceIdOf(plan.backend);
  const configOf = (plugin: ResolvedPlugin): Record<string, unknown> => {
    let config = memory.plugins.frozenConfigs.get(plugin);
    if (config === undefined) {
      config = freezeDeep(structuredClone(plugin.config));
      memory.plugins.frozenConfigs.set(plugin, config);
    }
    return config;
  };
  const entities = [
    ...(own ?? []).map((p) => pluginEntity(p, { routeId }, configOf(p))),
    ...(ofService ?? []).map((p) => pluginEntity(p, { serviceId }, configOf(p))),
  ].map((e) => freezeDeep(e));
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
 * The sorted list is kept across passes as SortedByName keeps services: an
 * entity replaced under the same id patches one slot of a copy; only an id
 * that comes or goes sorts again.
 */
export class RoutePluginSet {
  private readonly counts = new Map<string, { entity: KongPlugin; count: number }>();
  private items: readonly KongPlugin[] = NONE;
  private slots = new Map<string, number>();
  private readonly pending = new Set<string>();

  // Index loops: add runs for every route of a cold pass, nearly always with no entities,
  // and a for-of would make an iterator for each where the pass is not optimized yet.
  add(entities: readonly KongPlugin[]): void {
    for (let i = 0; i < entities.length; i += 1) {
      const entity = entities[i] as KongPlugin;
      const known = this.counts.get(entity.id);
      if (known?.entity !== entity) this.pending.add(entity.id);
      this.counts.set(entity.id, { entity, count: (known?.count ?? 0) + 1 });
    }
  }

  remove(entities: readonly KongPlugin[]): void {
    for (let i = 0; i < entities.length; i += 1) {
      const entity = entities[i] as KongPlugin;
      const known = this.counts.get(entity.id);
      if (!known) continue;
      if (known.count > 1) known.count -= 1;
      else {
        this.counts.delete(entity.id);
        this.pending.add(entity.id);
      }
    }
  }

  /** Sorted by id, frozen; the same array while nothing changed. */
  list(): readonly KongPlugin[] {
    if (this.pending.size === 0) return this.items;
    const reshapes = [...this.pending].some((id) => this.counts.has(id) !== this.slots.has(id));
    if (reshapes) {
      const items = [...this.counts.values()].map(({ entity }) => entity).sort(byId);
      this.slots = new Map(items.map((item, slot) => [item.id, slot]));
      this.items = Object.freeze(items);
    } else {
      const items = [...this.items];
      for (const id of this.pending) {
        const slot = this.slots.get(id);
        const entity = this.counts.get(id)?.entity;
        if (slot !== undefined && entity) items[slot] = entity;
      }
      this.items = Object.freeze(items);
    }
    this.pending.clear();
    return this.items;
  }
}

/** Two lists sorted by id, merged. */
function merged(a: readonly KongPlugin[], b: readonly KongPlugin[]): KongPlugin[] {
  if (b.length === 0) return [...a];
  const sortedB = [...b].sort(byId);
  const out: KongPlugin[] = [];
  let j = 0;
  for (const item of a) {
    while (j < sortedB.length && byId(sortedB[j] as KongPlugin, item) < 0) out.push(sortedB[j++] as KongPlugin);
    out.push(item);
  }
  while (j < sortedB.length) out.push(sortedB[j++] as KongPlugin);
  return out;
}

/**
 * The config's plugins and consumers: the route plugins (sorted) and the
 * global and consumer plugins, merged by id; the same array while neither changed.
 */
export class ConfigPlugins {
  private last: { routes: readonly KongPlugin[]; extras: PluginExtras; plugins: readonly KongPlugin[] } | undefined;

  /** The config with its plugins and consumers; both left out when empty (configs without them keep their bytes). */
  withPlugins(config: KongConfig, routePlugins: readonly KongPlugin[], extras: PluginExtras): KongConfig {
    const { last } = this;
    const plugins = last?.routes === routePlugins && last.extras === extras ? last.plugins : Object.freeze(merged(routePlugins, extras.plugins));
    this.last = { routes: routePlugins, extras, plugins };
    if (plugins.length === 0 && extras.consumers.length === 0) return config;
    return {
      ...config,
      // Frozen arrays handed out again while nothing changed, as the services' are.
      ...(plugins.length > 0 ? { plugins: plugins as KongPlugin[] } : {}),
      ...(extras.consumers.length > 0 ? { consumers: extras.consumers as KongConsumer[] } : {}),
    };
  }
}
