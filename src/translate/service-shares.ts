// A contributor's routes grouped by the Kong service they go to, for the
// incremental pass's members of each service.
import type { KongRoute, RouterFlavor } from '../model/index.ts';
import { byName } from './assemble.ts';
import type { KongEntities } from './assemble.ts';
import { sortSmall } from './objects.ts';
import type { BackendPlan } from './backends.ts';
import type { RoutePlan } from './route-plans.ts';

/**
 * A contributor's routes to one Kong service: it is a member of that service.
 * Its routes are sorted by name and never changed once made: a service of
 * one member keeps the list itself.
 */
export interface ServiceShare<W> {
  who: W;
  name: string;
  backend: BackendPlan;
  routes: KongRoute[];
}

/** `who`'s routes per Kong service (usually one service). */
export function byService<W>(who: W, entities: KongEntities, routes: readonly RoutePlan[], flavor: RouterFlavor): ServiceShare<W>[] {
  const [first] = routes;
  if (first !== undefined && isOneService(routes, first.backend.kongServiceName)) {
    return [{ who, name: first.backend.kongServiceName, backend: first.backend, routes: sortSmall(routes.map((plan) => entities.routeOf(plan, flavor)), byName) }];
  }
  const shares: ServiceShare<W>[] = [];
  for (const plan of routes) {
    const name = plan.backend.kongServiceName;
    const share = shares.find((s) => s.name === name);
    if (share) share.routes.push(entities.routeOf(plan, flavor));
    else shares.push({ who, name, backend: plan.backend, routes: [entities.routeOf(plan, flavor)] });
  }
  // Exact copies of the lists push grew (a service of one member keeps its list).
  for (const share of shares) if (share.routes.length > 1) share.routes = sortSmall(share.routes.slice(), byName);
  return shares;
}

function isOneService(routes: readonly RoutePlan[], name: string): boolean {
  for (let i = 1; i < routes.length; i += 1) if ((routes[i] as RoutePlan).backend.kongServiceName !== name) return false;
  return true;
}
