// Kong Gateway: the declarative config and its entities, the ids Kong derives,
// Kong's own routing rules, and the engines that converge gateways with a
// config (DB-less /config or DB-mode entity diffs) through the Admin API.
export { KongAdminError, redactUrl } from './admin-errors.ts';
export { pathSegment } from './admin-client.ts';
export type { KongAdminClient } from './admin-client.ts';
export { KongClientPool } from './client-pool.ts';
export type { ClientDefaults } from './client-pool.ts';
export { canonicalJson, contentHash } from './config-hash.ts';
export type { EntityChange } from './dbmode-diff.ts';
export type { PluginConfigCompleter } from './dbmode-engine.ts';
// Kong's entity types and ids are the model's; re-exported for the Kong module's callers.
export { OWNERSHIP_TAG } from '../model/index.ts';
export type { KongCertificate, KongConfig, KongProtocol, KongRoute, KongService, KongUpstream, RouterFlavor } from '../model/index.ts';
export { entityLabel } from './entities.ts';
export { freezeDeep } from '../model/index.ts';
export { diffGateway } from './gateway-diff.ts';
export type { GatewayDiff } from './gateway-diff.ts';
export { detectKongGateway } from './gateway-info.ts';
export { kongEntityId, kongTargetId } from '../model/index.ts';
export type { KongEntityTable } from '../model/index.ts';
export type { RejectionMemory, RememberedRejection } from './rejection-memory.ts';
export { checkRouteRegex, createKongRegexRules, decodePathEscapes, lexRegex } from './rules/index.ts';
export type { KongRegexRules, RegexToken, RegexVerdict } from './rules/index.ts';
export { AutoSyncEngine, createKongSyncEngine } from './sync-engine.ts';
export type { KongSyncObserver } from './sync-observer.ts';
export type { AdminClientTls, GatewayOutcome, GatewayTarget, KongMode, KongSyncEngine, SyncReport } from './sync-types.ts';
