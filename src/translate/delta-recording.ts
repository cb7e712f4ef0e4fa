// How the incremental pass records what planning reports: failures per
// entry, and one planning context per pass.
import type { V1Ingress } from '@kubernetes/client-node';
import type { FailureSink, TranslateContext } from './context.ts';
import { planIncrementally } from './ingress-memo.ts';
import type { IngressPlan } from './plans.ts';
import type { SourceKind } from './sources/index.ts';
import type { ObjectRef } from './types.ts';
import type { FailureReason } from '../model/index.ts';

export type Failure = readonly [ObjectRef, FailureReason, string];

export function countOf<T>(items: readonly T[], test: (item: T) => boolean): number {
  let count = 0;
  for (let i = 0; i < items.length; i += 1) if (test(items[i] as T)) count += 1;
  return count;
}

export function recorder(ctx: TranslateContext, into: Failure[]): TranslateContext {
  const failures: FailureSink = { add: (object, reason, message) => { into.push([object, reason, message]); } };
  return { ...ctx, failures };
}

/** Shared by every entry whose planning reported nothing (most): never added to. */
const NO_FAILURES: readonly Failure[] = Object.freeze([]);

/**
 * One context per pass for planning Ingresses, its failures going to the
 * entry being planned (not a copy of the pass's context per Ingress: ten
 * thousand of them in a 10k cold pass).
 */
export class PlanningRecorder {
  /** The failures of the Ingress being planned; none made until it reports one. */
  private into: Failure[] | undefined;
  readonly ctx: TranslateContext;

  constructor(ctx: TranslateContext) {
    const failures: FailureSink = { add: (object, reason, message) => { (this.into ??= []).push([object, reason, message]); } };
    this.ctx = { ...ctx, failures };
  }

  /** The failures the last planning reported. */
  failures: readonly Failure[] = NO_FAILURES;

  /** The source's plan of an Ingress; \`failures\` then holds what its planning reported (no pair made per Ingress). */
  plan(source: SourceKind<V1Ingress>, ingress: V1Ingress): IngressPlan | undefined {
    this.into = undefined;
    const plan = planIncrementally(this.ctx, source, ingress);
    this.failures = this.into ?? NO_FAILURES;
    this.into = undefined;
    return plan;
  }
}
