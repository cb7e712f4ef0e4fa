// The same host + path + pathType claimed twice: the older Ingress keeps it
// (claims arrive oldest first), the other gets a PathConflict failure and the
// rest of it still translates.
import type { TranslateContext } from './context.ts';
import type { PathClaim } from './ingress-rules.ts';
import { namespacedName, refOf } from './objects.ts';

function describe(claim: PathClaim): string {
  const host = claim.host === '' ? 'any host' : `host '${claim.host}'`;
  return `path ${claim.path.conflictKey} on ${host}`;
}

/** The claims that win, in their original order. */
export function resolvePathConflicts(ctx: TranslateContext, claims: readonly PathClaim[]): PathClaim[] {
  const winners = new Map<string, PathClaim>();
  const kept: PathClaim[] = [];
  for (const claim of claims) {
    const key = `${claim.host}\n${claim.path.conflictKey}`;
    const winner = winners.get(key);
    if (!winner) {
      winners.set(key, claim);
      kept.push(claim);
      continue;
    }
    const sameIngress = winner.ingress === claim.ingress;
    if (sameIngress && winner.backend.kongServiceName === claim.backend.kongServiceName) continue;
    const owner = sameIngress ? 'an earlier rule of this Ingress' : `Ingress ${namespacedName(winner.ingress)} (older)`;
    ctx.failures.add(refOf('Ingress', claim.ingress), 'PathConflict',
      `${describe(claim)} is already served by ${owner}; this path is not configured`);
  }
  return kept;
}
