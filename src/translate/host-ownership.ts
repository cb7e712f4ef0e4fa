// spec.hosts.ownership: Namespace. A host (exact or wildcard) belongs to the
// namespace of the oldest Ingress claiming it; another namespace's claim on it,
// or on a host it overlaps (`*.example.com` and `a.example.com`), is refused
// unless an Ingress of the owner claiming the host lists that namespace in
// meshdoor.dev/host-delegates. Decided from the snapshot alone, so ownership
// moves only when the owner's Ingresses stop claiming the host.
import type { V1Ingress } from '@kubernetes/client-node';
import type { TranslateContext } from './context.ts';
import type { IngressPlan, PathClaim } from './ingress-rules.ts';
import { compareByAge, compareStrings, namespacedName, refOf } from './objects.ts';

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

function hostClaims(plans: readonly IngressPlan[]): HostClaim[] {
  const byKey = new Map<string, HostClaim>();
  for (const plan of plans) {
    const namespace = plan.ingress.metadata?.namespace ?? '';
    for (const host of new Set(plan.claims.map((c) => c.host).filter((h) => h !== ''))) {
      const key = `${namespace}\n${host}`;
      const known = byKey.get(key);
      const claim = known ?? { host, namespace, oldest: plan.ingress, delegates: new Set<string>() };
      if (known && compareByAge(plan.ingress, known.oldest) < 0) known.oldest = plan.ingress;
      for (const ns of delegatesOf(plan.ingress)) claim.delegates.add(ns);
      byKey.set(key, claim);
    }
  }
  return [...byKey.values()].sort((a, b) => compareByAge(a.oldest, b.oldest) || compareStrings(a.host, b.host));
}

class Granted {
  private readonly exact = new Map<string, HostClaim[]>();
  private readonly wildcards: HostClaim[] = [];

  blockerOf(host: string, namespace: string): HostClaim | undefined {
    const blocks = (g: HostClaim): boolean => g.namespace !== namespace && !g.delegates.has(namespace) && hostsOverlap(g.host, host);
    const candidates = host.startsWith('*.') ? [...this.exact.values()].flat() : this.exact.get(host) ?? [];
    return candidates.find(blocks) ?? this.wildcards.find(blocks);
  }

  add(claim: HostClaim): void {
    if (claim.host.startsWith('*.')) this.wildcards.push(claim);
    else this.exact.set(claim.host, [...(this.exact.get(claim.host) ?? []), claim]);
  }
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
  for (const claim of hostClaims(plans)) {
    const blocker = granted.blockerOf(claim.host, claim.namespace);
    if (blocker) refusedHosts.set(`${claim.namespace}\n${claim.host}`, blocker);
    else granted.add(claim);
  }
  const refused = new Set<PathClaim>();
  if (refusedHosts.size > 0) {
    for (const plan of plans) {
      const namespace = plan.ingress.metadata?.namespace ?? '';
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
