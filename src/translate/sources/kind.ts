// What the translator and the controller need to know about a kind of
// Kubernetes object. A source kind (Ingress) is translated: its objects claim
// hosts, paths and backends in the shared form (plans.ts). A referenced kind
// (Service, Secret, EndpointSlice, IngressClass) is only looked up while a
// source object is planned (snapshot-index.ts).
import type { KubeObject } from '../objects.ts';
import type { TranslateContext } from '../context.ts';
import type { IngressPlan } from '../plans.ts';
import type { SnapshotIndex } from '../snapshot-index.ts';
import type { SnapshotKind } from '../types.ts';
import type { ClassOwnership } from './ingress/class.ts';

/** A ClusterRole rule the controller needs for the kind. */
export interface RbacRule {
  apiGroups: readonly string[];
  resources: readonly string[];
  verbs: readonly string[];
}

/** What every kind the controller reads is: where it comes from, and where the snapshot holds it. */
export interface KindDescription<K extends SnapshotKind = SnapshotKind> {
  /** Also its list in the snapshot (`snapshot[kind]`). */
  kind: K;
  /** `group/version` (`v1` for the core group), as in a manifest. */
  apiVersion: string;
  /** The API resource (plural) watched. */
  resource: string;
  namespaced: boolean;
  /** The role of the controller's watches of these objects (also the `role` label of the watch metrics). */
  watchRole: string;
  /** Rules the controller's ClusterRole must grant (deploy/rbac.yaml, checked by a test). */
  rbac: readonly RbacRule[];
}

/** A referenced kind: looked up by name (or label) while a source object is planned. */
export interface ReferencedKind extends KindDescription {
  /** How source objects find one (for people: the lookup of snapshot-index.ts). */
  lookedUpBy: string;
}

/** A kind translated into Kong configuration. */
export interface SourceKind<T extends KubeObject = KubeObject, K extends SnapshotKind = SnapshotKind> extends KindDescription<K> {
  /**
   * Whether the object is meant for this bridge (its class is ours), whatever a
   * pass leaves out: the controller clears the status of those it could not configure.
   */
  isOwn(obj: T, own: ClassOwnership, index: Pick<SnapshotIndex, 'lookupIngressClass'>): boolean;
  /** Whether this pass translates the object at all (named, not excluded, meant for this bridge). */
  isServed(ctx: TranslateContext, obj: T): boolean;
  /** Its claims in the shared form; bad parts become failures on ctx. Undefined when none of it can be configured. */
  plan(ctx: TranslateContext, obj: T): IngressPlan | undefined;
  /** How the controller reports on it: `loadBalancer` writes the gateway's addresses to status.loadBalancer. */
  status: 'loadBalancer';
}
