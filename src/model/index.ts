// The shared model: Kong's declarative entities and their ids, Kuma's mesh
// DNS names, and the failure records and results the translator hands to the
// sync engines and the controller. Plain data and pure functions; imports no
// other module.
export type {
  KongCertificate, KongConfig, KongProtocol, KongRoute, KongService, KongSni, KongTarget, KongUpstream, RouterFlavor,
  KongPlugin, KongConsumer, KongConsumerCredentials, KongKeyAuthCredential, KongBasicAuthCredential,
  KongHmacAuthCredential, KongJwtSecret, KongAclGroup,
} from './kong-config.ts';
export { OWNERSHIP_TAG, emptyKongConfig } from './kong-config.ts';
export type { KongEntityTable } from './kong-ids.ts';
export { kongEntityId, kongPluginId, kongTargetId } from './kong-ids.ts';
export { freezeDeep, freezeWithMembers, isDeeplyFrozen } from './frozen.ts';
export type { ExcludedPart, ObjectKind, ObjectRef, TranslationFailure } from './failures.ts';
export { OBJECT_KINDS, objectKey, parsePartExclusionKey, partExclusionKey } from './failures.ts';
export type { HostHandOver, HostReport, SharedHost, TranslateResult } from './translate-result.ts';
export type { HostResult, HostType, ParsedHost } from './kong-hosts.ts';
export { formatHost, normalizeIp } from './kong-hosts.ts';
export type { KongEntityKind, KongEntityType } from './kong-entity-kinds.ts';
export {
  CHILD_KINDS, KIND_LEVELS, KONG_ENTITY_KINDS, KONG_ENTITY_TYPES, KONG_SERVICE_DEFAULTS, TOP_LEVEL_KINDS,
  childKindAt, declarativeIdOf, defaultsOf, entityKind, foreignKeysOf, normalizeTarget,
} from './kong-entity-kinds.ts';
export { FAILURE_REASONS, isFailureReason } from './failure-reasons.ts';
export type { FailureReason } from './failure-reasons.ts';
export type { LegacyMeshAddress, MeshAddress, MeshAddressOptions, MeshServiceAddress } from './mesh-address.ts';
export { normaliseDnsName, parseMeshAddress } from './mesh-address.ts';
