// The admission webhook's one door into the translator: every rule it applies
// is the translator's own function, reached through the translator's entry.
// The webhook keeps its own translator memory, so its reviews never touch the
// caches of the controller's translator.
export {
  ClaimTable, createContext, createTranslatorMemory, formatFailure, INGRESS_SOURCE, isIngressServed, listChanges, namespacedName,
  ownershipMessage, planIncrementally, planIngress, refOf, reportLoser, resolveHostOwnership, resolveIngressBackend,
  resolvePathConflicts, sharedHostMessage, SharedHosts, tlsWithinOwnership, translateTls, winnerOf,
} from '../translate/index.ts';
export type {
  HostAndPath, HostOwnership, IngressPlan, ObjectRef, PathClaim, SharedHost, Snapshot, TranslateContext, TranslationFailure, TranslatorMemory,
} from '../translate/index.ts';
