// Failure records: which Kubernetes object (or part of one) was left out of
// the Kong configuration, and why. Shared by the translator, the Kong sync
// engines (Kong's rejections map back to objects) and the controller.
import type { FailureReason } from './failure-reasons.ts';

/**
 * Every kind of object a failure (and a Kong entity's `k8s-kind:` tag) can
 * name: the kinds the translator reads, and the MeshDoor. A new kind is one entry here.
 */
export const OBJECT_KINDS = [
  'Ingress', 'Service', 'Secret', 'IngressClass', 'EndpointSlice', 'MeshDoor', 'KongPlugin', 'KongClusterPlugin', 'KongConsumer',
] as const;

export type ObjectKind = typeof OBJECT_KINDS[number];

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
  /** One of the named reasons (failure-reasons.ts). */
  reason: FailureReason;
  /** One sentence naming the field and value at fault. */
  message: string;
}

/** Stable string key of an object: `Kind/namespace/name` (or `Kind/name`). */
export function objectKey(ref: Pick<ObjectRef, 'kind' | 'namespace' | 'name'>): string {
  // join: one flat string. A template is a chain of parts, flattened (copied)
  // again by the first comparison or hash: sorting a cold pass's 20k keys cost twice as much.
  return ref.namespace ? [ref.kind, ref.namespace, ref.name].join('/') : [ref.kind, ref.name].join('/');
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
