// The translator's input and output: plain data, no I/O.
import type {
  V1EndpointSlice, V1Ingress, V1IngressClass, V1Secret, V1Service,
} from '@kubernetes/client-node';
import type { MeshDoorSettings } from '../config/index.ts';

// The failure records and the result are the model's (the sync engines and the
// controller read them too); re-exported as the translator's output types.
export type {
  ExcludedPart, HostHandOver, HostReport, ObjectKind, ObjectRef, SharedHost, TranslateResult, TranslationFailure,
} from '../model/index.ts';
export { objectKey, parsePartExclusionKey, partExclusionKey } from '../model/index.ts';

/** The object type of each kind the translator reads: a new kind is one line here. */
export interface SnapshotObjects {
  Ingress: V1Ingress;
  IngressClass: V1IngressClass;
  Service: V1Service;
  EndpointSlice: V1EndpointSlice;
  Secret: V1Secret;
}

export type SnapshotKind = keyof SnapshotObjects;

/** The translator's input: every object of each kind it reads, keyed by kind. */
export type Snapshot = { [K in SnapshotKind]: readonly SnapshotObjects[K][] };

export interface TranslateOptions {
  settings: MeshDoorSettings;
  /**
   * Objects to leave out, as `objectKey()` strings: used after Kong rejected
   * entities derived from them, so the rest of the config can still apply.
   */
  exclude?: ReadonlySet<string>;
  /**
   * spec.hosts.ownership: Namespace — host → owner namespace remembered from
   * earlier passes (the `hosts.owners` of the last result): an owner keeps its
   * host while one of its Ingresses still claims it, whatever the age of a
   * newcomer. Without it the oldest claimant owns a host.
   */
  hostOwners?: ReadonlyMap<string, string>;
}
