// A MeshDoor object (meshdoor.dev/v1alpha1) → validated MeshDoorSettings with
// defaults. A bad value throws an Error naming the field; fields this version
// does not know are ignored (the CRD schema is the gatekeeper in a cluster).
import { isIP } from 'node:net';
import type { RouterFlavor } from '../model/index.ts';
import { DEFAULT_SETTINGS } from './settings.ts';
import type { AdminCertificates, HostOwnership, MeshDoorSettings, UpstreamMode } from './settings.ts';

export interface MeshDoorObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; [key: string]: unknown };
  spec?: Record<string, unknown>;
  status?: unknown;
}

const UPSTREAM_MODES: readonly UpstreamMode[] = ['service', 'mesh', 'endpoints'];
const HOST_OWNERSHIPS: readonly HostOwnership[] = ['Shared', 'Namespace'];
const ROUTER_FLAVORS: readonly RouterFlavor[] = ['traditional_compatible', 'traditional', 'expressions'];
const LABEL = '[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?';
const DNS_NAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);
const DNS_LABEL = new RegExp(`^${LABEL}$`);
const NAMESPACED_NAME = new RegExp(`^${LABEL}/${LABEL}(?:\\.${LABEL})*$`);

class SpecReader {
  constructor(private readonly owner: string) {}

  fail(field: string, expected: string, value: unknown): never {
    throw new Error(`${this.owner}: spec.${field} must be ${expected} (got ${JSON.stringify(value)})`);
  }

  object(value: unknown, field: string): Record<string, unknown> {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) this.fail(field, 'an object', value);
    return value as Record<string, unknown>;
  }

  string(value: unknown, field: string, check: { pattern: RegExp; expected: string }): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || !check.pattern.test(value)) this.fail(field, check.expected, value);
    return value;
  }

  oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T | undefined {
    if (value === undefined || value === null) return undefined;
    if (!allowed.includes(value as T)) this.fail(field, `one of ${allowed.join(', ')}`, value);
    return value as T;
  }

  port(value: unknown, field: string): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) this.fail(field, 'a port number from 1 to 65535', value);
    return value;
  }

  bool(value: unknown, field: string): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') this.fail(field, 'true or false', value);
    return value;
  }

  list(value: unknown, field: string, check: (item: string) => boolean, expected: string): string[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) this.fail(field, `a list of ${expected}`, value);
    value.forEach((item, i) => {
      if (typeof item !== 'string' || !check(item)) this.fail(`${field}[${i}]`, expected, item);
    });
    return [...(value as string[])];
  }
}

const dnsName = { pattern: DNS_NAME, expected: 'a lower-case DNS name' };
const dnsLabel = { pattern: DNS_LABEL, expected: 'a lower-case DNS label' };
const namespacedName = { pattern: NAMESPACED_NAME, expected: 'namespace/name' };
// IngressClass spec.controller: a domain-prefixed path (Kubernetes validates the same shape).
const controllerName = { pattern: new RegExp(`^${LABEL}(?:\\.${LABEL})*/[A-Za-z0-9][-A-Za-z0-9_./]*$`), expected: 'a domain-prefixed path such as meshdoor.dev/ingress-controller' };

function isAllowPattern(item: string): boolean {
  return DNS_NAME.test(item.startsWith('*.') ? item.slice(2) : item);
}

