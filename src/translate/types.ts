// The translator's input and output: plain data, no I/O.
import type {
  V1EndpointSlice, V1Ingress, V1IngressClass, V1Secret, V1Service,
} from '@kubernetes/client-node';
import type { MeshDoorSettings } from '../config/settings.ts';
import type { KongConfig } from '../kong/declarative.ts';

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
  /** Short CamelCase reason, e.g. `ServiceNotFound`, `InvalidAnnotation`, `HostConflict`. */
  reason: string;
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
