// The effective settings of one bridge: a MeshDoor spec with defaults applied.
import type { RouterFlavor } from '../model/index.ts';

export type UpstreamMode = 'service' | 'mesh' | 'endpoints';

export interface MeshSettings {
  /** Kuma mesh name; sets the `kuma.io/mesh` label on the gateway when given. */
  name?: string;
  /** Kuma DNS domain (KUMA_DNS_SERVER_DOMAIN), default `mesh`. */
  domain: string;
  /** Port that legacy `.mesh` VIPs listen on, default 80. */
  vipPort: number;
  /** Kuma's control-plane namespace; Kuma's injection webhooks skip it. */
  controlPlaneNamespace: string;
}

export interface GatewaySettings {
  namespace: string;
  deployment: string;
  /** Set the namespace's `kuma.io/sidecar-injection` label key (value `disabled`) when missing. */
  labelNamespace: boolean;
  /** Add a projected token volume for Kuma's sidecar to the pod template when it lacks one. */
  manageTokenVolume: boolean;
}

/**
 * Where the Admin API's mutual-TLS certificates come from: `managed` (meshdoor
 * runs a small CA and rotates them), `provided` (the user's, e.g. cert-manager;
 * meshdoor only reads them) or `off` (no certificates from Secrets).
 */
export type AdminCertificates = 'managed' | 'provided' | 'off';

export interface AdminTlsSettings {
  certificates: AdminCertificates;
  /** Secrets in the gateway's namespace. */
  caSecret: string;
  /** Kong's serving certificate and the client CAs it trusts: tls.crt, tls.key, ca.crt. */
  servingSecret: string;
  /** meshdoor's client certificate and the CAs it trusts for Kong: tls.crt, tls.key, ca.crt. */
  clientSecret: string;
}

export interface KongAdminSettings {
  /** `namespace/name` of the Kong admin Service whose ready endpoints get the config. */
  service?: string;
  /** Port name on that Service, default `admin`. */
  portName: string;
  /** Static admin URLs, used instead of discovery when given. */
  urls: string[];
  tls: AdminTlsSettings;
}

/**
 * Who may route a host: `Shared` (Kubernetes merging: paths of one host may come
 * from several namespaces) or `Namespace` (a host belongs to the namespace of the
 * oldest Ingress claiming it; others need the owner's delegation).
 */
export type HostOwnership = 'Shared' | 'Namespace';

export interface MeshDoorSettings {
  /** Name of the MeshDoor object these settings came from (`default` when none). */
  name: string;
  ingressClass: string;
  /** The IngressClass `spec.controller` value this bridge owns; classes of other controllers are not served. */
  controllerName: string;
  upstreamMode: UpstreamMode;
  clusterDomain: string;
  routerFlavor: RouterFlavor;
  mesh: MeshSettings;
  /** ExternalName targets allowed besides mesh addresses: exact names or `*.suffix`. */
  externalNameAllow: string[];
  gateway: GatewaySettings;
  kongAdmin: KongAdminSettings;
  /** `namespace/name` of the Service whose address goes into Ingress status. */
  publishService?: string;
  /** Static addresses for Ingress status (override publishService). */
  publishAddresses: string[];
  /** Keep serving the last valid version of an object that becomes invalid (default true). */
  serveLastValid: boolean;
  /** spec.hosts.ownership, default Shared. */
  hostOwnership: HostOwnership;
}

export const DEFAULT_SETTINGS: Readonly<MeshDoorSettings> = Object.freeze({
  name: 'default',
  ingressClass: 'kong',
  controllerName: 'meshdoor.dev/ingress-controller',
  upstreamMode: 'service',
  clusterDomain: 'cluster.local',
  routerFlavor: 'traditional_compatible',
  mesh: Object.freeze({ domain: 'mesh', vipPort: 80, controlPlaneNamespace: 'kuma-system' }),
  externalNameAllow: [],
  gateway: Object.freeze({ namespace: 'kong', deployment: 'kong-gateway', labelNamespace: false, manageTokenVolume: false }),
  kongAdmin: Object.freeze({
    service: 'kong/kong-admin', portName: 'admin', urls: [],
    tls: Object.freeze({ certificates: 'off', caSecret: 'meshdoor-admin-ca', servingSecret: 'kong-admin-tls', clientSecret: 'meshdoor-admin-client' }),
  }),
  publishService: 'kong/kong-proxy',
  publishAddresses: [],
  serveLastValid: true,
  hostOwnership: 'Shared',
});
