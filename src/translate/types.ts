// The translator's input and output: plain data, no I/O.
import type {
  V1EndpointSlice, V1Ingress, V1IngressClass, V1Secret, V1Service,
} from '@kubernetes/client-node';
import type { MeshDoorSettings } from '../config/settings.ts';
import type { KongConfig } from '../kong/declarative.ts';
import type { FailureReason } from '../model/failure-reasons.ts';

export type ObjectKind = 'Ingress' | 'Service' | 'Secret' | 'IngressClass' | 'EndpointSlice' | 'MeshDoor';

/** Identifies one Kubernetes object in failures, reports and Events. */
export interface ObjectRef {
  kind: ObjectKind;
  namespace?: string;
  name: string;
  uid?: string;
}

/** Why an object (or part of it) was left out of the Kong configuration. */
export interface TranslationFailure {
  object: ObjectRef;
  /** One of the named reasons (src/model/failure-reasons.ts). */
  reason: FailureReason;
  /** One sentence naming the field and value at fault. */
  message: string;
}

export interface Snapshot {
  ingresses: readonly V1Ingress[];
  ingressClasses: readonly V1IngressClass[];
  services: readonly V1Service[];
  endpointSlices: readonly V1EndpointSlice[];
  secrets: readonly V1Secret[];
}

export interface TranslateOptions {
  settings: MeshDoorSettings;
  /**
   * Objects to leave out, as `objectKey()` strings: used after Kong rejected
   * entities derived from them, so the rest of the config can still apply.
   */
  exclude?: ReadonlySet<string>;
}

export interface TranslateResult {
  config: KongConfig;
  failures: TranslationFailure[];
  /** Objects that made it into the config (Ingresses, Services, Secrets), sorted. */
  configured: ObjectRef[];
}

/** Stable string key of an object: `Kind/namespace/name` (or `Kind/name`). */
export function objectKey(ref: Pick<ObjectRef, 'kind' | 'namespace' | 'name'>): string {
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}

/**
 * Exclusion keys finer than an object, for what Kong rejected inside one
 * Ingress (`objectKey` + `#` + part): a Kong path (every Ingress path that
 * produces it is left out), a route by name, or a route to split into one
 * route per Ingress path (to learn which path Kong refuses).
 */
export type ExcludedPart = { kind: 'path'; kongPath: string } | { kind: 'route'; name: string } | { kind: 'split'; name: string };

export function partExclusionKey(ref: Pick<ObjectRef, 'kind' | 'namespace' | 'name'>, part: ExcludedPart): string {
  const value = part.kind === 'path' ? part.kongPath : part.name;
  return `${objectKey(ref)}#${part.kind}:${value}`;
}

/** The object key and part of a part exclusion key; undefined for a whole-object key. */
export function parsePartExclusionKey(key: string): { object: string; part: ExcludedPart } | undefined {
  const hash = key.indexOf('#');
  if (hash < 0) return undefined;
  const rest = key.slice(hash + 1);
  const colon = rest.indexOf(':');
  const kind = rest.slice(0, colon);
  const value = rest.slice(colon + 1);
  const object = key.slice(0, hash);
  if (kind === 'path') return { object, part: { kind, kongPath: value } };
  if (kind === 'route' || kind === 'split') return { object, part: { kind, name: value } };
  return undefined;
}
