// Kong entities made from plugin and consumer resources, in the shape of
// Kong's declarative configuration (format 3.0): plugins carry their
// attachment as foreign ids, credentials are nested under their consumer.
/** Where a plugin applies; no id at all is a global plugin. */
export interface PluginAttachment {
  routeId?: string;
  serviceId?: string;
  consumerId?: string;
}

export interface KongPluginEntity {
  id: string;
  name: string;
  instance_name?: string;
  config: Record<string, unknown>;
  /** Absent: the plugin's own default (most plugins: grpc, grpcs, http, https). */
  protocols?: string[];
  enabled: boolean;
  route?: { id: string };
  service?: { id: string };
  consumer?: { id: string };
  tags: string[];
}

export interface KeyAuthCredential { id: string; key: string; tags: string[] }
export interface BasicAuthCredential { id: string; username: string; password: string; tags: string[] }
export interface HmacAuthCredential { id: string; username: string; secret: string; tags: string[] }
export interface JwtSecret {
  id: string; key: string; algorithm: string; secret?: string; rsa_public_key?: string; tags: string[];
}
export interface AclGroup { id: string; group: string; tags: string[] }

/** Credential lists by their name in Kong's declarative configuration. */
export interface ConsumerCredentials {
  keyauth_credentials: KeyAuthCredential[];
  basicauth_credentials: BasicAuthCredential[];
  hmacauth_credentials: HmacAuthCredential[];
  jwt_secrets: JwtSecret[];
  acls: AclGroup[];
}

export interface KongConsumerEntity extends ConsumerCredentials {
  id: string;
  username?: string;
  custom_id?: string;
  tags: string[];
}
