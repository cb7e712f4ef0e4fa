// Incremental translation, step one: an Ingress planned in an earlier pass is
// not planned again. Watch caches replace an object on every change and never
// mutate it, so a plan stays right while the Ingress, the settings and every
// object its planning looked up are the same objects. Those lookups are
// recorded while planning (whatever planIngress reads), and so are the
// failures it reported, which a reused plan reports again.
//
// A remembered plan keeps only the objects it read, never anything of the pass
// that made it: the pass's lookup tables (and through them every object of that
// pass) are only recognised by a token that holds none of them. Holding them
// kept one pass's tables alive per pass under churn, with every replaced
// object they listed.
import type { V1Service } from '@kubernetes/client-node';
import type { MeshDoorSettings } from '../config/index.ts';
import { reportUnexpected } from './context.ts';
import type { FailureSink, TranslateContext } from './context.ts';
import type { IngressPlan } from './plans.ts';
import type { SourceKind } from './sources/kind.ts';
import type { KubeObject } from './objects.ts';
import type { SnapshotIndex } from './snapshot-index.ts';
import type { ObjectKind, ObjectRef } from './types.ts';
import type { FailureReason } from '../model/index.ts';
import type { SchemaAnswer } from '../plugins/index.ts';

type Lookup = keyof SnapshotIndex;

/**
 * What planning read, four slots a read (no object per read): a lookup by one
 * or two names and what it got (lookup, first, second, value), or an exclusion
 * check (EXCLUDED, kind, object, verdict).
 */
type Reads = unknown[];

/** Marks an exclusion check in the lookup slot of a read. */
const EXCLUDED = Symbol('excluded');
const READ_SLOTS = 4;

interface Planned {
  settings: MeshDoorSettings;
  /** The token of that pass's lookups (SnapshotIndexer.identityOf): when the same, and nothing was excluded, no read can differ. */
  index: object;
  excluding: boolean;
  reads: Reads;
  /** Plugin schema answers planning checked configurations against: not part of the index. */
  schemas: [string, SchemaAnswer][];
  failures: [ObjectRef, FailureReason, string][];
  plan: IngressPlan | undefined;
}

/** Shared by every plan that reported nothing (most): never added to (a planning that reports makes its own list). */
const NO_FAILURES: Planned['failures'] = Object.freeze([]) as unknown as Planned['failures'];
/** Shared by every plan that read nothing, likewise (a planning that reads makes its own list). */
const NO_READS: Planned['reads'] = Object.freeze([]) as unknown as Planned['reads'];
/** Shared by every plan that checked no plugin schema (every plan of a cluster without plugins), likewise. */
const NO_SCHEMAS: Planned['schemas'] = Object.freeze([]) as unknown as Planned['schemas'];

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
  const entry: Planned = { settings: ctx.settings, index: ctx.memory.indexes.identityOf(ctx.index), excluding: ctx.excluding, reads: NO_READS, schemas: NO_SCHEMAS, failures: NO_FAILURES, plan: undefined };
  // An unexpected error becomes a failure of this object (as guarded()), and nothing is remembered.
  try {
    entry.plan = source.plan(new RecordingContext(ctx, entry), obj);
  } catch (err) {
    reportUnexpected(ctx, obj, err, source.kind);
    return undefined;
  }
  // Kept for the object's life: exact copies, without the spare slots push left (a list of one read is one already).
  if (entry.reads.length > READ_SLOTS) entry.reads = entry.reads.slice();
  planned.set(obj, entry);
  return entry.plan;
}

/** Whether `plan` is the object's remembered plan and still holds for this pass. */
export function isPlanCurrent(ctx: TranslateContext, obj: KubeObject, plan: IngressPlan | undefined): boolean {
  const known = ctx.memory.plans.get(obj);
  return known !== undefined && known.plan === plan && isCurrent(ctx, known);
}

function isCurrent(ctx: TranslateContext, entry: Planned): boolean {
  if (entry.settings !== ctx.settings) return false;
  if (!entry.schemas.every(([plugin, answer]) => ctx.pluginSchemas(plugin) === answer)) return false;
  if (entry.index === ctx.memory.indexes.identityOf(ctx.index) && !entry.excluding && !ctx.excluding) return true;
  // Planned with nothing excluded, it recorded no exclusion checks: plan again.
  if (ctx.excluding && !entry.excluding) return false;
  const { reads } = entry;
  for (let i = 0; i < reads.length; i += READ_SLOTS) if (!readsTheSame(ctx, reads, i)) return false;
  return true;
}

function readsTheSame(ctx: TranslateContext, reads: Reads, at: number): boolean {
  const lookup = reads[at];
  const first = reads[at + 1];
  const second = reads[at + 2];
  const value = reads[at + 3];
  if (lookup === EXCLUDED) return ctx.isExcluded(first as ObjectKind, second as KubeObject) === value;
  return sameValue(callLookup(ctx.index, lookup as Lookup, first as string, second as string | undefined), value);
}

