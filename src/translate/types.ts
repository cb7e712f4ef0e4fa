// The translator's input and output: plain data, no I/O.
import type {
  V1EndpointSlice, V1Ingress, V1IngressClass, V1Secret, V1Service,
} from '@kubernetes/client-node';
import type { MeshDoorSettings } from '../config/index.ts';
import type { KongConsumerResource, KongPluginResource, SchemaLookup } from '../plugins/index.ts';

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
  KongPlugin: KongPluginResource;
  KongClusterPlugin: KongPluginResource;
  KongConsumer: KongConsumerResource;
}

export type SnapshotKind = keyof SnapshotObjects;

/** The translator's input: every object of each kind it reads, keyed by kind. */
export type Snapshot = { [K in SnapshotKind]: readonly SnapshotObjects[K][] };

const NO_OBJECTS: readonly never[] = Object.freeze([]);

/** A snapshot holding these lists; kinds not given are empty. */
export function snapshotOf(lists: Partial<Snapshot>): Snapshot {
  return {
    Ingress: NO_OBJECTS, IngressClass: NO_OBJECTS, Service: NO_OBJECTS, EndpointSlice: NO_OBJECTS, Secret: NO_OBJECTS,
    KongPlugin: NO_OBJECTS, KongClusterPlugin: NO_OBJECTS, KongConsumer: NO_OBJECTS, ...lists,
  };
}

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
  /**
   * The gateway's plugin schemas, to check plugin configurations against
   * (default OFFLINE_SCHEMAS: structure only). Answers are compared by
   * identity: return the same answer object while it holds.
   */
  pluginSchemas?: SchemaLookup;
}