function isAdminUrl(item: string): boolean {
  try {
    const url = new URL(item);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function isAddress(item: string): boolean {
  return isIP(item) !== 0 || DNS_NAME.test(item);
}

function meshSettings(r: SpecReader, spec: Record<string, unknown>): MeshDoorSettings['mesh'] {
  const mesh = r.object(spec.mesh, 'mesh');
  const d = DEFAULT_SETTINGS.mesh;
  const result: MeshDoorSettings['mesh'] = {
    domain: r.string(mesh.domain, 'mesh.domain', dnsName) ?? d.domain,
    vipPort: r.port(mesh.vipPort, 'mesh.vipPort') ?? d.vipPort,
    controlPlaneNamespace: r.string(mesh.controlPlaneNamespace, 'mesh.controlPlaneNamespace', dnsLabel) ?? d.controlPlaneNamespace,
  };
  const name = r.string(mesh.name, 'mesh.name', dnsName);
  if (name !== undefined) result.name = name;
  return result;
}

function gatewaySettings(r: SpecReader, spec: Record<string, unknown>): MeshDoorSettings['gateway'] {
  const gateway = r.object(spec.gateway, 'gateway');
  const d = DEFAULT_SETTINGS.gateway;
  return {
    namespace: r.string(gateway.namespace, 'gateway.namespace', dnsLabel) ?? d.namespace,
    deployment: r.string(gateway.deployment, 'gateway.deployment', dnsName) ?? d.deployment,
    labelNamespace: r.bool(gateway.labelNamespace, 'gateway.labelNamespace') ?? d.labelNamespace,
    manageTokenVolume: r.bool(gateway.manageTokenVolume, 'gateway.manageTokenVolume') ?? d.manageTokenVolume,
  };
}

const CERTIFICATE_SOURCES: readonly AdminCertificates[] = ['managed', 'provided', 'off'];

function adminTlsSettings(r: SpecReader, admin: Record<string, unknown>): MeshDoorSettings['kongAdmin']['tls'] {
  const tls = r.object(admin.tls, 'kongAdmin.tls');
  const d = DEFAULT_SETTINGS.kongAdmin.tls;
  return {
    certificates: r.oneOf(tls.certificates, 'kongAdmin.tls.certificates', CERTIFICATE_SOURCES) ?? d.certificates,
    caSecret: r.string(tls.caSecret, 'kongAdmin.tls.caSecret', dnsName) ?? d.caSecret,
    servingSecret: r.string(tls.servingSecret, 'kongAdmin.tls.servingSecret', dnsName) ?? d.servingSecret,
    clientSecret: r.string(tls.clientSecret, 'kongAdmin.tls.clientSecret', dnsName) ?? d.clientSecret,
  };
}

function kongAdminSettings(r: SpecReader, spec: Record<string, unknown>): MeshDoorSettings['kongAdmin'] {
  const admin = r.object(spec.kongAdmin, 'kongAdmin');
  const d = DEFAULT_SETTINGS.kongAdmin;
  const result: MeshDoorSettings['kongAdmin'] = {
    portName: r.string(admin.portName, 'kongAdmin.portName', { pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, expected: 'a port name' }) ?? d.portName,
    urls: r.list(admin.urls, 'kongAdmin.urls', isAdminUrl, 'http(s) URLs') ?? [...d.urls],
    tls: adminTlsSettings(r, admin),
  };
  const service = r.string(admin.service, 'kongAdmin.service', namespacedName) ?? d.service;
  if (service !== undefined) result.service = service;
  return result;
}

/** The settings of a MeshDoor (DEFAULT_SETTINGS when there is none). */
export function settingsFromMeshDoor(obj: MeshDoorObject | undefined): MeshDoorSettings {
  const name = obj?.metadata?.name ?? DEFAULT_SETTINGS.name;
  const r = new SpecReader(`MeshDoor ${name}`);
  const spec = r.object(obj?.spec, '');
  const d = DEFAULT_SETTINGS;
  const settings: MeshDoorSettings = {
    name,
    ingressClass: r.string(spec.ingressClass, 'ingressClass', dnsName) ?? d.ingressClass,
    controllerName: r.string(spec.controllerName, 'controllerName', controllerName) ?? d.controllerName,
    upstreamMode: r.oneOf(spec.upstreamMode, 'upstreamMode', UPSTREAM_MODES) ?? d.upstreamMode,
    clusterDomain: r.string(spec.clusterDomain, 'clusterDomain', dnsName) ?? d.clusterDomain,
    routerFlavor: r.oneOf(spec.routerFlavor, 'routerFlavor', ROUTER_FLAVORS) ?? d.routerFlavor,
    mesh: meshSettings(r, spec),
    externalNameAllow: r.list(spec.externalNameAllow, 'externalNameAllow', isAllowPattern, 'DNS names or *.suffix patterns') ?? [],
    gateway: gatewaySettings(r, spec),
    kongAdmin: kongAdminSettings(r, spec),
    publishAddresses: r.list(spec.publishAddresses, 'publishAddresses', isAddress, 'IP addresses or DNS names') ?? [],
    serveLastValid: r.bool(spec.serveLastValid, 'serveLastValid') ?? d.serveLastValid,
    hostOwnership: r.oneOf(r.object(spec.hosts, 'hosts').ownership, 'hosts.ownership', HOST_OWNERSHIPS) ?? d.hostOwnership,
  };
  const publishService = r.string(spec.publishService, 'publishService', namespacedName) ?? d.publishService;
  if (publishService !== undefined) settings.publishService = publishService;
  return settings;
}
