// Cluster objects for engine tests, translated by the real translator, so the
// engines are exercised with the entities and tags meshdoor really emits.
import { createHash } from 'node:crypto';
import type { V1Ingress, V1Service } from '@kubernetes/client-node';
import { DEFAULT_SETTINGS } from '../../src/config/settings.ts';
import type { GatewayTarget, SyncRequest } from '../../src/kong/sync-types.ts';
import { createTranslator } from '../../src/translate/index.ts';
import type { Snapshot } from '../../src/translate/types.ts';

/** Kong's configuration_hash for a config text it loaded: its MD5 (kong/db/declarative). */
export function kongConfigurationHash(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

export function service(name: string, namespace = 'shop', port = 80): V1Service {
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name, namespace, uid: `uid-svc-${namespace}-${name}` },
    spec: { type: 'ClusterIP', ports: [{ name: 'http', port, targetPort: 8080 }] },
  };
}

export function ingress(name: string, rules: { host?: string; path: string; service: string; port?: number }[], namespace = 'shop'): V1Ingress {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
    metadata: { name, namespace, uid: `uid-ing-${namespace}-${name}`, creationTimestamp: new Date('2026-01-01T00:00:00Z') },
    spec: {
      ingressClassName: 'kong',
      rules: rules.map((r) => ({
        ...(r.host ? { host: r.host } : {}),
        http: { paths: [{ path: r.path, pathType: 'Prefix', backend: { service: { name: r.service, port: { number: r.port ?? 80 } } } }] },
      })),
    },
  };
}

/** A small shop: two Services, two Ingresses. */
export function shopSnapshot(): Snapshot {
  return {
    Ingress: [
      ingress('web', [{ host: 'shop.example.com', path: '/', service: 'frontend' }]),
      ingress('api', [{ host: 'api.example.com', path: '/v1', service: 'orders' }]),
    ],
    IngressClass: [{ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'kong' }, spec: { controller: 'meshdoor.dev/ingress-controller' } }],
    Service: [service('frontend'), service('orders')],
    EndpointSlice: [],
    Secret: [],
    KongPlugin: [],
    KongClusterPlugin: [],
    KongConsumer: [],
  };
}

/** A SyncRequest translating `snapshot` (read at call time, so tests can change it). */
export function syncRequest(snapshot: () => Snapshot, gateways: readonly (string | GatewayTarget)[]): SyncRequest {
  return {
    translate: (exclude) => createTranslator().translate(snapshot(), { settings: DEFAULT_SETTINGS, exclude }),
    gateways: gateways.map((g) => (typeof g === 'string' ? { url: g } : g)),
  };
}

/** A logger that keeps every line (message + meta) as text. */
export function recordingLogger(): { lines: string[]; debug: Log; info: Log; warn: Log; error: Log } {
  const lines: string[] = [];
  const log: Log = (message, meta) => { lines.push(`${message} ${JSON.stringify(meta ?? {})}`); };
  return { lines, debug: log, info: log, warn: log, error: log };
}
type Log = (message: string, meta?: Record<string, unknown>) => void;

export const noRetry = { retries: 0, baseDelayMs: 1, maxDelayMs: 1 };
export const fastRetry = { retries: 3, baseDelayMs: 1, maxDelayMs: 5 };
