// A contributor's routes grouped by the Kong service they go to, for the
// incremental pass's members of each service.
import type { KongRoute, RouterFlavor } from '../model/index.ts';
import type { KongEntities } from './assemble.ts';
import type { BackendPlan } from './backends.ts';
import type { RoutePlan } from './route-plans.ts';

export interface ServiceShare {
  name: string;
  backend: BackendPlan;
  routes: KongRoute[];
}

/** A contributor's routes per Kong service (usually one service). */
export function byService(entities: KongEntities, routes: readonly RoutePlan[], flavor: RouterFlavor): ServiceShare[] {
  const [first] = routes;
  if (first !== undefined && routes.every((plan) => plan.backend.kongServiceName === first.backend.kongServiceName)) {
    return [{ name: first.backend.kongServiceName, backend: first.backend, routes: routes.map((plan) => entities.routeOf(plan, flavor)) }];
  }
  const shares: ServiceShare[] = [];
  for (const plan of routes) {
    const name = plan.backend.kongServiceName;
    const share = shares.find((s) => s.name === name);
    if (share) share.routes.push(entities.routeOf(plan, flavor));
    else shares.push({ name, backend: plan.backend, routes: [entities.routeOf(plan, flavor)] });
  }
  return shares;
}
