// One whole translation pass: every served Ingress planned (or its plan reused,
// ingress-memo.ts), then conflicts, routes, TLS, the default backend and the
// Kong config combined from all of them.
import type { V1Ingress, V1Secret } from '@kubernetes/client-node';
import { assembleConfig } from './assemble.ts';
import { guarded } from './context.ts';
import type { FailureCollector } from './failures.ts';
import type { TranslateContext } from './context.ts';
import { resolvePathConflicts } from './conflicts.ts';
import { NO_OWNERS, resolveHostOwnership, tlsWithinOwnership } from './host-ownership.ts';
import type { OwnershipState } from './host-ownership.ts';
import { planIncrementally } from './ingress-memo.ts';
import { addPluginUses, ConfigPlugins, routePluginEntities, RoutePluginSet } from './plugin-entities.ts';
import { pluginExtras } from './plugin-extras.ts';
import type { PluginExtras } from './plugin-memory.ts';
import { ingressPluginsOf } from './plugin-refs.ts';
import type { IngressPlan } from './plans.ts';
import { resolveIngressBackend, SOURCE_KINDS } from './sources/index.ts';
import { byKey, namespacedName, precedence, refOf } from './objects.ts';
import type { KeyedRef, KeyedRefs, KubeObject, ObjectAges } from './objects.ts';
import { planDefaultBackendRoute, planIngressRoutes } from './route-plans.ts';
import type { RoutePlan } from './route-plans.ts';
import { servedHosts, SharedHosts } from './shared-hosts.ts';
import { translateTls } from './tls.ts';
import type { HostReport, ObjectKind, ObjectRef, SharedHost, Snapshot, SnapshotKind, TranslateResult } from './types.ts';

export interface PassResult extends TranslateResult {
  /** The route plans the config was assembled from (for `meshdoor routes`). */
  routePlans: () => RoutePlan[];
}

/** The plans of the served objects of every source kind, in registry then snapshot order. */
function planServedObjects(ctx: TranslateContext, snapshot: Snapshot): IngressPlan[] {
  const plans: IngressPlan[] = [];
  for (const source of SOURCE_KINDS) {
    for (const obj of snapshot[source.kind]) {
      if (!source.isServed(ctx, obj)) continue;
      const plan = planIncrementally(ctx, source, obj);
      if (plan) plans.push(plan);
    }
  }
  return plans;
}

/** A host-less Prefix `/` route: it catches every request the default backend would get. */
export function isCatchAll(route: RoutePlan): boolean {
  return route.hosts.length === 0 && route.paths.some((p) => p.conflictKey === 'Prefix /');
}

/**
 * Only the oldest Ingress's spec.defaultBackend is used (as KIC); the others get
 * a failure. When a catch-all route exists Kubernetes never reaches the default
 * backend, so it is left out rather than letting Kong pick between two
 * identical routes.
 */
export function defaultBackendRoute(ctx: TranslateContext, planned: readonly V1Ingress[], caughtAll: boolean): RoutePlan | undefined {
  const [owner, ...others] = ctx.memory.ages.sort(planned.filter((ingress) => ingress.spec?.defaultBackend));
  for (const other of others) {
    ctx.failures.add(refOf('Ingress', other), 'DefaultBackendConflict',
      `spec.defaultBackend is not used: Ingress ${namespacedName(owner ?? {})} (${precedence(owner ?? {}, other)}) already sets the default backend`);
  }
  if (!owner) return undefined;
  const backend = guarded(ctx, owner, () => resolveIngressBackend(ctx, owner, owner.spec?.defaultBackend));
  if (!backend || caughtAll) return undefined;
  const route = planDefaultBackendRoute(owner, backend);
  const plugins = ingressPluginsOf(ctx, owner);
  return plugins ? { ...route, options: { ...route.options, plugins } } : route;
}

/** The snapshot's objects `usedRef` gives a ref for (the used ones), as refs sorted by key (the snapshot's lists usually are already). */
export function configuredFrom(snapshot: Snapshot, usedRef: (kind: ObjectKind, obj: KubeObject) => KeyedRef | undefined): ObjectRef[] {
  return usedInSnapshot(snapshot, usedRef).map(({ ref }) => ref);
}

/** The kinds of the snapshot a Kong configuration is made from. */
type ConfiguredKind = ObjectKind & SnapshotKind;

