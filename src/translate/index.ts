// The translator: Snapshot → Kong declarative config + failures. Pure: no I/O,
// no clocks; one bad object only adds failures and drops what depends on it.
//
// Known deviations from Kubernetes semantics, all caused by Kong's traditional
// routers (the expressions flavor has none of them; tests assert Kong's real
// behaviour under "KNOWN DEVIATION"):
// - `*.foo.com` also matches `a.b.foo.com` (Kong hosts match any depth);
// - on traditional_compatible a host-less regex path (Exact /foo, or the
//   `~/foo$` of Prefix /foo) outranks a wildcard-host route's plain prefix
//   for exactly that path (kong-admin-api §5.2 priority bits).
// Conflicts are detected on rules[].host only, not on konghq.com/host-aliases;
// on the expressions flavor konghq.com/regex-priority has no effect.
import type { V1Ingress } from '@kubernetes/client-node';
import { assembleConfig } from './assemble.ts';
import { createContext, guarded } from './context.ts';
import type { TranslateContext } from './context.ts';
import { resolvePathConflicts } from './conflicts.ts';
import { isIngressServed } from './ingress-class.ts';
import { planIngress, resolveIngressBackend } from './ingress-rules.ts';
import type { IngressPlan } from './ingress-rules.ts';
import { compareStrings, namespacedName, refOf, sortByAge } from './objects.ts';
import { planDefaultBackendRoute, planRoutes } from './route-plans.ts';
import type { RoutePlan } from './route-plans.ts';
import { summarizeRoutes } from './summary.ts';
import type { RouteSummary } from './summary.ts';
import { translateTls } from './tls.ts';
import { objectKey } from './types.ts';
import type { ObjectRef, Snapshot, TranslateOptions, TranslateResult } from './types.ts';

export type { Snapshot, TranslateOptions, TranslateResult, TranslationFailure, ObjectRef } from './types.ts';
export { formatFailure } from './failures.ts';
export type { RouteSummary } from './summary.ts';

function servedIngresses(ctx: TranslateContext, snapshot: Snapshot): V1Ingress[] {
  return sortByAge(snapshot.ingresses
    .filter((ing) => ing.metadata?.name && !ctx.isExcluded('Ingress', ing))
    .filter((ing) => isIngressServed(ing, ctx.settings.ingressClass, ctx.index)));
}

/** Only the oldest Ingress's spec.defaultBackend is used (as KIC); the others get a failure. */
function defaultBackendRoute(ctx: TranslateContext, plans: readonly IngressPlan[], routes: readonly RoutePlan[]): RoutePlan | undefined {
  const withDefault = plans.filter((plan) => plan.ingress.spec?.defaultBackend);
  const [owner, ...others] = withDefault;
  for (const other of others) {
    ctx.failures.add(refOf('Ingress', other.ingress), 'DefaultBackendConflict',
      `spec.defaultBackend is not used: Ingress ${namespacedName(owner?.ingress ?? {})} (older) already sets the default backend`);
  }
  if (!owner) return undefined;
  const backend = guarded(ctx, owner.ingress, () => resolveIngressBackend(ctx, owner.ingress, owner.ingress.spec?.defaultBackend));
  if (!backend) return undefined;
  // A host-less Prefix `/` rule already catches every request the default
  // backend would get, so Kubernetes never reaches it; leave it out rather
  // than let Kong pick between two identical routes.
  const shadowed = routes.some((r) => r.hosts.length === 0 && r.paths.some((p) => p.conflictKey === 'Prefix /'));
  return shadowed ? undefined : planDefaultBackendRoute(owner.ingress, backend);
}

function configuredObjects(routes: readonly RoutePlan[], secrets: readonly ObjectRef[]): ObjectRef[] {
  // Many routes share an Ingress or Service: collect the objects first, then make one ref each.
  const ingresses = new Set(routes.map((route) => route.ingress));
  const services = new Set(routes.map((route) => route.backend.service));
  const refs = new Map<string, ObjectRef>();
  for (const ref of [...[...ingresses].map((i) => refOf('Ingress', i)), ...[...services].map((s) => refOf('Service', s)), ...secrets]) {
    refs.set(objectKey(ref), ref);
  }
  return [...refs.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([, ref]) => ref);
}

export interface DetailedTranslateResult extends TranslateResult {
  /** One row per host and path, for people (`meshdoor routes`). */
  routes: RouteSummary[];
}

/** The translation and the route plans it was assembled from. */
function translateToPlans(snapshot: Snapshot, options: TranslateOptions): TranslateResult & { plans: RoutePlan[] } {
  const ctx = createContext(snapshot, options);
  const flavor = ctx.settings.routerFlavor;
  const plans = servedIngresses(ctx, snapshot)
    .map((ingress) => guarded(ctx, ingress, () => planIngress(ctx, ingress)))
    .filter((plan): plan is IngressPlan => plan !== undefined);
  const claims = resolvePathConflicts(ctx, plans.flatMap((plan) => plan.claims));
  const routes = planRoutes(claims, flavor);
  const fallback = defaultBackendRoute(ctx, plans, routes);
  if (fallback) routes.push(fallback);
  const tls = translateTls(ctx, plans.map((plan) => plan.ingress));
  return {
    config: assembleConfig({ routes, certificates: tls.certificates, flavor }),
    failures: ctx.failures.list(),
    configured: configuredObjects(routes, tls.secrets.map((secret) => refOf('Secret', secret))),
    plans: routes,
  };
}

/** As translate(), plus a readable summary of the routes. */
export function translateDetailed(snapshot: Snapshot, options: TranslateOptions): DetailedTranslateResult {
  const { config, failures, configured, plans } = translateToPlans(snapshot, options);
  return { config, failures, configured, routes: summarizeRoutes(plans) };
}

/** Translates the served Ingresses of a snapshot into one Kong configuration. */
export function translate(snapshot: Snapshot, options: TranslateOptions): TranslateResult {
  const { config, failures, configured } = translateToPlans(snapshot, options);
  return { config, failures, configured };
}
