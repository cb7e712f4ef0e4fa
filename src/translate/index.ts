// The translator: Snapshot → Kong declarative config + failures. Pure: no I/O,
// no clocks; one bad object only adds failures and drops what depends on it.
// A translator remembers earlier passes (memory.ts, delta-pass.ts) to answer
// faster, never differently: the same snapshot always gives the same result.
//
// Known deviations from Kubernetes semantics, all caused by Kong's traditional
// routers (the expressions flavor has none of them; tests assert Kong's real
// behaviour under "KNOWN DEVIATION"):
// - `*.foo.com` also matches `a.b.foo.com` (Kong hosts match any depth);
// - on traditional_compatible a host-less regex path (Exact /foo, or the
//   `~/foo$` of Prefix /foo) outranks a wildcard-host route's plain prefix
//   for exactly that path (docs/kong-router.md#priority-on-traditional_compatible).
// Conflicts cover every host Kong matches: rules[].host and konghq.com/host-aliases;
// on the expressions flavor konghq.com/regex-priority has no effect.
import { createContext } from './context.ts';
import { DeltaPasses } from './delta-pass.ts';
import { createTranslatorMemory } from './memory.ts';
import { ReadSettings } from './read-settings.ts';
import { summarizeRoutes } from './summary.ts';
import type { RouteSummary } from './summary.ts';
import type { Snapshot, TranslateOptions, TranslateResult } from './types.ts';
import { translateWhole } from './whole-pass.ts';
import type { PassResult } from './whole-pass.ts';

export type {
  HostHandOver, HostReport, ObjectRef, SharedHost, Snapshot, SnapshotKind, SnapshotObjects, TranslateOptions, TranslateResult, TranslationFailure,
} from './types.ts';
export { formatFailure } from './failures.ts';
export type { RouteSummary } from './summary.ts';
export { indexSnapshot } from './snapshot-index.ts';
export type { SnapshotIndex } from './snapshot-index.ts';
export {
  classOwnershipProblem, DEFAULT_CLASS_ANNOTATION, isClassAnnotationServed, isIngressServed, LEGACY_CLASS_ANNOTATION, REFERENCED_KINDS, SOURCE_KINDS, TRANSLATED_KINDS,
} from './sources/index.ts';
export type { ClassOwnership, KindDescription, RbacRule, ReferencedKind, SourceKind } from './sources/index.ts';

export interface DetailedTranslateResult extends TranslateResult {
  /** One row per host and path, for people (`meshdoor routes`). */
  routes: RouteSummary[];
}

/**
 * Translates snapshots, remembering earlier passes (its own memory, shared
 * with no other translator). The controller keeps one for its life; a CLI
 * command makes one per run.
 */
export interface Translator {
  /** Translates the served Ingresses of a snapshot into one Kong configuration. */
  readonly translate: (snapshot: Snapshot, options: TranslateOptions) => TranslateResult;
  /** As translate(), plus a readable summary of the routes. */
  readonly translateDetailed: (snapshot: Snapshot, options: TranslateOptions) => DetailedTranslateResult;
}

export function createTranslator(): Translator {
  const memory = createTranslatorMemory();
  const deltas = new DeltaPasses();
  const settings = new ReadSettings();
  const translateToPlans = (snapshot: Snapshot, options: TranslateOptions): PassResult => {
    const ctx = createContext(snapshot, { ...options, settings: settings.of(options.settings) }, memory);
    // Exclusions come from Kong's rejections: a rare, one-off pass.
    return ctx.excluding ? translateWhole(ctx, snapshot) : deltas.translate(ctx, snapshot);
  };
  return {
    translate: (snapshot, options) => {
      const { config, failures, configured, hosts } = translateToPlans(snapshot, options);
      return { config, failures, configured, ...(hosts ? { hosts } : {}) };
    },
    translateDetailed: (snapshot, options) => {
      const { config, failures, configured, hosts, routePlans } = translateToPlans(snapshot, options);
      return { config, failures, configured, ...(hosts ? { hosts } : {}), routes: summarizeRoutes(routePlans()) };
    },
  };
}

// What the controller and the CLI use besides the translation itself.
export type { KubeObject } from './objects.ts';
export { objectKey, parsePartExclusionKey, partExclusionKey, snapshotOf } from './types.ts';
export type { ObjectKind } from './types.ts';

// The per-object rules, for the admission webhook: it plans one object under
// review with the translator's own functions and its own translator memory.
export { ClaimTable } from './claim-table.ts';
export type { HostAndPath } from './claim-table.ts';
export { createContext } from './context.ts';
export type { TranslateContext } from './context.ts';
export { reportLoser, resolvePathConflicts, winnerOf } from './conflicts.ts';
export { ownershipMessage, resolveHostOwnership, tlsWithinOwnership } from './host-ownership.ts';
export type { HostOwnership } from './host-ownership.ts';
export { planIncrementally } from './ingress-memo.ts';
export { createTranslatorMemory } from './memory.ts';
export type { TranslatorMemory } from './memory.ts';
export { listChanges } from './list-changes.ts';
export { namespacedName, refOf } from './objects.ts';
export type { IngressPlan, PathClaim } from './plans.ts';
export { INGRESS_SOURCE, planIngress, resolveIngressBackend } from './sources/index.ts';
export { translateTls } from './tls.ts';
export { sharedHostMessage, SharedHosts } from './shared-hosts.ts';
