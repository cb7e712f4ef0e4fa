// Plugins in a declarative config, as far as the model goes: a plugin must be
// one Kong 3.9 OSS enables (the recorded list); its id is Kong's (UUIDv5 of
// its cache key), so the same plugin twice on one route is a uniqueness
// violation; a top-level plugin naming a route, service or consumer the
// config does not have makes Kong fail (500). Configurations are checked and
// completed against the recorded schema with the product's plugin validation.
import { kongPluginId } from '../../../../src/model/index.ts';
import { pluginFieldErrors, recordedPluginSchema, storedPlugin, enabledPlugins } from '../plugins/recorded-plugins.ts';
import type { FieldErrors } from '../schema/types.ts';
import { isPlainObject } from '../schema/types.ts';

export type Path = (string | number)[];

/** A plugin and where it sits: top level, or nested under a service or route. */
export interface PluginSite {
  plugin: Record<string, unknown>;
  path: Path;
  parent?: { type: 'services' | 'routes'; path: Path };
}

function sitesIn(list: unknown, path: Path, parent?: PluginSite['parent']): PluginSite[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((plugin: unknown, i) => (isPlainObject(plugin) ? [{ plugin, path: [...path, i], ...(parent ? { parent } : {}) }] : []));
}

function withPlugins(type: 'services' | 'routes', list: unknown, path: Path): PluginSite[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown, i) => {
    if (!isPlainObject(item)) return [];
    const here = [...path, i];
    const own = sitesIn(item['plugins'], [...here, 'plugins'], { type, path: here });
    return type === 'services' ? [...own, ...withPlugins('routes', item['routes'], [...here, 'routes'])] : own;
  });
}

/** Every plugin of the document, in document order. */
export function pluginSites(config: Record<string, unknown>): PluginSite[] {
  return [
    ...withPlugins('services', config['services'], ['services']),
    ...withPlugins('routes', config['routes'], ['routes']),
    ...sitesIn(config['plugins'], ['plugins']),
  ];
}

export function notEnabled(name: unknown): string | null {
  return typeof name === 'string' && enabledPlugins().has(name) ? null : `plugin '${String(name)}' not enabled; add it to the 'plugins' configuration property`;
}

/** A plugin's own fields: a top-level plugin's route/service/consumer are references, resolved later. */
export function ownFields(site: PluginSite): Record<string, unknown> {
  if (site.parent) return { ...site.plugin };
  const { route: _r, service: _s, consumer: _c, ...own } = site.plugin;
  return own;
}

/** `tree[path]` as an error table, created (arrays with null holes) when missing. */
function errorTable(tree: FieldErrors, path: Path): FieldErrors {
  let node: Record<string | number, unknown> = tree;
  path.forEach((key, i) => {
    const next = path[i + 1];
    if (node[key] === undefined || node[key] === null) node[key] = next === undefined ? {} : typeof next === 'number' ? [] : {};
    if (Array.isArray(node)) for (let j = 0; j < node.length; j++) (node as unknown[])[j] ??= null;
    node = node[key] as Record<string | number, unknown>;
  });
  return node as FieldErrors;
}

/**
 * Schema phase: a plugin Kong does not know fails on its name; a known one
 * is validated against its recorded schema, its errors at the plugin's place.
 */
export function pluginErrors(config: Record<string, unknown>, errors: FieldErrors): void {
  for (const site of pluginSites(config)) {
    const notKnown = notEnabled(site.plugin['name']);
    if (notKnown) {
      errorTable(errors, site.path)['name'] = notKnown;
      continue;
    }
    const schema = recordedPluginSchema(String(site.plugin['name']));
    const own = ownFields(site);
    const config = isPlainObject(own['config']) ? own['config'] : {};
    const found = schema ? pluginFieldErrors(schema, { ...own, config }) : null;
    if (found) Object.assign(errorTable(errors, site.path), found);
  }
}

/** The plugin entity Kong loads: defaults filled, id and foreign keys set. */
export function pluginEntity(site: PluginSite, id: string, refs: { route: string; service: string; consumer: string }): Record<string, unknown> {
  const schema = recordedPluginSchema(String(site.plugin['name']));
  const own = { ...ownFields(site), id };
  const entity = schema ? storedPlugin(schema, own) : own;
  const ref = (value: string): { id: string } | null => (value ? { id: value } : null);
  return { ...entity, route: ref(refs.route), service: ref(refs.service), consumer: ref(refs.consumer) };
}

/** The id Kong derives for a plugin: its cache key `plugins:*:<name>:<route>:<service>:<consumer>`. */
export function pluginId(name: string, route: string, service: string, consumer = ''): string {
  return kongPluginId(name, { ...(route ? { routeId: route } : {}), ...(service ? { serviceId: service } : {}), ...(consumer ? { consumerId: consumer } : {}) });
}
