// A realistic cluster of N Ingresses, deterministic from a seed: each Ingress
// has one host and two paths (Prefix and Exact mixed) to its own Service; a
// tenth of the Services are ExternalName Services naming Kuma mesh addresses,
// a third of the rest are reached through a named port; a tenth of the
// Ingresses terminate TLS with their own Secret; a few carry annotations.
import type {
  V1HTTPIngressPath, V1Ingress, V1IngressClass, V1IngressSpec, V1ObjectMeta, V1Secret, V1Service,
} from '@kubernetes/client-node';
import { snapshotOf, type Snapshot } from '../src/translate/types.ts';
import { withKubectlApplyMetadata } from './applied-metadata.ts';
import { benchTlsPair } from './tls-pair.ts';
import type { TlsPair } from './tls-pair.ts';

export interface GenerateOptions {
  n: number;
  seed?: number;
  /** Ingresses per namespace (default 25). */
  perNamespace?: number;
  tls?: TlsPair;
  /** Give Ingresses, Services and Secrets the managedFields and last-applied annotation `kubectl apply` leaves. */
  kubectlApplied?: boolean;
}

export interface GeneratedCluster {
  snapshot: Snapshot;
  namespaces: string[];
}

export const BENCH_INGRESS_CLASS = 'kong';
const EPOCH = Date.UTC(2025, 0, 1);
const WORDS = ['api', 'shop', 'cart', 'users', 'orders', 'search', 'static', 'admin', 'auth', 'media', 'billing', 'v1', 'v2', 'items', 'reports'];

/** mulberry32: a small, fast, seedable PRNG (same seed, same cluster). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function uuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

interface Slot {
  index: number;
  namespace: string;
  app: string;
  host: string;
  externalName: boolean;
  namedPort: boolean;
  tls: boolean;
}

function slotOf(index: number, perNamespace: number): Slot {
  const namespace = `team-${String(Math.floor(index / perNamespace)).padStart(4, '0')}`;
  const app = `app-${String(index).padStart(5, '0')}`;
  const externalName = index % 10 === 0;
  return {
    index,
    namespace,
    app,
    host: `${app}.${namespace}.example.com`,
    externalName,
    namedPort: !externalName && index % 3 === 1,
    tls: index % 10 === 5,
  };
}

function meta(slot: Slot, name: string, random: () => number, offsetMs: number): V1ObjectMeta {
  return {
    name,
    namespace: slot.namespace,
    uid: uuid(random),
    resourceVersion: String(1000 + slot.index * 3 + offsetMs),
    generation: 1,
    creationTimestamp: new Date(EPOCH + slot.index * 1000 + offsetMs),
    labels: { 'app.kubernetes.io/name': slot.app, 'app.kubernetes.io/part-of': slot.namespace },
  };
}

function twoPaths(slot: Slot, random: () => number): V1HTTPIngressPath[] {
  const backend = { service: { name: slot.app, port: slot.namedPort ? { name: 'http' } : { number: 80 } } };
  const first = random() < 0.5 ? '/' : `/${pick(random, WORDS)}`;
  let second = `/${pick(random, WORDS)}/${pick(random, WORDS)}`;
  if (second === first) second = `${second}-x`;
  const secondType = random() < 0.5 ? 'Exact' : 'Prefix';
  return [
    { path: first, pathType: 'Prefix', backend },
    { path: second, pathType: secondType, backend },
  ];
}

function ingressAnnotations(slot: Slot): Record<string, string> | undefined {
  const annotations: Record<string, string> = {};
  if (slot.index % 4 === 0) annotations['konghq.com/strip-path'] = 'true';
  if (slot.index % 7 === 0) annotations['konghq.com/methods'] = 'GET,POST';
  if (slot.index % 10 === 3) annotations['konghq.com/https-redirect-status-code'] = '308';
  if (slot.tls) annotations['konghq.com/protocols'] = 'https';
  return Object.keys(annotations).length > 0 ? annotations : undefined;
}

function makeIngress(slot: Slot, random: () => number): V1Ingress {
  const metadata = meta(slot, slot.app, random, 2);
  const annotations = ingressAnnotations(slot);
  if (annotations) metadata.annotations = annotations;
  const spec: V1IngressSpec = {
    ingressClassName: BENCH_INGRESS_CLASS,
    rules: [{ host: slot.host, http: { paths: twoPaths(slot, random) } }],
  };
  if (slot.tls) spec.tls = [{ hosts: [slot.host], secretName: `${slot.app}-tls` }];
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata, spec };
}

function makeService(slot: Slot, random: () => number): V1Service {
  const metadata = meta(slot, slot.app, random, 0);
  if (slot.externalName) {
    return {
      apiVersion: 'v1', kind: 'Service', metadata,
      spec: { type: 'ExternalName', externalName: `${slot.app}-backend.${slot.namespace}.svc.80.mesh` },
    };
  }
  if (slot.index % 5 === 2) metadata.annotations = { 'konghq.com/read-timeout': '30000', 'konghq.com/retries': '3' };
  const port = slot.namedPort
    ? { name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }
    : { port: 80, targetPort: 8080, protocol: 'TCP' };
  return {
    apiVersion: 'v1', kind: 'Service', metadata,
    spec: { type: 'ClusterIP', selector: { 'app.kubernetes.io/name': slot.app }, ports: [port] },
  };
}

function makeSecret(slot: Slot, random: () => number, pair: TlsPair): V1Secret {
  return {
    apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls',
    metadata: meta(slot, `${slot.app}-tls`, random, 1),
    data: { 'tls.crt': Buffer.from(pair.cert).toString('base64'), 'tls.key': Buffer.from(pair.key).toString('base64') },
  };
}

export function benchIngressClass(): V1IngressClass {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: BENCH_INGRESS_CLASS, uid: '00000000-0000-4000-a000-000000000001', resourceVersion: '1' },
    spec: { controller: 'meshdoor.dev/ingress-controller' },
  };
}

/** N Ingresses with their Services (and TLS Secrets), as a translator Snapshot. */
export function generateCluster(options: GenerateOptions): GeneratedCluster {
  const random = seededRandom(options.seed ?? 1);
  const perNamespace = options.perNamespace ?? 25;
  const pair = options.tls ?? benchTlsPair();
  const ingresses: V1Ingress[] = [];
  const services: V1Service[] = [];
  const secrets: V1Secret[] = [];
  const namespaces = new Set<string>();
  const applied = <T extends V1Service | V1Secret | V1Ingress>(obj: T): T => (options.kubectlApplied ? withKubectlApplyMetadata(obj) : obj);
  for (let index = 0; index < options.n; index += 1) {
    const slot = slotOf(index, perNamespace);
    namespaces.add(slot.namespace);
    services.push(applied(makeService(slot, random)));
    if (slot.tls) secrets.push(applied(makeSecret(slot, random, pair)));
    ingresses.push(applied(makeIngress(slot, random)));
  }
  return {
    snapshot: snapshotOf({ Ingress: ingresses, IngressClass: [benchIngressClass()], Service: services, Secret: secrets }),
    namespaces: [...namespaces],
  };
}

