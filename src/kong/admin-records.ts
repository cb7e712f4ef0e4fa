// Entities as the Admin API returns them (docs/kong-admin-api.md):
// every schema field present, unset ones null, foreign keys as `{id}`.
import { entityKind, type KongEntityType, type KongProtocol } from '../model/index.ts';

export type { KongEntityType };

interface KongRecordBase {
  id: string;
  created_at: number;
  updated_at: number;
  tags: string[] | null;
}

type ForeignKey = { id: string };

export interface KongServiceRecord extends KongRecordBase {
  name: string | null;
  protocol: KongProtocol;
  host: string;
  port: number;
  path: string | null;
  retries: number;
  connect_timeout: number;
  read_timeout: number;
  write_timeout: number;
  enabled: boolean;
  client_certificate: ForeignKey | null;
  tls_verify: boolean | null;
  tls_verify_depth: number | null;
  ca_certificates: string[] | null;
}

export interface KongRouteRecord extends KongRecordBase {
  name: string | null;
  protocols: KongProtocol[];
  hosts: string[] | null;
  paths: string[] | null;
  methods: string[] | null;
  headers: Record<string, string[]> | null;
  snis: string[] | null;
  strip_path: boolean;
  preserve_host: boolean;
  regex_priority: number;
  path_handling: 'v0' | 'v1';
  https_redirect_status_code: number;
  request_buffering: boolean;
  response_buffering: boolean;
  service: ForeignKey | null;
}

export interface KongUpstreamRecord extends KongRecordBase {
  name: string;
  algorithm: string;
  slots: number;
  host_header: string | null;
  healthchecks: Record<string, unknown>;
}

export interface KongTargetRecord extends KongRecordBase {
  upstream: ForeignKey;
  /** Normalised `host:port` (port 8000 when none was given). */
  target: string;
  weight: number;
}

export interface KongCertificateRecord extends KongRecordBase {
  cert: string;
  key: string;
  cert_alt: string | null;
  key_alt: string | null;
  /** Names of the certificate's SNIs, sorted. */
  snis: string[];
}

export interface KongSniRecord extends KongRecordBase {
  name: string;
  certificate: ForeignKey;
}

export interface KongPluginRecord extends KongRecordBase {
  name: string;
  instance_name: string | null;
  /** As Kong stores it: every field of the plugin's schema, defaults filled in. */
  config: Record<string, unknown>;
  protocols: string[];
  enabled: boolean;
  route: ForeignKey | null;
  service: ForeignKey | null;
  consumer: ForeignKey | null;
}

export interface KongConsumerRecord extends KongRecordBase {
  username: string | null;
  custom_id: string | null;
}

/** A consumer's credential (key-auth, basic-auth with the password hashed, hmac-auth, jwt, acl). */
export interface KongCredentialRecord {
  id: string;
  created_at: number;
  consumer: ForeignKey;
  tags: string[] | null;
  [field: string]: unknown;
}

export interface KongRecords {
  services: KongServiceRecord;
  routes: KongRouteRecord;
  upstreams: KongUpstreamRecord;
  targets: KongTargetRecord;
  certificates: KongCertificateRecord;
  snis: KongSniRecord;
  plugins: KongPluginRecord;
  consumers: KongConsumerRecord;
  keyauth_credentials: KongCredentialRecord;
  basicauth_credentials: KongCredentialRecord;
  hmacauth_credentials: KongCredentialRecord;
  jwt_secrets: KongCredentialRecord;
  acls: KongCredentialRecord;
}

/** Collection path of an entity type; targets and credentials only exist under their parent. */
export function collectionPath(type: KongEntityType, parentId?: string): string {
  const kind = entityKind(type);
  if (!kind.underParent || kind.parent === undefined) return `/${type}`;
  if (parentId === undefined) throw new Error(`${type} are listed per ${entityKind(kind.parent.table).singular}`);
  return `/${kind.parent.table}/${encodeURIComponent(parentId)}/${kind.adminPath ?? type}`;
}
