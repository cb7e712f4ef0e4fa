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
export { OWNERSHIP_TAG } from './declarative.ts';
export type { KongCertificate, KongConfig, KongProtocol, KongRoute, KongService, KongUpstream, RouterFlavor } from './declarative.ts';
export { entityLabel } from './entities.ts';
export { freezeDeep } from './frozen.ts';
export { diffGateway } from './gateway-diff.ts';
export type { GatewayDiff } from './gateway-diff.ts';
export { detectKongGateway } from './gateway-info.ts';
export { kongEntityId, kongTargetId } from './ids.ts';
export type { KongEntityTable } from './ids.ts';
export type { RejectionMemory, RememberedRejection } from './rejection-memory.ts';
export { checkRouteRegex, decodePathEscapes, lexRegex } from './rules/index.ts';
export type { RegexToken } from './rules/index.ts';
export { AutoSyncEngine, createKongSyncEngine } from './sync-engine.ts';
export type { KongSyncObserver } from './sync-observer.ts';
export type { AdminClientTls, GatewayOutcome, GatewayTarget, KongMode, KongSyncEngine, SyncReport } from './sync-types.ts';
