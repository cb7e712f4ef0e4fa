// How many routes or certificates of the incremental pass's result use each
// object, by key and uid (an edit is the same object, a re-creation not): the
// objects in use are the result's \`configured\` list.
import type { KeyedRef, KeyedRefs, KubeObject } from './objects.ts';
import { routePluginUses } from './plugin-entities.ts';
import type { RoutePlan } from './route-plans.ts';
import type { ObjectKind } from './types.ts';

export class ObjectUses {
  private readonly uses = new Map<string, number>();
  /** Whether an object started or stopped being used since this was last cleared. */
  moved = true;

  constructor(private readonly refs: KeyedRefs) {}

  /** The object's ref when it is in use (one lookup of the ref for both). */
  usedRef(kind: ObjectKind, obj: KubeObject): KeyedRef | undefined {
    const keyed = this.refs.of(kind, obj);
    return this.uses.has(keyed.id) ? keyed : undefined;
  }

  /** Adds \`delta\` uses of an object. */
  count(kind: ObjectKind, obj: KubeObject, delta: number): void {
    const { id } = this.refs.of(kind, obj);
    const before = this.uses.get(id) ?? 0;
    const uses = before + delta;
    if (uses === 0 || before === 0) this.moved = true;
    if (uses === 0) this.uses.delete(id);
    else this.uses.set(id, uses);
  }

  /**
   * Counts (sign 1) or releases (-1) the objects routes use: once per run of
   * routes using the same object (a contributor's routes share their Ingress
   * and usually their Service), not once per route.
   */
  countRoutes(routes: readonly RoutePlan[], sign: 1 | -1): void {
    let ingress: KubeObject | undefined;
    let service: KubeObject | undefined;
    let ingressRun = 0;
    let serviceRun = 0;
    for (let i = 0; i < routes.length; i += 1) {
      const route = routes[i] as RoutePlan;
      if (route.ingress !== ingress) {
        if (ingress) this.count('Ingress', ingress, sign * ingressRun);
        ingress = route.ingress;
        ingressRun = 0;
      }
      if (route.backend.service !== service) {
        if (service) this.count('Service', service, sign * serviceRun);
        service = route.backend.service;
        serviceRun = 0;
      }
      ingressRun += 1;
      serviceRun += 1;
      if (route.options.plugins === undefined && route.backend.plugins === undefined) continue;
      for (const { kind, obj } of routePluginUses(route)) this.count(kind, obj, sign);
    }
    if (ingress) this.count('Ingress', ingress, sign * ingressRun);
    if (service) this.count('Service', service, sign * serviceRun);
  }
}
