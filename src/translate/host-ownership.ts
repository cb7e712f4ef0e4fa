// spec.hosts.ownership: Namespace. A host (exact or wildcard) belongs to the
// namespace of the oldest Ingress claiming it; another namespace's claim on it,
// or on a host it overlaps (`*.example.com` and `a.example.com`), is refused
// unless an Ingress of the owner claiming the host lists that namespace in
// meshdoor.dev/host-delegates. Decided from the snapshot alone, so ownership
// moves only when the owner's Ingresses stop claiming the host.
import type { V1Ingress } from '@kubernetes/client-node';
import type { TranslateContext } from './context.ts';
import type { IngressPlan, PathClaim } from './plans.ts';
import { compareStrings, namespacedName, refOf } from './objects.ts';

export const HOST_DELEGATES_ANNOTATION = 'meshdoor.dev/host-delegates';

/** A namespace's claim on one host: its oldest Ingress and who it delegates to. */
interface HostClaim {
  host: string;
  namespace: string;
  oldest: V1Ingress;
  delegates: Set<string>;
}

export interface HostOwnership {
  /** Path claims refused for their host (already reported). */
  refused: ReadonlySet<PathClaim>;
  /** The granted claim that keeps `namespace` from `host`, if any. */
  blockerOf(host: string, namespace: string): HostClaim | undefined;
}

function delegatesOf(ingress: V1Ingress): string[] {
  const raw = ingress.metadata?.annotations?.[HOST_DELEGATES_ANNOTATION] ?? '';
  return raw.split(',').map((ns) => ns.trim()).filter((ns) => ns !== '');
}

/** Whether Kong would route some request to both hosts (a wildcard matches any depth). */
export function hostsOverlap(a: string, b: string): boolean {
  if (a === b) return true;
  const covers = (wild: string, other: string): boolean => wild.startsWith('*.') && other.endsWith(wild.slice(1));
  return covers(a, b) || covers(b, a);
}

/** Plans are reused while their Ingress is unchanged: a translator lists their hosts once. */
export type HostsOfPlans = WeakMap<IngressPlan, { namespace: string; keys: string[]; hosts: string[]; delegates: string[] }>;

function hostsOf(hostsOfPlan: HostsOfPlans, plan: IngressPlan): { namespace: string; keys: string[]; hosts: string[]; delegates: string[] } {
  let known = hostsOfPlan.get(plan);
  if (known === undefined) {
    const namespace = plan.ingress.metadata?.namespace ?? '';
    const hosts = [...new Set(plan.claims.map((c) => c.host).filter((h) => h !== ''))];
    known = { namespace, hosts, keys: hosts.map((host) => `${namespace}\n${host}`), delegates: delegatesOf(plan.ingress) };
    hostsOfPlan.set(plan, known);
  }
  return known;
}

function hostClaims(ctx: TranslateContext, plans: readonly IngressPlan[]): HostClaim[] {
  const byKey = new Map<string, HostClaim>();
  for (const plan of plans) {
    const { namespace, hosts, keys, delegates } = hostsOf(ctx.memory.hostsOfPlan, plan);
    for (const [i, host] of hosts.entries()) {
      const key = keys[i] ?? '';
      const known = byKey.get(key);
      const claim = known ?? { host, namespace, oldest: plan.ingress, delegates: new Set<string>() };
      if (known && ctx.memory.ages.compare(plan.ingress, known.oldest) < 0) known.oldest = plan.ingress;
      for (const ns of delegates) claim.delegates.add(ns);
      byKey.set(key, claim);
    }
  }
  return [...byKey.values()].sort((a, b) => ctx.memory.ages.compare(a.oldest, b.oldest) || compareStrings(a.host, b.host));
}

/** The proper parent domains of a name: `a.b.c` → `b.c`, `c`. */
function parents(name: string): string[] {
  const result: string[] = [];
  for (let dot = name.indexOf('.'); dot !== -1; dot = name.indexOf('.', dot + 1)) result.push(name.slice(dot + 1));
  return result;
}

