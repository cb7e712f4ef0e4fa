// Small builders for translator tests: Kubernetes objects as plain data.
import { readFileSync } from 'node:fs';
import type {
  V1EndpointSlice, V1HTTPIngressPath, V1Ingress, V1IngressClass, V1IngressRule, V1IngressSpec, V1Secret, V1Service, V1ServicePort,
} from '@kubernetes/client-node';
import { DEFAULT_SETTINGS } from '../../src/config/settings.ts';
import type { MeshDoorSettings } from '../../src/config/settings.ts';
import type { KongRoute, KongService } from '../../src/model/index.ts';
import { createTranslator } from '../../src/translate/index.ts';
import type { Snapshot, TranslateResult } from '../../src/translate/types.ts';

interface Meta {
  namespace?: string;
  annotations?: Record<string, string>;
  created?: string;
  uid?: string;
}

function metadata(name: string, meta: Meta = {}): V1Ingress['metadata'] {
  const result: NonNullable<V1Ingress['metadata']> = { name, namespace: meta.namespace ?? 'default' };
  if (meta.annotations) result.annotations = meta.annotations;
  if (meta.created) result.creationTimestamp = new Date(meta.created);
  if (meta.uid) result.uid = meta.uid;
  return result;
}

export type PathSpec = [path: string | undefined, pathType: string | undefined, service: string, port: number | string];

export function httpPath([path, pathType, service, port]: PathSpec): V1HTTPIngressPath {
  const entry: V1HTTPIngressPath = {
    pathType: pathType as string,
    backend: { service: { name: service, port: typeof port === 'number' ? { number: port } : { name: port } } },
  };
  if (path !== undefined) entry.path = path;
  if (pathType === undefined) delete (entry as Partial<V1HTTPIngressPath>).pathType;
  return entry;
}

export function rule(host: string | undefined, ...paths: PathSpec[]): V1IngressRule {
  const result: V1IngressRule = { http: { paths: paths.map(httpPath) } };
  if (host !== undefined) result.host = host;
  return result;
}

export function ingress(name: string, spec: V1IngressSpec, meta: Meta = {}): V1Ingress {
  return { metadata: metadata(name, meta), spec: { ingressClassName: 'kong', ...spec } };
}

export function ingressClass(name: string, isDefault = false, controller = 'meshdoor.dev/ingress-controller'): V1IngressClass {
  const meta: V1IngressClass['metadata'] = { name };
  if (isDefault) meta.annotations = { 'ingressclass.kubernetes.io/is-default-class': 'true' };
  return { metadata: meta, spec: { controller } };
}

export function service(name: string, ports: V1ServicePort[] = [{ port: 80 }], meta: Meta = {}): V1Service {
  return { metadata: metadata(name, meta), spec: { type: 'ClusterIP', ports } };
}

export function externalService(name: string, externalName: string, meta: Meta = {}): V1Service {
  return { metadata: metadata(name, meta), spec: { type: 'ExternalName', externalName } };
}

const FIXTURES = new URL('./fixtures/', import.meta.url);
export const PEM = {
  certA: readFileSync(new URL('tls-a.crt', FIXTURES), 'utf8'),
  keyA: readFileSync(new URL('tls-a.key', FIXTURES), 'utf8'),
  certB: readFileSync(new URL('tls-b.crt', FIXTURES), 'utf8'),
  keyB: readFileSync(new URL('tls-b.key', FIXTURES), 'utf8'),
  /** A DSA certificate: Kong stores it but cannot serve it in a handshake. */
  certDsa: readFileSync(new URL('tls-dsa.crt', FIXTURES), 'utf8'),
  keyDsa: readFileSync(new URL('tls-dsa.key', FIXTURES), 'utf8'),
};

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

export function tlsSecret(name: string, cert: string, key: string, meta: Meta = {}): V1Secret {
  return { metadata: metadata(name, meta), type: 'kubernetes.io/tls', data: { 'tls.crt': b64(cert), 'tls.key': b64(key) } };
}

export function endpointSlice(serviceName: string, ports: Array<{ name?: string; port: number }>, endpoints: Array<{ ip: string; ready?: boolean }>, meta: Meta & { sliceName?: string } = {}): V1EndpointSlice {
  const md = metadata(meta.sliceName ?? `${serviceName}-abc`, meta) ?? {};
  md.labels = { 'kubernetes.io/service-name': serviceName };
  return {
    metadata: md,
    addressType: endpoints.some((e) => e.ip.includes(':')) ? 'IPv6' : 'IPv4',
    ports,
    endpoints: endpoints.map((e) => ({ addresses: [e.ip], conditions: e.ready === undefined ? {} : { ready: e.ready } })),
  };
}

/** A test's objects by plural name (`{ ingresses, services }` reads well at the call site). */
export interface SnapshotParts {
  ingresses?: readonly V1Ingress[];
  ingressClasses?: readonly V1IngressClass[];
  services?: readonly V1Service[];
  endpointSlices?: readonly V1EndpointSlice[];
  secrets?: readonly V1Secret[];
  kongPlugins?: Snapshot['KongPlugin'];
  kongClusterPlugins?: Snapshot['KongClusterPlugin'];
  kongConsumers?: Snapshot['KongConsumer'];
}

/** The snapshot (keyed by kind) holding these objects; kinds not given are empty. */
export function snapshot(parts: SnapshotParts): Snapshot {
  return {
    Ingress: parts.ingresses ?? [],
    IngressClass: parts.ingressClasses ?? [],
    Service: parts.services ?? [],
    EndpointSlice: parts.endpointSlices ?? [],
    Secret: parts.secrets ?? [],
    KongPlugin: parts.kongPlugins ?? [],
    KongClusterPlugin: parts.kongClusterPlugins ?? [],
    KongConsumer: parts.kongConsumers ?? [],
  };
}

export function settings(overrides: Partial<MeshDoorSettings> = {}): MeshDoorSettings {
  return { ...DEFAULT_SETTINGS, ...overrides };
}

export function run(parts: SnapshotParts, overrides: Partial<MeshDoorSettings> = {}, exclude?: string[]): TranslateResult {
  const options = exclude ? { settings: settings(overrides), exclude: new Set(exclude) } : { settings: settings(overrides) };
  return createTranslator().translate(snapshot(parts), options);
}

export function allRoutes(result: TranslateResult): Array<KongRoute & { service: KongService }> {
  return result.config.services.flatMap((svc) => svc.routes.map((route) => ({ ...route, service: svc })));
}

export function routeNamed(result: TranslateResult, name: string): KongRoute & { service: KongService } {
  const found = allRoutes(result).find((r) => r.name === name);
  if (!found) throw new Error(`no route ${name}; have ${allRoutes(result).map((r) => r.name).join(', ')}`);
  return found;
}

export function reasons(result: TranslateResult): string[] {
  return result.failures.map((f) => `${f.object.kind}/${f.object.namespace ?? ''}/${f.object.name}:${f.reason}`);
}
