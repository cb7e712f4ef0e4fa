// spec.hosts.ownership: Namespace. A host (exact or wildcard) belongs to the
// namespace that claimed it first: its remembered owner while that namespace
// still claims it, else the namespace of its oldest claimant. Another
// namespace's claim on it, or on a host it overlaps (`*.example.com` and
// `a.example.com`), is refused unless an Ingress of the owner claiming the host
// lists that namespace in meshdoor.dev/host-delegates. The decisions are made
// in host-ownership-state.ts; here, a whole pass and certificates.
import type { V1Ingress } from '@kubernetes/client-node';
import type { TranslateContext } from './context.ts';
import { claimantOf, NO_OWNERS, ownershipMessage, OwnershipState } from './host-ownership-state.ts';
import type { HostClaim } from './host-ownership-state.ts';
import type { IngressPlan, PathClaim } from './plans.ts';
import { refOf } from './objects.ts';

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
  const state = new OwnershipState(ctx.memory.ages);
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
