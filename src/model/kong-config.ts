// Kong declarative configuration (format 3.0) as meshdoor emits it.
// Children are nested under their parents (routes under services, targets
// under upstreams, SNIs under certificates), as Kong's /config and decK accept.

export type KongProtocol =
  | 'http' | 'https' | 'grpc' | 'grpcs' | 'tcp' | 'tls' | 'tls_passthrough' | 'udp' | 'ws' | 'wss';

export type RouterFlavor = 'traditional_compatible' | 'traditional' | 'expressions';

export interface KongRoute {
  id: string;
  name: string;
  protocols: readonly KongProtocol[];
  hosts?: readonly string[];
  paths?: readonly string[];
  methods?: string[];
  headers?: Record<string, string[]>;
  snis?: string[];
  /** Only with router_flavor=expressions. */
  expression?: string;
  priority?: number;
  strip_path: boolean;
  preserve_host: boolean;
  regex_priority: number;
  path_handling: 'v0' | 'v1';
  https_redirect_status_code: 426 | 301 | 302 | 307 | 308;
  request_buffering: boolean;
  response_buffering: boolean;
  tags: readonly string[];
}

export interface KongService {
  id: string;
  name: string;
  protocol: KongProtocol;
  host: string;
  port: number;
  path?: string;
  retries: number;
  connect_timeout: number;
  read_timeout: number;
  write_timeout: number;
  tags: readonly string[];
  routes: KongRoute[];
}

export interface KongTarget {
  id: string;
  target: string;
  weight: number;
  tags: readonly string[];
}

export interface KongUpstream {
  id: string;
  name: string;
  algorithm: 'round-robin' | 'consistent-hashing' | 'least-connections' | 'latency';
  host_header?: string;
  tags: readonly string[];
  targets: KongTarget[];
}

export interface KongSni {
  id: string;
  name: string;
  tags: readonly string[];
}

export interface KongCertificate {
  id: string;
  cert: string;
  key: string;
  tags: readonly string[];
  snis: KongSni[];
}

/**
 * A plugin as the Admin API takes and lists it: its attachment as `{ id }`
 * (none at all: a global plugin). The DB-less body writes the ids as strings.
 */
export interface KongPlugin {
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

export interface KongKeyAuthCredential { id: string; key: string; tags: string[] }
export interface KongBasicAuthCredential { id: string; username: string; password: string; tags: string[] }
export interface KongHmacAuthCredential { id: string; username: string; secret: string; tags: string[] }
export interface KongJwtSecret {
  id: string; key: string; algorithm: string; secret?: string; rsa_public_key?: string; tags: string[];
}
export interface KongAclGroup { id: string; group: string; tags: string[] }

/** Credential lists by their table name in Kong's declarative configuration, nested under their consumer. */
export interface KongConsumerCredentials {
  keyauth_credentials: KongKeyAuthCredential[];
  basicauth_credentials: KongBasicAuthCredential[];
  hmacauth_credentials: KongHmacAuthCredential[];
  jwt_secrets: KongJwtSecret[];
  acls: KongAclGroup[];
}

export interface KongConsumer extends KongConsumerCredentials {
  id: string;
  username?: string;
  custom_id?: string;
  tags: string[];
}

export interface KongConfig {
  _format_version: '3.0';
  services: KongService[];
  upstreams: KongUpstream[];
  certificates: KongCertificate[];
  /** Left out when there are none, so configs without plugins keep their bytes. */
  plugins?: KongPlugin[];
  consumers?: KongConsumer[];
}

/** The tag that marks an entity as meshdoor's (DB mode never touches others). */
export const OWNERSHIP_TAG = 'managed-by:meshdoor';

export function emptyKongConfig(): KongConfig {
  return { _format_version: '3.0', services: [], upstreams: [], certificates: [] };
}
