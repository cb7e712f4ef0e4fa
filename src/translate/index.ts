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
import type { V1Secret } from '@kubernetes/client-node';
import { assembleConfig } from './assemble.ts';
import { createContext, guarded } from './context.ts';
import type { TranslateContext } from './context.ts';
import { resolvePathConflicts } from './conflicts.ts';
import { isIngressServed } from './ingress-class.ts';
import { planIngressIncrementally } from './ingress-memo.ts';
import { resolveIngressBackend } from './ingress-rules.ts';
import type { IngressPlan } from './ingress-rules.ts';
import { compareStrings, namespacedName, refOf, sortByAge } from './objects.ts';
import type { KubeObject } from './objects.ts';
import { planDefaultBackendRoute, planIngressRoutes } from './route-plans.ts';
import type { RoutePlan } from './route-plans.ts';
import { summarizeRoutes } from './summary.ts';
import type { RouteSummary } from './summary.ts';
import { translateTls } from './tls.ts';
import { objectKey } from './types.ts';
import type { ObjectKind, ObjectRef, Snapshot, TranslateOptions, TranslateResult } from './types.ts';

export type { Snapshot, TranslateOptions, TranslateResult, TranslationFailure, ObjectRef } from './types.ts';
export { formatFailure } from './failures.ts';
export type { RouteSummary } from './summary.ts';

/** The plans of the Ingresses this bridge serves, in snapshot order. */
function planServedIngresses(ctx: TranslateContext, snapshot: Snapshot): IngressPlan[] {
  const plans: IngressPlan[] = [];
  for (const ingress of snapshot.ingresses) {
    if (!ingress.metadata?.name || ctx.isExcluded('Ingress', ingress)) continue;
    if (!isIngressServed(ingress, ctx.settings.ingressClass, ctx.index)) continue;
    const plan = planIngressIncrementally(ctx, ingress);
    if (plan) plans.push(plan);
  }
  return plans;
}

/** Only the oldest Ingress's spec.defaultBackend is used (as KIC); the others get a failure. */
function defaultBackendRoute(ctx: TranslateContext, plans: readonly IngressPlan[], routes: readonly RoutePlan[]): RoutePlan | undefined {
  const [owner, ...others] = sortByAge(plans.map((plan) => plan.ingress).filter((ingress) => ingress.spec?.defaultBackend));
  for (const other of others) {
    ctx.failures.add(refOf('Ingress', other), 'DefaultBackendConflict',
      `spec.defaultBackend is not used: Ingress ${namespacedName(owner ?? {})} (older) already sets the default backend`);
  }
  if (!owner) return undefined;
  const backend = guarded(ctx, owner, () => resolveIngressBackend(ctx, owner, owner.spec?.defaultBackend));
  if (!backend) return undefined;
  // A host-less Prefix `/` rule already catches every request the default
  // backend would get, so Kubernetes never reaches it; leave it out rather
  // than let Kong pick between two identical routes.
  const shadowed = routes.some((r) => r.hosts.length === 0 && r.paths.some((p) => p.conflictKey === 'Prefix /'));
  return shadowed ? undefined : planDefaultBackendRoute(owner, backend);
}

// Each object's ref and its sort key, made once per object.
const keyedRefs = new WeakMap<KubeObject, { key: string; ref: ObjectRef }>();

function keyedRef(kind: ObjectKind, obj: KubeObject): { key: string; ref: ObjectRef } {
  let keyed = keyedRefs.get(obj);
  if (keyed === undefined) {
    const ref = Object.freeze(refOf(kind, obj));
    keyed = { key: objectKey(ref), ref };
    keyedRefs.set(obj, keyed);
  }
  return keyed;
}

/** The objects the routes and certificates came from, sorted by key (the snapshot's lists usually are already). */
function configuredObjects(snapshot: Snapshot, routes: readonly RoutePlan[], secrets: readonly V1Secret[]): ObjectRef[] {
  const used = new Set<KubeObject>(secrets);
  for (const route of routes) {
    used.add(route.ingress);
    used.add(route.backend.service);
  }
  const keyed = [
    ...snapshot.ingresses.filter((obj) => used.has(obj)).map((obj) => keyedRef('Ingress', obj)),
    ...snapshot.secrets.filter((obj) => used.has(obj)).map((obj) => keyedRef('Secret', obj)),
    ...snapshot.services.filter((obj) => used.has(obj)).map((obj) => keyedRef('Service', obj)),
  ];
  return keyed.sort((a, b) => compareStrings(a.key, b.key)).map(({ ref }) => ref);
}

export interface DetailedTranslateResult extends TranslateResult {
  /** One row per host and path, for people (`meshdoor routes`). */
  routes: RouteSummary[];
}

/** The translation and the route plans it was assembled from. */
function translateToPlans(snapshot: Snapshot, options: TranslateOptions): TranslateResult & { plans: RoutePlan[] } {
  const ctx = createContext(snapshot, options);
  const flavor = ctx.settings.routerFlavor;
  const plans = planServedIngresses(ctx, snapshot);
  const losers = resolvePathConflicts(ctx, plans);
  const routes = plans.flatMap((plan) => planIngressRoutes(plan, losers, flavor));
  const fallback = defaultBackendRoute(ctx, plans, routes);
  if (fallback) routes.push(fallback);
  const tls = translateTls(ctx, sortByAge(plans.map((plan) => plan.ingress).filter((ingress) => ingress.spec?.tls?.length)));
  return {
    config: assembleConfig({ routes, certificates: tls.certificates, flavor }),
    failures: ctx.failures.list(),
    configured: configuredObjects(snapshot, routes, tls.secrets),
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
