// Kong entities made from plugin and consumer resources, in the shape of
// Kong's declarative configuration (format 3.0): plugins carry their
// attachment as foreign ids, credentials are nested under their consumer.
// The entity types are the model's; the names here are this module's own.
import type {
  KongAclGroup, KongBasicAuthCredential, KongConsumer, KongConsumerCredentials, KongHmacAuthCredential,
  KongJwtSecret, KongKeyAuthCredential, KongPlugin,
} from '../model/index.ts';

/** Where a plugin applies; no id at all is a global plugin. */
export interface PluginAttachment {
  routeId?: string;
  serviceId?: string;
  consumerId?: string;
}

export type KongPluginEntity = KongPlugin;
export type KeyAuthCredential = KongKeyAuthCredential;
export type BasicAuthCredential = KongBasicAuthCredential;
export type HmacAuthCredential = KongHmacAuthCredential;
export type JwtSecret = KongJwtSecret;
export type AclGroup = KongAclGroup;
export type ConsumerCredentials = KongConsumerCredentials;
export type KongConsumerEntity = KongConsumer;
