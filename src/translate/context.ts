// What every translation step shares: settings, lookups, exclusions, failures.
import type { V1Service } from '@kubernetes/client-node';
import type { MeshDoorSettings } from '../config/index.ts';
import { OFFLINE_SCHEMAS } from '../plugins/index.ts';
import type { SchemaLookup } from '../plugins/index.ts';
import type { InvalidAnnotationError } from './annotation-values.ts';
import { excludedParts, type ExcludedParts } from './excluded-parts.ts';
import { FailureCollector } from './failures.ts';
import { keyOf, refOf } from './objects.ts';
import type { KubeObject } from './objects.ts';
import { DEFAULT_SERVICE_OPTIONS, readServiceAnnotations } from './service-annotations.ts';
import type { ServiceOptions } from './service-annotations.ts';
import type { SnapshotIndex } from './snapshot-index.ts';
import type { TranslatorMemory } from './memory.ts';
import type { FailureReason } from '../model/index.ts';
import type { ObjectKind, ObjectRef, Snapshot, TranslateOptions } from './types.ts';

/** Where translation steps report what they leave out. */
export interface FailureSink {
  add(object: ObjectRef, reason: FailureReason, message: string): void;
}

export interface TranslateContext {
  settings: MeshDoorSettings;
  /** What this context's translator remembers between passes (never shared with another translator). */
  memory: TranslatorMemory;
  index: SnapshotIndex;
  failures: FailureSink;
  /** Whether any object is excluded in this pass. */
  excluding: boolean;
  isExcluded(kind: ObjectKind, obj: KubeObject): boolean;
  /** Parts of Ingresses (paths, routes) to leave out or split; undefined when none. */
  excludedParts?: ExcludedParts;
  /** Host owners remembered from earlier passes (TranslateOptions.hostOwners). */
  hostOwners?: ReadonlyMap<string, string>;
  /** A Service's konghq.com annotations, parsed once per Service object. */
  serviceOptions(service: V1Service): ServiceOptions | InvalidAnnotationError;
  /** What is known of each plugin's schema (TranslateOptions.pluginSchemas). */
  pluginSchemas: SchemaLookup;
}

export function createContext(snapshot: Snapshot, options: TranslateOptions, memory: TranslatorMemory): TranslateContext & { failures: FailureCollector } {
  const exclude = options.exclude ?? new Set<string>();
  return {
    settings: options.settings,
    memory,
    index: memory.indexes.index(snapshot),
    failures: new FailureCollector(),
    excluding: exclude.size > 0,
    isExcluded: (kind, obj) => exclude.size > 0 && exclude.has(keyOf(kind, obj)),
    serviceOptions: (service) => parsedServiceOptions(memory.serviceOptions, service),
    pluginSchemas: options.pluginSchemas ?? OFFLINE_SCHEMAS,
    ...withExcludedParts(exclude),
    ...(options.hostOwners ? { hostOwners: options.hostOwners } : {}),
  };
}

function withExcludedParts(exclude: ReadonlySet<string>): { excludedParts?: ExcludedParts } {
  const parts = exclude.size > 0 ? excludedParts(exclude) : undefined;
  return parts ? { excludedParts: parts } : {};
}

/** Store objects are replaced, never mutated: a Service parses the same way every time. */
export type ParsedServiceOptions = WeakMap<V1Service, ServiceOptions | InvalidAnnotationError>;

function parsedServiceOptions(parsedOptions: ParsedServiceOptions, service: V1Service): ServiceOptions | InvalidAnnotationError {
  let parsed = parsedOptions.get(service);
  if (parsed === undefined) {
    parsed = readServiceAnnotations(service.metadata?.annotations ?? {});
    // The shared defaults (a Service without annotations, nearly all) cost no entry to remember.
    if (parsed !== DEFAULT_SERVICE_OPTIONS) parsedOptions.set(service, parsed);
  }
  return parsed;
}

/** Runs per-object work (an Ingress by default); an unexpected error becomes a failure on that object only. */
export function guarded<T>(ctx: TranslateContext, obj: KubeObject, work: () => T, kind: ObjectKind = 'Ingress'): T | undefined {
  try {
    return work();
  } catch (err) {
    reportUnexpected(ctx, obj, err, kind);
    return undefined;
  }
}

/** What guarded() reports, for callers that catch themselves (no closure per object). */
export function reportUnexpected(ctx: TranslateContext, obj: KubeObject, err: unknown, kind: ObjectKind): void {
  ctx.failures.add(refOf(kind, obj), 'TranslationError', `unexpected error: ${err instanceof Error ? err.message : String(err)}`);
}