const CONFIGURED_KINDS: readonly ConfiguredKind[] = [...SOURCE_KINDS.map((source) => source.kind), 'Secret', 'Service', 'KongPlugin', 'KongClusterPlugin', 'KongConsumer'];

/** As configuredFrom, the keyed refs, from the lists of `kinds` only (by default every kind configured objects come from). */
export function usedInSnapshot(snapshot: Snapshot, usedRef: (kind: ObjectKind, obj: KubeObject) => KeyedRef | undefined, kinds: readonly ConfiguredKind[] = CONFIGURED_KINDS): KeyedRef[] {
  // One list for all kinds, then one sort (no list per kind copied into the next: every object of a cold pass is used).
  const keyed: KeyedRef[] = [];
  for (const kind of kinds) {
    const list: readonly KubeObject[] = snapshot[kind];
    for (let i = 0; i < list.length; i += 1) {
      const ref = usedRef(kind, list[i] as KubeObject);
      if (ref !== undefined) keyed.push(ref);
    }
  }
  return keyed.sort(byKey);
}

/** What the config was made from besides routes: TLS Secrets, global plugins and consumers. */
interface OtherUses {
  secrets: readonly V1Secret[];
  extras: PluginExtras;
}

function configuredObjects(refs: KeyedRefs, snapshot: Snapshot, routes: readonly RoutePlan[], other: OtherUses): ObjectRef[] {
  const used = new Set<KubeObject>([...other.secrets, ...other.extras.uses]);
  for (const route of routes) {
    used.add(route.ingress);
    used.add(route.backend.service);
    addPluginUses(used, route);
  }
  return configuredFrom(snapshot, (kind, obj) => (used.has(obj) ? refs.of(kind, obj) : undefined));
}

/** Who owns (Namespace ownership) and who serves each host. */
export function hostReport(ownership: OwnershipState | undefined, shared: readonly SharedHost[]): HostReport {
  return { owners: ownership?.owners ?? NO_OWNERS, contested: ownership?.contested ?? [], handOvers: ownership?.handOvers ?? [], shared };
}

function sharedHostsOf(ages: ObjectAges, routes: readonly RoutePlan[]): readonly SharedHost[] {
  const byIngress = new Map<V1Ingress, RoutePlan[]>();
  for (const route of routes) {
    const own = byIngress.get(route.ingress);
    if (own) own.push(route);
    else byIngress.set(route.ingress, [route]);
  }
  const shared = new SharedHosts(ages);
  for (const [ingress, own] of byIngress) shared.serve(ingress, new Set(), servedHosts(own));
  return shared.list();
}

/** Every served Ingress planned (or its plan reused) and everything combined again. */
export function translateWhole(ctx: TranslateContext & { failures: FailureCollector }, snapshot: Snapshot): PassResult {
  const flavor = ctx.settings.routerFlavor;
  const plans = planServedObjects(ctx, snapshot);
  const ownership = ctx.settings.hostOwnership === 'Namespace' ? resolveHostOwnership(ctx, plans) : undefined;
  const losers = resolvePathConflicts(ctx, plans, ownership?.refused);
  const planned = plans.flatMap((plan) => planIngressRoutes(plan, losers, flavor));
  const routes = ctx.excludedParts ? ctx.excludedParts.apply(planned) : planned;
  const fallback = defaultBackendRoute(ctx, plans.map((plan) => plan.ingress), routes.some(isCatchAll));
  if (fallback) routes.push(fallback);
  const withTls = ctx.memory.ages.sort(plans.map((plan) => plan.ingress).filter((ingress) => ingress.spec?.tls?.length));
  const tls = translateTls(ctx, ownership ? withTls.map((ingress) => tlsWithinOwnership(ctx, ingress, ownership)) : withTls);
  const extras = pluginExtras(ctx, snapshot);
  for (const [object, reason, message] of extras.failures) ctx.failures.add(object, reason, message);
  const routePlugins = new RoutePluginSet();
  for (const route of routes) routePlugins.add(routePluginEntities(ctx.memory, route, flavor));
  const config = assembleConfig({ entities: ctx.memory.entities, routes, certificates: tls.certificates, flavor });
  return {
    config: new ConfigPlugins().withPlugins(config, routePlugins.list(), extras),
    failures: ctx.failures.list(),
    configured: configuredObjects(ctx.memory.refs, snapshot, routes, { secrets: tls.secrets, extras }),
    hosts: hostReport(ownership, sharedHostsOf(ctx.memory.ages, routes)),
    routePlans: () => routes,
  };
}

