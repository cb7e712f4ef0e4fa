// What every translation step shares: settings, lookups, exclusions, failures.
import type { V1Service } from '@kubernetes/client-node';
import type { MeshDoorSettings } from '../config/settings.ts';
import { InvalidAnnotationError } from './annotation-values.ts';
import { FailureCollector } from './failures.ts';
import { keyOf, refOf } from './objects.ts';
import type { KubeObject } from './objects.ts';
import { parseServiceAnnotations } from './service-annotations.ts';
import type { ServiceOptions } from './service-annotations.ts';
import { indexSnapshot } from './snapshot-index.ts';
import type { SnapshotIndex } from './snapshot-index.ts';
import type { ObjectKind, Snapshot, TranslateOptions } from './types.ts';

export interface TranslateContext {
  settings: MeshDoorSettings;
  index: SnapshotIndex;
  failures: FailureCollector;
  isExcluded(kind: ObjectKind, obj: KubeObject): boolean;
  /** Parsed once per Service, so a bad annotation is reported once. */
  serviceOptions(service: V1Service): ServiceOptions | InvalidAnnotationError;
}

export function createContext(snapshot: Snapshot, options: TranslateOptions): TranslateContext {
  const exclude = options.exclude ?? new Set<string>();
  const optionsCache = new Map<string, ServiceOptions | InvalidAnnotationError>();
  return {
    settings: options.settings,
    index: indexSnapshot(snapshot),
    failures: new FailureCollector(),
    isExcluded: (kind, obj) => exclude.has(keyOf(kind, obj)),
    serviceOptions(service) {
      const key = keyOf('Service', service);
      let parsed = optionsCache.get(key);
      if (parsed === undefined) {
        parsed = parseServiceOptionsSafely(service);
        optionsCache.set(key, parsed);
      }
      return parsed;
    },
  };
}

function parseServiceOptionsSafely(service: V1Service): ServiceOptions | InvalidAnnotationError {
  try {
    return parseServiceAnnotations(service.metadata?.annotations ?? {});
  } catch (err) {
    if (err instanceof InvalidAnnotationError) return err;
    throw err;
  }
}

/** Runs per-Ingress work; an unexpected error becomes a failure on that Ingress only. */
export function guarded<T>(ctx: TranslateContext, ingress: KubeObject, work: () => T): T | undefined {
  try {
    return work();
  } catch (err) {
    ctx.failures.add(refOf('Ingress', ingress), 'TranslationError', `unexpected error: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}
