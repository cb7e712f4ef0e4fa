// Plugins in a declarative config, as far as the model goes: a plugin must be
// one Kong 3.9 OSS bundles and enables by default; its id is Kong's (UUIDv5 of
// its cache key), so the same plugin twice on one route is a uniqueness
// violation; and a top-level plugin naming a route or service the config does
// not have makes Kong fail (500). Plugin configurations are not validated.
import { kongEntityId } from '../../../../src/kong/ids.ts';
import type { FieldErrors } from '../schema/types.ts';
import { isPlainObject } from '../schema/types.ts';

/** `plugins` of kong.conf's default `bundled`. */
export const ENABLED_PLUGINS: ReadonlySet<string> = new Set([
  'acl', 'acme', 'ai-prompt-decorator', 'ai-prompt-guard', 'ai-prompt-template', 'ai-proxy', 'ai-request-transformer',
  'ai-response-transformer', 'aws-lambda', 'azure-functions', 'basic-auth', 'bot-detection', 'correlation-id', 'cors',
  'datadog', 'file-log', 'grpc-gateway', 'grpc-web', 'hmac-auth', 'http-log', 'ip-restriction', 'jwt', 'key-auth',
  'ldap-auth', 'loggly', 'oauth2', 'opentelemetry', 'post-function', 'pre-function', 'prometheus', 'proxy-cache',
  'rate-limiting', 'redirect', 'request-size-limiting', 'request-termination', 'request-transformer',
  'response-ratelimiting', 'response-transformer', 'session', 'standard-webhooks', 'statsd', 'syslog', 'tcp-log',
  'udp-log', 'zipkin',
]);

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
  return typeof name === 'string' && ENABLED_PLUGINS.has(name) ? null : `plugin '${String(name)}' not enabled; add it to the 'plugins' configuration property`;
}

/** Schema phase: plugins Kong does not know, at `<plugin path>.name`. */
export function pluginNameErrors(config: Record<string, unknown>, setError: (errors: FieldErrors, path: Path, message: string) => void, errors: FieldErrors): void {
  for (const site of pluginSites(config)) {
    const err = notEnabled(site.plugin['name']);
    if (err) setError(errors, [...site.path, 'name'], err);
  }
}

/** The id Kong derives for a plugin: its cache key `plugins:*:<name>:<route>:<service>:<consumer>`. */
export function pluginId(name: string, route: string, service: string): string {
  return kongEntityId('plugins', `plugins:*:${name}:${route}:${service}:`);
}
