// Incremental translation, step one: an Ingress planned in an earlier pass is
// not planned again. Watch caches replace an object on every change and never
// mutate it, so a plan stays right while the Ingress, the settings and every
// object its planning looked up are the same objects. Those lookups are
// recorded while planning (whatever planIngress reads), and so are the
// failures it reported, which a reused plan reports again.
//
// A remembered plan keeps only the objects it read, never anything of the pass
// that made it: the pass's lookup tables (and through them every object of that
// pass) are only recognised through a WeakRef. Holding them kept one pass's
// tables alive per pass under churn, with every replaced object they listed.
import type { MeshDoorSettings } from '../config/index.ts';
import { guarded } from './context.ts';
import type { TranslateContext } from './context.ts';
import type { IngressPlan } from './plans.ts';
import type { SourceKind } from './sources/kind.ts';
import type { KubeObject } from './objects.ts';
import type { SnapshotIndex } from './snapshot-index.ts';
import type { ObjectKind, ObjectRef } from './types.ts';
import type { FailureReason } from '../model/index.ts';
import type { SchemaAnswer } from '../plugins/index.ts';

type Lookup = keyof SnapshotIndex;

/** One thing planning read, and what it got. */
type Read =
  | { lookup: Lookup; args: readonly string[]; value: unknown }
  | { excluded: ObjectKind; obj: KubeObject; value: boolean };

interface Planned {
  settings: MeshDoorSettings;
  /** The lookups of that pass: when the same, and nothing was excluded, no read can differ. */
  index: WeakRef<SnapshotIndex>;
  excluding: boolean;
  reads: Read[];
  /** Plugin schema answers planning checked configurations against: not part of the index. */
  schemas: [string, SchemaAnswer][];
  failures: [ObjectRef, FailureReason, string][];
  plan: IngressPlan | undefined;
}

/** A translator's remembered plans, by source object. */
export type PlanMemo = WeakMap<KubeObject, Planned>;

/** The source's plan of an object, reusing the plan of an earlier pass when nothing it read has changed. */
export function planIncrementally<T extends KubeObject>(ctx: TranslateContext, source: SourceKind<T>, obj: T): IngressPlan | undefined {
  const planned = ctx.memory.plans;
  const known = planned.get(obj);
  if (known && isCurrent(ctx, known)) {
    for (const [ref, reason, message] of known.failures) ctx.failures.add(ref, reason, message);
    return known.plan;
  }
  const entry: Planned = { settings: ctx.settings, index: new WeakRef(ctx.index), excluding: ctx.excluding, reads: [], schemas: [], failures: [], plan: undefined };
  // An unexpected error becomes a failure of this object, and nothing is remembered.
  return guarded(ctx, obj, () => {
    entry.plan = source.plan(recordingContext(ctx, entry), obj);
    planned.set(obj, entry);
    return entry.plan;
  }, source.kind);
}

/** Whether `plan` is the object's remembered plan and still holds for this pass. */
export function isPlanCurrent(ctx: TranslateContext, obj: KubeObject, plan: IngressPlan | undefined): boolean {
  const known = ctx.memory.plans.get(obj);
  return known !== undefined && known.plan === plan && isCurrent(ctx, known);
}

function isCurrent(ctx: TranslateContext, entry: Planned): boolean {
  if (entry.settings !== ctx.settings) return false;
  if (!entry.schemas.every(([plugin, answer]) => ctx.pluginSchemas(plugin) === answer)) return false;
  if (entry.index.deref() === ctx.index && !entry.excluding && !ctx.excluding) return true;
  return entry.reads.every((read) => readsTheSame(ctx, read));
}

function readsTheSame(ctx: TranslateContext, read: Read): boolean {
  if ('excluded' in read) return ctx.isExcluded(read.excluded, read.obj) === read.value;
  return sameValue(callLookup(ctx.index, read.lookup, read.args), read.value);
}

/** Identity, and for lists (EndpointSlices) identity of every item. */
function sameValue(now: unknown, then: unknown): boolean {
  if (now === then) return true;
  if (!Array.isArray(now) || !Array.isArray(then) || now.length !== then.length) return false;
  return now.every((item, i) => item === then[i]);
}

/** Any lookup of the index (one per referenced kind), by name. */
function callLookup(index: SnapshotIndex, lookup: Lookup, args: readonly string[]): unknown {
  const call = index[lookup] as (...args: readonly string[]) => unknown;
  return call(...args);
}

function recordingContext(ctx: TranslateContext, entry: Planned): TranslateContext {
  const record = (lookup: Lookup) => (...args: string[]): unknown => {
    const value = callLookup(ctx.index, lookup, args);
    entry.reads.push({ lookup, args, value });
    return value;
  };
  const lookups = Object.keys(ctx.index) as Lookup[];
  const index = Object.fromEntries(lookups.map((lookup) => [lookup, record(lookup)])) as unknown as SnapshotIndex;
  return {
    settings: ctx.settings,
    memory: ctx.memory,
    excluding: ctx.excluding,
    index,
    serviceOptions: (service) => ctx.serviceOptions(service),
    pluginSchemas: (plugin) => {
      const answer = ctx.pluginSchemas(plugin);
      entry.schemas.push([plugin, answer]);
      return answer;
    },
    isExcluded(kind, obj) {
      const value = ctx.isExcluded(kind, obj);
      entry.reads.push({ excluded: kind, obj, value });
      return value;
    },
    failures: {
      add(object, reason, message) {
        entry.failures.push([object, reason, message]);
        ctx.failures.add(object, reason, message);
      },
    },
  };
}
