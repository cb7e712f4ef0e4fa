// How many routes or certificates of the incremental pass's result use each
// object, by key and uid (an edit is the same object, a re-creation not): the
// objects in use are the result's \`configured\` list.
import { byKey, compareStrings } from './objects.ts';
import type { KeyedRef, KeyedRefs, KubeObject } from './objects.ts';
import { routePluginUses } from './plugin-entities.ts';
import type { RoutePlan } from './route-plans.ts';
import type { ObjectKind } from './types.ts';

/** An object in use: its ref (the first version counted: an edit keeps kind, name and uid) and how many use it. */
interface Use {
  keyed: KeyedRef;
  count: number;
}

/** Adds `delta` uses of the object in `slot`; returns whether it started or stopped being used. */
function addUses(table: Map<string, Use>, slot: string, keyed: KeyedRef, delta: number): boolean {
  const known = table.get(slot);
  return known === undefined ? startUses(table, slot, keyed, delta) : moveUses(table, slot, known, delta);
}

/** The first `delta` uses of an object not in the table; whether it started being used. */
function startUses(table: Map<string, Use>, slot: string, keyed: KeyedRef, delta: number): boolean {
  if (delta === 0) return false;
  table.set(slot, { keyed, count: delta });
  return true;
}

/** `delta` more uses of an object found in the table; whether it stopped being used. */
function moveUses(table: Map<string, Use>, slot: string, known: Use, delta: number): boolean {
  known.count += delta;
  if (known.count !== 0) return false;
  table.delete(slot);
  return true;
}

/**
 * The objects of one kind in use, found by uid: objects from the API server
 * all have one, and it is a string they carry already (no key and uid joined
 * and hashed per object). Objects without one (manifests) are found by key;
 * two objects given the same uid (a manifest edited by hand) by key and uid.
 */
class KindUses {
  private readonly byUid = new Map<string, Use>();
  private readonly byKey = new Map<string, Use>();
  /** Where an object sharing its uid with another object in use is counted, while it is. */
  private readonly byKeyAndUid = new Map<string, Use>();

  /** Adds `delta` uses; returns whether the object started or stopped being used. */
  count(keyed: KeyedRef, delta: number): boolean {
    const { uid } = keyed.ref;
    if (uid === undefined) return addUses(this.byKey, keyed.key, keyed, delta);
    const both = this.byKeyAndUid.size > 0 ? keyAndUid(keyed, uid) : undefined;
    if (both !== undefined && this.byKeyAndUid.has(both)) return addUses(this.byKeyAndUid, both, keyed, delta);
    const use = this.byUid.get(uid);
    if (use !== undefined && use.keyed.key !== keyed.key) return addUses(this.byKeyAndUid, both ?? keyAndUid(keyed, uid), keyed, delta);
    // One lookup per count: the use found (or its absence) decides.
    return use === undefined ? startUses(this.byUid, uid, keyed, delta) : moveUses(this.byUid, uid, use, delta);
  }

  has(keyed: KeyedRef): boolean {
    const { uid } = keyed.ref;
    if (uid === undefined) return this.byKey.has(keyed.key);
    return this.byUid.get(uid)?.keyed.key === keyed.key || (this.byKeyAndUid.size > 0 && this.byKeyAndUid.has(keyAndUid(keyed, uid)));
  }

  /** The refs in use, in the order they were first counted. */
  refs(): KeyedRef[] {
    const refs: KeyedRef[] = [];
    // forEach: no iterator result per object in use.
    const add = (use: Use): void => { refs.push(use.keyed); };
    this.byUid.forEach(add);
    this.byKey.forEach(add);
    this.byKeyAndUid.forEach(add);
    return refs;
  }
}

function keyAndUid(keyed: KeyedRef, uid: string): string {
  return [keyed.key, uid].join('#');
}

export class ObjectUses {
  /**
   * By kind. Per kind, so each kind's refs come out in the order they were
   * first counted (a cold pass counts in snapshot order, sorted already), and
   * the kinds' lists concatenated in kind order are sorted by key.
   */
  private readonly byKind = new Map<ObjectKind, KindUses>();
  /** Whether an object started or stopped being used since this was last cleared. */
  moved = true;

  constructor(private readonly refs: KeyedRefs) {}

  /** Whether an object with this ref's key and uid is in use. */
  has(keyed: KeyedRef): boolean {
    return this.byKind.get(keyed.ref.kind)?.has(keyed) ?? false;
  }

  /** Adds \`delta\` uses of an object, by its ref. */
  count(keyed: KeyedRef, delta: number): void {
    const { kind } = keyed.ref;
    let ofKind = this.byKind.get(kind);
    if (ofKind === undefined) {
      ofKind = new KindUses();
      this.byKind.set(kind, ofKind);
    }
    if (ofKind.count(keyed, delta)) this.moved = true;
  }

  /** Adds \`delta\` uses of an object that has no ref at hand. */
  countObject(kind: ObjectKind, obj: KubeObject, delta: number): void {
    this.count(this.refs.of(kind, obj), delta);
  }

  /**
   * Counts (sign 1) or releases (-1) the objects routes use: once per run of
   * routes using the same object (a contributor's routes share their Ingress
   * and usually their Service), not once per route.
   */
  countRoutes(routes: readonly RoutePlan[], sign: 1 | -1): void {
    let ingress: KeyedRef | undefined;
    let service: KeyedRef | undefined;
    let ingressRun = 0;
    let serviceRun = 0;
    for (let i = 0; i < routes.length; i += 1) {
      const route = routes[i] as RoutePlan;
      if (route.ingressRef !== ingress) {
        if (ingress) this.count(ingress, sign * ingressRun);
        ingress = route.ingressRef;
        ingressRun = 0;
      }
      if (route.backend.serviceRef !== service) {
        if (service) this.count(service, sign * serviceRun);
        service = route.backend.serviceRef;
        serviceRun = 0;
      }
      ingressRun += 1;
      serviceRun += 1;
      if (route.options.plugins === undefined && route.backend.plugins === undefined) continue;
      for (const { kind, obj } of routePluginUses(route)) this.countObject(kind, obj, sign);
    }
    if (ingress) this.count(ingress, sign * ingressRun);
    if (service) this.count(service, sign * serviceRun);
  }

  /** The refs of every object in use, sorted by key (each kind's list is nearly sorted: the sort runs through it). */
  sortedRefs(): KeyedRef[] {
    const kinds = [...this.byKind.keys()].sort(compareStrings);
    // flatMap: no object per ref (a for-of over every object in use would make one each pass).
    return kinds.flatMap((kind) => (this.byKind.get(kind) as KindUses).refs().sort(byKey));
  }
}