/** Granted claims, indexed so that finding the ones overlapping a host costs its number of labels, not the number of hosts. */
class Granted {
  private readonly byHost = new Map<string, HostClaim[]>();
  /** Claims matching some name strictly under a domain: exact names below it, `*.T` with T at or below it. */
  private readonly under = new Map<string, HostClaim[]>();
  private readonly order = new Map<HostClaim, number>();

  blockerOf(host: string, namespace: string): HostClaim | undefined {
    const wildcard = host.startsWith('*.');
    const domain = wildcard ? host.slice(2) : host;
    const candidates = [
      ...(wildcard ? this.under.get(domain) ?? [] : this.byHost.get(host) ?? []),
      ...parents(domain).flatMap((parent) => this.byHost.get(`*.${parent}`) ?? []),
    ];
    let blocker: HostClaim | undefined;
    for (const g of candidates) {
      if (g.namespace === namespace || g.delegates.has(namespace) || !hostsOverlap(g.host, host)) continue;
      if (blocker === undefined || (this.order.get(g) ?? 0) < (this.order.get(blocker) ?? 0)) blocker = g;
    }
    return blocker;
  }

  add(claim: HostClaim): void {
    this.order.set(claim, this.order.size);
    push(this.byHost, claim.host, claim);
    const wildcard = claim.host.startsWith('*.');
    const domain = wildcard ? claim.host.slice(2) : claim.host;
    for (const parent of wildcard ? [domain, ...parents(domain)] : parents(domain)) push(this.under, parent, claim);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function ownershipMessage(host: string, owner: HostClaim, namespace: string): string {
  return `host '${host}' belongs to namespace ${owner.namespace} (Ingress ${namespacedName(owner.oldest)} claims `
    + `${owner.host === host ? 'it' : `'${owner.host}'`} first); namespace ${namespace} may use it only if an Ingress of `
    + `${owner.namespace} claiming it lists ${namespace} in ${HOST_DELEGATES_ANNOTATION}`;
}

/** Oldest claim first: each (namespace, host) is granted unless a granted claim of another namespace blocks it. */
export function resolveHostOwnership(ctx: TranslateContext, plans: readonly IngressPlan[]): HostOwnership {
  const granted = new Granted();
  const refusedHosts = new Map<string, HostClaim>();
  for (const claim of hostClaims(ctx, plans)) {
    const blocker = granted.blockerOf(claim.host, claim.namespace);
    if (blocker) refusedHosts.set(`${claim.namespace}\n${claim.host}`, blocker);
    else granted.add(claim);
  }
  const refused = new Set<PathClaim>();
  if (refusedHosts.size > 0) {
    for (const plan of plans) {
      const { namespace, keys } = hostsOf(ctx.memory.hostsOfPlan, plan);
      if (!keys.some((key) => refusedHosts.has(key))) continue;
      for (const claim of plan.claims) {
        const blocker = refusedHosts.get(`${namespace}\n${claim.host}`);
        if (!blocker) continue;
        refused.add(claim);
        ctx.failures.add(refOf('Ingress', plan.ingress), 'HostNotOwned', `${ownershipMessage(claim.host, blocker, namespace)}; its paths on this host are not configured`);
      }
    }
  }
  return { refused, blockerOf: (host, namespace) => granted.blockerOf(host, namespace) };
}

/** The Ingress with only the tls[].hosts it may serve: a certificate comes only from an Ingress allowed on the host. */
export function tlsWithinOwnership(ctx: TranslateContext, ingress: V1Ingress, ownership: HostOwnership): V1Ingress {
  const namespace = ingress.metadata?.namespace ?? '';
  let changed = false;
  const tls = (ingress.spec?.tls ?? []).map((entry, i) => {
    const hosts = (entry.hosts ?? []).filter((host) => {
      const blocker = ownership.blockerOf(host, namespace);
      if (!blocker) return true;
      ctx.failures.add(refOf('Ingress', ingress), 'HostNotOwned', `tls[${i}]: ${ownershipMessage(host, blocker, namespace)}; no certificate from this Ingress serves it`);
      return false;
    });
    changed ||= hosts.length !== (entry.hosts ?? []).length;
    return { ...entry, hosts };
  });
  return changed ? { ...ingress, spec: { ...ingress.spec, tls } } : ingress;
}
