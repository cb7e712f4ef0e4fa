// The shared intermediate form every source kind plans into: the (host, path,
// backend) claims an object makes. Conflicts, host ownership, routes and the
// incremental passes work on this form only.
import type { V1Ingress } from '@kubernetes/client-node';
import type { RouterFlavor } from '../model/index.ts';
import type { BackendPlan } from './backends.ts';
import type { KeyedRef } from './objects.ts';
import type { TranslatedPath } from './paths.ts';
import type { RouteOptions } from './route-annotations.ts';
import type { RoutePlan } from './route-plans.ts';

export interface PathClaim {
  ingress: V1Ingress;
  /** The Ingress's ref, key and tags: one per plan, shared by its claims and routes. */
  ingressRef: KeyedRef;
  /** The host Kong matches: the rule's own host or one of its konghq.com/host-aliases. */
  host: string;
  /** The rule's own host: a route holds the claims of one rule host, aliases included. */
  ruleHost: string;
  /** True when `host` comes from konghq.com/host-aliases. */
  alias: boolean;
  /** Two claims with the same host and path (path.conflictKey) conflict: claim-table.ts. */
  path: TranslatedPath;
  backend: BackendPlan;
  options: RouteOptions;
}

export interface IngressPlan {
  ingress: V1Ingress;
  options: RouteOptions;
  claims: PathClaim[];
  /**
   * Its routes when every claim won, once planned (route-plans.ts), for one
   * router flavor: slots of the plan, not an object of their own per plan.
   * `routesOf` names the plan they were made for, as a copy of the plan
   * carries the slots.
   */
  routes: readonly RoutePlan[] | undefined;
  routesFlavor: RouterFlavor | undefined;
  routesOf: IngressPlan | undefined;
}