/** Identity, and for lists (EndpointSlices) identity of every item. */
function sameValue(now: unknown, then: unknown): boolean {
  if (now === then) return true;
  if (!Array.isArray(now) || !Array.isArray(then) || now.length !== then.length) return false;
  return now.every((item, i) => item === then[i]);
}

/** Any lookup of the index (one per referenced kind), by name, as it was read. */
function callLookup(index: SnapshotIndex, lookup: Lookup, first: string, second: string | undefined): unknown {
  const call = index[lookup] as (this: SnapshotIndex, first: string, second?: string) => unknown;
  return second === undefined ? call.call(index, first) : call.call(index, first, second);
}

/**
 * The context a planning runs in: the pass's, with every read and failure also
 * kept in \`entry\`. One object per planning (ten thousand in a 10k cold pass):
 * it is its own index, recording each lookup and its answer, and its own
 * failure sink.
 */
class RecordingContext implements TranslateContext, SnapshotIndex, FailureSink {
  readonly settings: TranslateContext['settings'];
  readonly memory: TranslateContext['memory'];
  readonly excluding: boolean;
  readonly index: SnapshotIndex = this;
  readonly failures: FailureSink = this;

  constructor(private readonly ctx: TranslateContext, private readonly entry: Planned) {
    this.settings = ctx.settings;
    this.memory = ctx.memory;
    this.excluding = ctx.excluding;
  }

  private record<T>(lookup: Lookup, first: string, second: string | undefined, value: T): T {
    this.addRead(lookup, first, second, value);
    return value;
  }

  private addRead(lookup: Lookup | typeof EXCLUDED, first: unknown, second: unknown, value: unknown): void {
    const { entry } = this;
    // A first read makes a list of exactly its slots (most plans read one Service).
    if (entry.reads === NO_READS) entry.reads = [lookup, first, second, value];
    else entry.reads.push(lookup, first, second, value);
  }

  lookupService(namespace: string, name: string): ReturnType<SnapshotIndex['lookupService']> {
    return this.record('lookupService', namespace, name, this.ctx.index.lookupService(namespace, name));
  }

  serviceRef(service: V1Service): ReturnType<SnapshotIndex['serviceRef']> {
    return this.ctx.index.serviceRef(service);
  }

  lookupSecret(namespace: string, name: string): ReturnType<SnapshotIndex['lookupSecret']> {
    return this.record('lookupSecret', namespace, name, this.ctx.index.lookupSecret(namespace, name));
  }

  lookupIngressClass(name: string): ReturnType<SnapshotIndex['lookupIngressClass']> {
    return this.record('lookupIngressClass', name, undefined, this.ctx.index.lookupIngressClass(name));
  }

  lookupEndpointSlices(namespace: string, service: string): ReturnType<SnapshotIndex['lookupEndpointSlices']> {
    return this.record('lookupEndpointSlices', namespace, service, this.ctx.index.lookupEndpointSlices(namespace, service));
  }

  lookupKongPlugin(namespace: string, name: string): ReturnType<SnapshotIndex['lookupKongPlugin']> {
    return this.record('lookupKongPlugin', namespace, name, this.ctx.index.lookupKongPlugin(namespace, name));
  }

  lookupKongClusterPlugin(name: string): ReturnType<SnapshotIndex['lookupKongClusterPlugin']> {
    return this.record('lookupKongClusterPlugin', name, undefined, this.ctx.index.lookupKongClusterPlugin(name));
  }

  add(object: ObjectRef, reason: FailureReason, message: string): void {
    if (this.entry.failures === NO_FAILURES) this.entry.failures = [];
    this.entry.failures.push([object, reason, message]);
    this.ctx.failures.add(object, reason, message);
  }

  serviceOptions(service: V1Service): ReturnType<TranslateContext['serviceOptions']> {
    return this.ctx.serviceOptions(service);
  }

  /** A plain function, as plugin resolution takes it: made only when a planning resolves plugins. */
  get pluginSchemas(): TranslateContext['pluginSchemas'] {
    return (plugin) => {
      const answer = this.ctx.pluginSchemas(plugin);
      if (this.entry.schemas === NO_SCHEMAS) this.entry.schemas = [];
      this.entry.schemas.push([plugin, answer]);
      return answer;
    };
  }

  isExcluded(kind: ObjectKind, obj: KubeObject): boolean {
    // Nothing excluded (nearly every pass): nothing to record, see isCurrent.
    if (!this.ctx.excluding) return false;
    const value = this.ctx.isExcluded(kind, obj);
    this.addRead(EXCLUDED, kind, obj, value);
    return value;
  }
}
