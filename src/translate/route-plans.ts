// Winning claims → Kong routes, grouped as KIC does: one route per (Ingress,
// host, Kong service) holding all its paths. Split further only where one route
// cannot express the precedence: on the traditional router Exact paths need a
// higher regex_priority than a Prefix path's `~/foo$` (`.exact` suffix); on the
// expressions router each path gets its own priority (`.<hash>` suffix).
import { createHash } from 'node:crypto';
import type { V1Ingress } from '@kubernetes/client-node';
import type { KongRoute, RouterFlavor } from '../model/index.ts';
import type { BackendPlan } from './backends.ts';
import { hostKind } from './hosts.ts';
import type { HostKind } from './hosts.ts';
import type { IngressPlan, PathClaim } from './plans.ts';
import { defaultBackendRouteName, kongRouteName } from './naming.ts';
import { compareStrings, keyedRefOf, sortSmall } from './objects.ts';
import type { KeyedRef } from './objects.ts';
import { translatePath } from './paths.ts';
import type { TranslatedPath } from './paths.ts';
import { DEFAULT_ROUTE_OPTIONS } from './route-annotations.ts';
import type { RouteOptions } from './route-annotations.ts';

export interface RoutePlan {
  name: string;
  ingress: V1Ingress;
  /** The Ingress's ref, key and tags (its plan's). */
  ingressRef: KeyedRef;
  /** Empty: any host. */
  hosts: string[];
  /** Of the rule's own host (aliases follow it). */
  hostKind: HostKind;
  paths: TranslatedPath[];
  backend: BackendPlan;
  options: RouteOptions;
  /** Only Exact paths: they outrank a Prefix path's regex for the same path. */
  exact: boolean;
  /** The spec.defaultBackend route: lowest precedence of all. */
  isDefaultBackend: boolean;
  /**
   * Its Kong route for one router flavor, once made (assemble.ts): slots of
   * the plan, not a map entry or an object of their own per route. `kongOf`
   * names the plan it was made for: a copy of the plan with other fields
   * (`{ ...plan, paths }`) carries the slots, and must not take its route.
   */
  kongRoute: KongRoute | undefined;
  kongFlavor: RouterFlavor | undefined;
  kongOf: RoutePlan | undefined;
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/**
 * The claims of one Ingress by (rule host, Kong service), in first-claim order.
 * A plan holds the claims of one Ingress, so the key needs no Ingress name.
 */
function groupClaims(claims: readonly PathClaim[]): PathClaim[][] {
  const [first] = claims;
  // One rule host and one Kong service: one group, no keys built.
  if (first && isOneGroup(claims, first)) return [[...claims]];
  const groups = new Map<string, PathClaim[]>();
  for (const claim of claims) {
    const key = `${claim.ruleHost}\n${claim.backend.kongServiceName}`;
    const group = groups.get(key);
    if (group) group.push(claim);
    else groups.set(key, [claim]);
  }
  return [...groups.values()];
}

/** Whether every claim has the rule host and Kong service of `first`. */
function isOneGroup(claims: readonly PathClaim[], first: PathClaim): boolean {
  for (let i = 1; i < claims.length; i += 1) {
    const claim = claims[i] as PathClaim;
    if (claim.ruleHost !== first.ruleHost || claim.backend.kongServiceName !== first.backend.kongServiceName) return false;
  }
  return true;
}

/** The paths of one rule host and the hosts (rule host, then aliases) that kept them. */
interface HostSet {
  hosts: string[];
  claims: PathClaim[];
}

/**
 * Splits a group by the hosts each path kept: a path whose alias lost a
 * conflict is routed without that alias. The set holding every host keeps the
 * group's name; a reduced set gets a suffix from its hosts.
 */
function splitByHosts(group: PathClaim[]): { name: string; set: HostSet }[] {
  const first = group[0];
  if (!first) return [];
  const allHosts = first.ruleHost === '' ? [] : [first.ruleHost, ...first.options.hostAliases.filter((a) => a !== first.ruleHost)];
  // One host or none (nearly every rule): every path kept it, nothing to split.
  if (allHosts.length <= 1) return [{ name: baseName(first), set: { hosts: allHosts, claims: group } }];
  const hostsOfPath = new Map<string, Set<string>>();
  for (const claim of group) {
    const hosts = hostsOfPath.get(claim.path.conflictKey) ?? new Set<string>();
    hosts.add(claim.host);
    hostsOfPath.set(claim.path.conflictKey, hosts);
  }
  const sets = new Map<string, HostSet>();
  for (const claim of group) {
    const kept = hostsOfPath.get(claim.path.conflictKey) ?? new Set<string>();
    const hosts = allHosts.length === 0 ? [] : allHosts.filter((h) => kept.has(h));
    const key = hosts.join(',');
    const set = sets.get(key) ?? { hosts, claims: [] };
    if (claim.host === claim.ruleHost || !kept.has(claim.ruleHost)) set.claims.push(claim);
    sets.set(key, set);
  }
  const name = baseName(first);
  const full = allHosts.join(',');
  return [...sets.entries()].map(([key, set]) => ({ name: key === full ? name : `${name}.h${shortHash(key)}`, set }));
}

function uniquePaths(claims: readonly PathClaim[]): TranslatedPath[] {
  const [a, b] = claims;
  if (claims.length === 1 && a) return [a.path];
  // Two different paths (most rules): no map to drop duplicates.
  if (claims.length === 2 && a && b && a.path.conflictKey !== b.path.conflictKey) {
    return compareStrings(a.path.conflictKey, b.path.conflictKey) < 0 ? [a.path, b.path] : [b.path, a.path];
  }
  const byKey = new Map(claims.map((c) => [c.path.conflictKey, c.path]));
  return sortSmall([...byKey.values()], (a, b) => compareStrings(a.conflictKey, b.conflictKey));
}

function isAllExact(paths: readonly TranslatedPath[]): boolean {
  for (let i = 0; i < paths.length; i += 1) if ((paths[i] as TranslatedPath).pathType !== 'Exact') return false;
  return true;
}

function planFor(first: PathClaim, name: string, hosts: string[], paths: TranslatedPath[]): RoutePlan {
  const { ingress, ingressRef, ruleHost, backend, options } = first;
  return {
    name,
    ingress,
    ingressRef,
    hosts,
    hostKind: hostKind(ruleHost),
    paths,
    backend,
    options,
    exact: isAllExact(paths),
    isDefaultBackend: false,
    kongRoute: undefined,
    kongFlavor: undefined,
    kongOf: undefined,
  };
}

function baseName(claim: PathClaim): string {
  return kongRouteName({
    namespace: claim.ingress.metadata?.namespace ?? '',
    ingress: claim.ingress.metadata?.name ?? '',
    service: claim.backend.service.metadata?.name ?? '',
    host: claim.ruleHost,
    port: claim.backend.portToken,
  });
}

function splitTraditional(name: string, hosts: string[], claims: readonly PathClaim[]): RoutePlan[] {
  const first = claims[0];
  if (!first) return [];
  const paths = uniquePaths(claims);
  let exactPaths = 0;
  for (let i = 0; i < paths.length; i += 1) if ((paths[i] as TranslatedPath).pathType === 'Exact') exactPaths += 1;
  // Only one kind of path: one route, no lists filtered.
  if (exactPaths === 0 || exactPaths === paths.length) return [planFor(first, name, hosts, paths)];
  const exact = paths.filter((p) => p.pathType === 'Exact');
  const other = paths.filter((p) => p.pathType !== 'Exact');
  // join: a flat name (it is hashed for its id at once; a template would be flattened first).
  return [planFor(first, name, hosts, other), planFor(first, [name, 'exact'].join('.'), hosts, exact)];
}

/** The name of a route holding one path of a route that was split per path. */
export function splitRouteName(name: string, path: TranslatedPath): string {
  return `${name}.${shortHash(path.conflictKey)}`;
}

function splitExpressions(name: string, hosts: string[], claims: readonly PathClaim[]): RoutePlan[] {
  const first = claims[0];
  if (!first) return [];
  const paths = uniquePaths(claims);
  if (paths.length === 1) return [planFor(first, name, hosts, paths)];
  return paths.map((path) => planFor(first, splitRouteName(name, path), hosts, [path]));
}

function planRoutes(claims: readonly PathClaim[], flavor: RouterFlavor): RoutePlan[] {
  const split = flavor === 'expressions' ? splitExpressions : splitTraditional;
  const [first] = claims;
  // One rule host without aliases and one Kong service (nearly every Ingress):
  // one route set, nothing to group or split by host; split's own array is exact-length already.
  if (first && first.options.hostAliases.length === 0 && isOneGroup(claims, first)) {
    return split(baseName(first), first.ruleHost === '' ? [] : [first.ruleHost], claims);
  }
  const groups = groupClaims(claims);
  const [only] = groups;
  if (groups.length === 1 && only) {
    const sets = splitByHosts(only);
    const [set] = sets;
    // One route set: split's own array is exact-length already.
    if (set && sets.length === 1) return split(set.name, set.set.hosts, set.set.claims);
  }
  const routes: RoutePlan[] = [];
  for (const group of groups) {
    for (const { name, set } of splitByHosts(group)) for (const route of split(name, set.hosts, set.claims)) routes.push(route);
  }
  // slice: an exact-length copy of what push grew (kept while the plan lives).
  return routes.slice();
}

/**
 * The routes of one Ingress, given the claims that lost the conflict check.
 * Incremental translation, step two: an Ingress plan reused from an earlier
 * pass whose claims all won again has the routes it had then (kept in the
 * plan's slot, for one router flavor).
 */
export function planIngressRoutes(plan: IngressPlan, losers: ReadonlySet<PathClaim>, flavor: RouterFlavor): readonly RoutePlan[] {
  if (losers.size > 0 && plan.claims.some((claim) => losers.has(claim))) {
    return planRoutes(plan.claims.filter((claim) => !losers.has(claim)), flavor);
  }
  if (plan.routesOf === plan && plan.routesFlavor === flavor && plan.routes !== undefined) return plan.routes;
  const routes = planRoutes(plan.claims, flavor);
  plan.routes = routes;
  plan.routesFlavor = flavor;
  plan.routesOf = plan;
  return routes;
}

const ROOT_PREFIX = translatePath('/', 'Prefix') as TranslatedPath;

/** The host-less `/` route of the Ingress whose spec.defaultBackend is used (KIC defaults, no annotations). */
export function planDefaultBackendRoute(ingress: V1Ingress, backend: BackendPlan): RoutePlan {
  return {
    name: defaultBackendRouteName(ingress.metadata?.namespace ?? '', ingress.metadata?.name ?? ''),
    ingress,
    ingressRef: keyedRefOf('Ingress', ingress),
    hosts: [],
    hostKind: 'any',
    paths: [ROOT_PREFIX],
    backend,
    options: DEFAULT_ROUTE_OPTIONS,
    exact: false,
    isDefaultBackend: true,
    kongRoute: undefined,
    kongFlavor: undefined,
    kongOf: undefined,
  };
}
