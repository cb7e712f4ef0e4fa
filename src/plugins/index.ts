// Kong plugins and consumers: the KongPlugin, KongClusterPlugin and
// KongConsumer resources turned into Kong plugin, consumer and credential
// entities, and plugin configurations checked before they reach Kong. Pure,
// except the schema fetcher (plugin-schema-fetcher.ts).
export type { PluginSchema, SchemaField, NamedFields, EntityCheckJson } from './schema/schema-types.ts';
export type { ConfigProblem } from './schema/validate-config.ts';
export { validatePluginEntity, completePluginConfig, uncheckedCustomChecks } from './schema/validate-config.ts';
export type { SchemaAnswer, PluginEntityDraft, PluginCheck } from './validation.ts';
export { checkPlugin, describeProblems } from './validation.ts';
export { PluginSchemaFetcher } from './schema-fetcher.ts';
export type { PluginSchemaFetcherOptions, SchemaClient } from './schema-fetcher.ts';
