// Kong declarative configuration (format 3.0) as meshdoor emits it.
// Children are nested under their parents (routes under services, targets
// under upstreams, SNIs under certificates), as Kong's /config and decK accept.

export type KongProtocol =
  | 'http' | 'https' | 'grpc' | 'grpcs' | 'tcp' | 'tls' | 'tls_passthrough' | 'udp' | 'ws' | 'wss';

export type RouterFlavor = 'traditional_compatible' | 'traditional' | 'expressions';

export interface KongRoute {
  id: string;
  name: string;
  protocols: KongProtocol[];
  hosts?: string[];
  paths?: string[];
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
  tags: string[];
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
  tags: string[];
  routes: KongRoute[];
}

export interface KongTarget {
  id: string;
  target: string;
  weight: number;
  tags: string[];
}

export interface KongUpstream {
  id: string;
  name: string;
  algorithm: 'round-robin' | 'consistent-hashing' | 'least-connections' | 'latency';
  host_header?: string;
  tags: string[];
  targets: KongTarget[];
}

export interface KongSni {
  id: string;
  name: string;
  tags: string[];
}

export interface KongCertificate {
  id: string;
  cert: string;
  key: string;
  tags: string[];
  snis: KongSni[];
}

export interface KongConfig {
  _format_version: '3.0';
  services: KongService[];
  upstreams: KongUpstream[];
  certificates: KongCertificate[];
}

/** The tag that marks an entity as meshdoor's (DB mode never touches others). */
export const OWNERSHIP_TAG = 'managed-by:meshdoor';

export function emptyKongConfig(): KongConfig {
  return { _format_version: '3.0', services: [], upstreams: [], certificates: [] };
}
