// Kong plugins and consumers: the KongPlugin, KongClusterPlugin and
// KongConsumer resources turned into Kong plugin, consumer and credential
// entities, and plugin configurations checked before they reach Kong. Pure,
// except the schema fetcher (schema-fetcher.ts), which asks the gateway.
export type { PluginSchema, SchemaField, NamedFields, EntityCheckJson } from './schema/schema-types.ts';
export type { ConfigProblem } from './schema/validate-config.ts';
export { validatePluginEntity, completePluginConfig, uncheckedCustomChecks } from './schema/validate-config.ts';
export type { SchemaAnswer, PluginEntityDraft, PluginCheck } from './validation.ts';
export { checkPlugin, describeProblems } from './validation.ts';
export { PluginSchemaFetcher } from './schema-fetcher.ts';
export type { PluginSchemaFetcherOptions, SchemaClient } from './schema-fetcher.ts';
export type { KongPluginResource, KongConsumerResource, PluginKind, SecretKeyRef, ConfigPatch } from './resources.ts';
export { KONG_CONFIGURATION_API_VERSION, PLUGINS_ANNOTATION, GLOBAL_PLUGIN_LABEL, CREDENTIAL_LABEL } from './resources.ts';
export type { PluginObjectKind, PluginObjectRef, PluginFailure, PluginFailureReason } from './failures.ts';
export type {
  PluginAttachment, KongPluginEntity, KongConsumerEntity, ConsumerCredentials,
  KeyAuthCredential, BasicAuthCredential, HmacAuthCredential, JwtSecret, AclGroup,
} from './entities.ts';
export { kongPluginId, kongConsumerId, kongCredentialId } from './ids.ts';
export type { PluginSources, PluginSourceLists } from './sources.ts';
export { indexPluginSources } from './sources.ts';
export type { SchemaLookup, ResolvedPlugin, PluginResolution } from './resolve-plugin.ts';
export { resolvePlugin, OFFLINE_SCHEMAS, PluginResolver } from './resolve-plugin.ts';
export { pluginSecretNames } from './plugin-config.ts';
export type { PluginReference, ReferrerPlugins, ReferrerResolution, ReferrerContext, GlobalPlugins, ResolveContext } from './attach.ts';
export { parsePluginsAnnotation, pluginEntity, pluginsForReferrer, globalPlugins, pluginObjectOf, resolveReferrer, schemaSkips } from './attach.ts';
export type { ConsumerTranslation } from './consumers.ts';
export { translateConsumers } from './consumers.ts';
export { CREDENTIAL_TYPES } from './credentials.ts';
export type { DeclarativePlugin } from './declarative-form.ts';
export { declarativePlugin } from './declarative-form.ts';