/**
 * A copy of `ingress` as a user's edit would leave it: one path changed and a
 * new resourceVersion. `round` makes successive edits differ.
 */
export function editIngress(ingress: V1Ingress, round: number): V1Ingress {
  const copy = structuredClone(ingress);
  const path = copy.spec?.rules?.[0]?.http?.paths[1];
  if (path) path.path = `/edited/r${round}`;
  copy.metadata = { ...copy.metadata, resourceVersion: `${copy.metadata?.resourceVersion ?? '0'}-${round}`, generation: (copy.metadata?.generation ?? 1) + 1 };
  return copy;
}

/** An object as a user would apply it: without the fields the API server sets. */
export function toManifest<T extends { metadata?: V1ObjectMeta }>(obj: T): T {
  const copy = structuredClone(obj);
  if (copy.metadata) {
    delete copy.metadata.uid;
    delete copy.metadata.resourceVersion;
    delete copy.metadata.creationTimestamp;
    delete copy.metadata.generation;
  }
  return copy;
}

/** The soak workload's Ingress that the Kong double is told to reject (by its route's name). */
export const SOAK_REJECTED = { namespace: 'team-0000', name: 'kong-rejects', service: 'app-00002', host: 'rejected.example.com', port: 80 } as const;

export function soakRejectedIngress(): V1Ingress {
  const { namespace, name, service, host, port } = SOAK_REJECTED;
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
    metadata: { namespace, name },
    spec: {
      ingressClassName: BENCH_INGRESS_CLASS,
      rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service, port: { number: port } } } }] } }],
    },
  };
}
