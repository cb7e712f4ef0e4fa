// The translator: Snapshot → Kong declarative config + failures. Pure: no I/O,
// no clocks; one bad object only adds failures and drops what depends on it.
// It remembers earlier passes (ingress-memo.ts, delta-pass.ts) to answer
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
import { summarizeRoutes } from './summary.ts';
import type { RouteSummary } from './summary.ts';
import type { Snapshot, TranslateOptions, TranslateResult } from './types.ts';
import { translateDelta } from './delta-pass.ts';
import { translateWhole } from './whole-pass.ts';
import type { PassResult } from './whole-pass.ts';

export type { HostHandOver, HostReport, ObjectRef, SharedHost, Snapshot, TranslateOptions, TranslateResult, TranslationFailure } from './types.ts';
export { formatFailure } from './failures.ts';
export type { RouteSummary } from './summary.ts';

export interface DetailedTranslateResult extends TranslateResult {
  /** One row per host and path, for people (`meshdoor routes`). */
  routes: RouteSummary[];
}

function translateToPlans(snapshot: Snapshot, options: TranslateOptions): PassResult {
  const ctx = createContext(snapshot, options);
  // Exclusions come from Kong's rejections: a rare, one-off pass.
  return ctx.excluding ? translateWhole(ctx, snapshot) : translateDelta(ctx, snapshot);
}

/** As translate(), plus a readable summary of the routes. */
export function translateDetailed(snapshot: Snapshot, options: TranslateOptions): DetailedTranslateResult {
  const { config, failures, configured, hosts, routePlans } = translateToPlans(snapshot, options);
  return { config, failures, configured, ...(hosts ? { hosts } : {}), routes: summarizeRoutes(routePlans()) };
}

/** Translates the served Ingresses of a snapshot into one Kong configuration. */
export function translate(snapshot: Snapshot, options: TranslateOptions): TranslateResult {
  const { config, failures, configured, hosts } = translateToPlans(snapshot, options);
  return { config, failures, configured, ...(hosts ? { hosts } : {}) };
}

// What the controller and the CLI use besides the translation itself.
export { classOwnershipProblem, isIngressServed, LEGACY_CLASS_ANNOTATION } from './ingress-class.ts';
export type { ClassOwnership } from './ingress-class.ts';
export type { KubeObject } from './objects.ts';
export { indexSnapshot } from './snapshot-index.ts';
export { objectKey, parsePartExclusionKey, partExclusionKey } from './types.ts';
export type { ObjectKind } from './types.ts';
