// spec.hosts.ownership: Namespace. A host (exact or wildcard) belongs to the
// namespace that claimed it first: its remembered owner while that namespace
// still claims it, else the namespace of its oldest claimant. Another
// namespace's claim on it, or on a host it overlaps (`*.example.com` and
// `a.example.com`), is refused unless an Ingress of the owner claiming the host
// lists that namespace in meshdoor.dev/host-delegates. The decisions are made
// in host-ownership-state.ts; here, a whole pass, certificates, and the check
// an admission webhook runs before an Ingress is stored.
import type { V1Ingress } from '@kubernetes/client-node';
import type { HostOwnership as OwnershipSetting } from '../config/index.ts';
import { InvalidAnnotationError } from './annotation-values.ts';
import type { TranslateContext } from './context.ts';
import { checkIngressHost } from './hosts.ts';
import { claimantOf, delegatesOf, NO_OWNERS, ownershipMessage, OwnershipState } from './host-ownership-state.ts';
import type { Claimant, HostClaim } from './host-ownership-state.ts';
import type { IngressPlan, PathClaim } from './plans.ts';
import { compareStrings, namespacedName, refOf } from './objects.ts';
import { readRouteAnnotations } from './route-annotations.ts';

export { hostsOverlap } from './host-index.ts';
export { HOST_DELEGATES_ANNOTATION, NO_OWNERS, ownershipMessage, OwnershipState, claimantOf } from './host-ownership-state.ts';
export type { Claimants, HostClaim } from './host-ownership-state.ts';

export interface HostOwnership {
  /** Path claims refused for their host (already reported). */
  refused: ReadonlySet<PathClaim>;
  /** The granted claim that keeps `namespace` from `host`, if any. */
  blockerOf(host: string, namespace: string): HostClaim | undefined;
}

/** Every claim decided at once, remembered owners first; the refusals are reported. */
export function resolveHostOwnership(ctx: TranslateContext, plans: readonly IngressPlan[]): OwnershipState {
  const state = new OwnershipState();
  state.update(ctx.hostOwners ?? NO_OWNERS, [], plans.map((plan) => claimantOf(ctx.memory.claimants, plan)));
  for (const [object, reason, message] of state.failures()) ctx.failures.add(object, reason, message);
  return state;
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

export interface HostClaimQuery {
  /** The Ingress being admitted (created or updated). */
  ingress: V1Ingress;
  /** The Ingresses served now; a stored version of `ingress` (same namespace/name) is replaced by it. */
  served: readonly V1Ingress[];
  ownership: OwnershipSetting;
  /** The owners the controller remembers (the last translation's `hosts.owners`). */
  owners?: ReadonlyMap<string, string>;
}

export interface HostClaimCheck {
  /** Hosts (rules, aliases, tls) the translator would refuse this Ingress, with the sentence it reports. */
  refused: { host: string; owner: string; message: string }[];
  /** Hosts of this Ingress that Ingresses of other namespaces serve too (sorted). */
  shared: { host: string; namespaces: string[] }[];
}

/**
 * Pure, for an admission webhook: would the translator refuse any host of
 * `ingress`, and which of its hosts are shared with other namespaces? Host
 * level: a path whose Service is missing still claims its host.
 */
export function checkHostClaims(query: HostClaimQuery): HostClaimCheck {
  const namespace = query.ingress.metadata?.namespace ?? '';
  const others = query.served.filter((ing) => namespacedName(ing) !== namespacedName(query.ingress));
  const candidate = hostClaimant(query.ingress);
  const claimants = [...others.map(hostClaimant), candidate];
  if (query.ownership === 'Shared') return { refused: [], shared: sharedWith(candidate, claimants, () => true) };
  const state = new OwnershipState();
  state.update(query.owners ?? NO_OWNERS, [], claimants);
  const refused = candidate.hosts.flatMap((host) => {
    const blocker = state.refusalOf(namespace, host);
    return blocker ? [{ host, owner: blocker.namespace, message: ownershipMessage(host, blocker, namespace) }] : [];
  });
  (query.ingress.spec?.tls ?? []).forEach((entry, i) => {
    for (const host of entry.hosts ?? []) {
      const blocker = state.blockerOf(host, namespace);
      if (blocker) refused.push({ host, owner: blocker.namespace, message: `tls[${i}]: ${ownershipMessage(host, blocker, namespace)}` });
    }
  });
  const kept = candidate.hosts.filter((host) => !refused.some((r) => r.host === host));
  return { refused, shared: sharedWith({ ...candidate, hosts: kept }, claimants, (c, host) => state.refusalOf(c.namespace, host) === undefined) };
}

/** The hosts an Ingress makes Kong match: rules[].host with paths, and its aliases (none if its annotations are invalid). */
function hostClaimant(ingress: V1Ingress): Claimant {
  const ruleHosts = (ingress.spec?.rules ?? [])
    .filter((rule) => rule.host && (rule.http?.paths.length ?? 0) > 0 && checkIngressHost(rule.host) === null)
    .map((rule) => rule.host ?? '');
  const aliases = ruleHosts.length > 0 ? aliasesOf(ingress) : [];
  return { ingress, namespace: ingress.metadata?.namespace ?? '', hosts: [...new Set([...ruleHosts, ...aliases])], delegates: delegatesOf(ingress), paths: [] };
}

function aliasesOf(ingress: V1Ingress): string[] {
  const options = readRouteAnnotations(ingress.metadata?.annotations ?? {}, 'traditional_compatible');
  return options instanceof InvalidAnnotationError ? [] : options.hostAliases;
}

function sharedWith(candidate: Claimant, claimants: readonly Claimant[], allowed: (c: Claimant, host: string) => boolean): HostClaimCheck['shared'] {
  return candidate.hosts.flatMap((host) => {
    const namespaces = new Set(claimants
      .filter((c) => c.namespace !== candidate.namespace && c.hosts.includes(host) && allowed(c, host))
      .map((c) => c.namespace));
    return namespaces.size > 0 ? [{ host, namespaces: [...namespaces].sort(compareStrings) }] : [];
  }).sort((a, b) => compareStrings(a.host, b.host));
}
