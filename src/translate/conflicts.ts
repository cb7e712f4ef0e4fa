// The same host + path + pathType claimed twice: the older Ingress keeps it,
// the other gets a PathConflict failure and the rest of it still translates.
import type { TranslateContext } from './context.ts';
import type { IngressPlan, PathClaim } from './plans.ts';
import { claimKey } from './claim-table.ts';
import { namespacedName, precedence, refOf } from './objects.ts';
import type { ObjectAges } from './objects.ts';

function describe(claim: PathClaim): string {
  const host = claim.host === '' ? 'any host'
    : claim.alias ? `host '${claim.host}' (konghq.com/host-aliases of rule host '${claim.ruleHost}')` : `host '${claim.host}'`;
  return `path ${claim.path.conflictKey} on ${host}`;
}

/** The claim that keeps a host + path: the oldest Ingress's, and within it the first. */
export function winnerOf(ages: ObjectAges, claims: readonly PathClaim[]): PathClaim | undefined {
  let winner: PathClaim | undefined;
  for (const claim of claims) {
    if (winner === undefined || ages.compare(claim.ingress, winner.ingress) < 0) winner = claim;
  }
  return winner;
}

/**
 * The claims that lose (the refused ones included): per host + path, the oldest Ingress's first claim wins.
 * Claims come in any Ingress order (sorting 10k Ingresses by age on every pass
 * cost more than the rare conflict); within an Ingress, in rule order.
 */
export function resolvePathConflicts(ctx: TranslateContext, plans: readonly IngressPlan[], refused: ReadonlySet<PathClaim> = new Set()): ReadonlySet<PathClaim> {
  const winners = new Map<string, PathClaim>();
  const contested = new Set<PathClaim>();
  for (const plan of plans) {
    for (const claim of plan.claims) {
      if (refused.has(claim)) continue;
      const key = claimKey(claim);
      const winner = winners.get(key);
      if (winner === undefined) {
        winners.set(key, claim);
        continue;
      }
      contested.add(winner).add(claim);
      if (ctx.memory.ages.compare(claim.ingress, winner.ingress) < 0) winners.set(key, claim);
    }
  }
  // A claim refused for its host (host-ownership.ts) takes no path from anyone.
  const losers = new Set<PathClaim>(refused);
  for (const claim of contested) {
    const winner = winners.get(claimKey(claim));
    if (winner === undefined || winner === claim) continue;
    losers.add(claim);
    reportLoser(ctx, claim, winner);
  }
  return losers;
}

export function reportLoser(ctx: TranslateContext, claim: PathClaim, winner: PathClaim): void {
  const sameIngress = winner.ingress === claim.ingress;
  // The same path to the same backend twice in one Ingress is not a conflict.
  if (sameIngress && winner.backend.kongServiceName === claim.backend.kongServiceName) return;
  const owner = sameIngress ? 'an earlier rule of this Ingress' : `Ingress ${namespacedName(winner.ingress)} (${precedence(winner.ingress, claim.ingress)})`;
  ctx.failures.add(refOf('Ingress', claim.ingress), 'PathConflict',
    `${describe(claim)} is already served by ${owner}; this path is not configured`);
}
