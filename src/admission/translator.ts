// The admission webhook's one door into the translator: every rule it applies
// is the translator's own function, re-exported here so that moving the
// translator's files changes this file only.
export { createContext } from '../translate/context.ts';
export type { TranslateContext } from '../translate/context.ts';
export { reportLoser, resolvePathConflicts, winnerOf } from '../translate/conflicts.ts';
export { formatFailure } from '../translate/failures.ts';
export { ownershipMessage, resolveHostOwnership, tlsWithinOwnership } from '../translate/host-ownership.ts';
export type { HostOwnership } from '../translate/host-ownership.ts';
export { isIngressServed } from '../translate/ingress-class.ts';
export { planIngressIncrementally } from '../translate/ingress-memo.ts';
export { planIngress, resolveIngressBackend } from '../translate/ingress-rules.ts';
export type { IngressPlan, PathClaim } from '../translate/ingress-rules.ts';
export { listChanges } from '../translate/delta-pass.ts';
export { namespacedName, refOf } from '../translate/objects.ts';
export { translateTls } from '../translate/tls.ts';
export type { ObjectRef, Snapshot, TranslationFailure } from '../translate/types.ts';
