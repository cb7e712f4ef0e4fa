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

export class ObjectUses {
  /**
   * By kind, then id. Per kind, so each kind's refs come out in the order
   * they were first counted (a cold pass counts in snapshot order, sorted
   * already), and the kinds' lists concatenated in kind order are sorted by key.
   */
  private readonly byKind = new Map<ObjectKind, Map<string, Use>>();
  /** Whether an object started or stopped being used since this was last cleared. */
  moved = true;

  constructor(private readonly refs: KeyedRefs) {}

  /** Whether an object with this ref's id is in use. */
  has(keyed: KeyedRef): boolean {
    return this.byKind.get(keyed.ref.kind)?.has(keyed.id) ?? false;
  }

  /** Adds \`delta\` uses of an object, by its ref. */
  count(keyed: KeyedRef, delta: number): void {
    const { kind } = keyed.ref;
    let ofKind = this.byKind.get(kind);
    if (ofKind === undefined) {
      ofKind = new Map();
      this.byKind.set(kind, ofKind);
    }
    const use = ofKind.get(keyed.id);
    if (use === undefined) {
      if (delta === 0) return;
      ofKind.set(keyed.id, { keyed, count: delta });
      this.moved = true;
      return;
    }
    use.count += delta;
    if (use.count !== 0) return;
    ofKind.delete(keyed.id);
    this.moved = true;
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
    const sorted: KeyedRef[] = [];
    for (const kind of kinds) {
      const refs: KeyedRef[] = [];
      for (const use of (this.byKind.get(kind) as Map<string, Use>).values()) refs.push(use.keyed);
      for (const keyed of refs.sort(byKey)) sorted.push(keyed);
    }
    return sorted;
  }
}
