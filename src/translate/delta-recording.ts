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
  private into: Failure[] = [];
  readonly ctx: TranslateContext;

  constructor(ctx: TranslateContext) {
    const failures: FailureSink = { add: (object, reason, message) => { this.into.push([object, reason, message]); } };
    this.ctx = { ...ctx, failures };
  }

  /** The source's plan of an Ingress, with the failures its planning reported. */
  plan(source: SourceKind<V1Ingress>, ingress: V1Ingress): { plan: IngressPlan | undefined; failures: readonly Failure[] } {
    const failures: Failure[] = [];
    this.into = failures;
    const plan = planIncrementally(this.ctx, source, ingress);
    this.into = [];
    return { plan, failures: failures.length > 0 ? failures : NO_FAILURES };
  }
}
