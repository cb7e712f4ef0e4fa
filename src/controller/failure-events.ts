// Turns each pass's failures into Events: a Warning per failing object (the
// recorder deduplicates repeats), and a Normal once a failing object is
// configured again.
import type { Clock, EventRecorder, EventTarget } from '../kube/index.ts';
import { objectKey, type ObjectKind, type ObjectRef, type TranslationFailure } from '../model/index.ts';
import type { ObjectKeys } from './object-keys.ts';

const API_VERSIONS: Record<ObjectKind, string> = {
  Ingress: 'networking.k8s.io/v1',
  IngressClass: 'networking.k8s.io/v1',
  Service: 'v1',
  Secret: 'v1',
  EndpointSlice: 'discovery.k8s.io/v1',
  MeshDoor: 'meshdoor.dev/v1alpha1',
  KongPlugin: 'configuration.konghq.com/v1',
  KongClusterPlugin: 'configuration.konghq.com/v1',
  KongConsumer: 'configuration.konghq.com/v1',
};

const MAX_TRACKED = 10_000;

export type UidLookup = (ref: ObjectRef) => string | undefined;

export function eventTarget(ref: ObjectRef, lookupUid: UidLookup): EventTarget {
  const uid = ref.uid ?? lookupUid(ref);
  return {
    apiVersion: API_VERSIONS[ref.kind], kind: ref.kind, name: ref.name,
    ...(ref.namespace ? { namespace: ref.namespace } : {}),
    ...(uid ? { uid } : {}),
  };
}

/** Failures from translation and Kong, one per object+reason+message, in a stable order. */
export function mergeFailures(...lists: readonly (readonly TranslationFailure[])[]): TranslationFailure[] {
  const merged = new Map<string, TranslationFailure>();
  for (const failure of lists.flat()) merged.set(`${objectKey(failure.object)}|${failure.reason}|${failure.message}`, failure);
  return [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, f]) => f);
}

/**
 * The same failures against the same configured objects are walked again
 * after this long, not on every sync: the recorder's deduplication window
 * (10 minutes) lets a Warning that still holds be sent again, and an Event
 * whose write failed is tried again.
 */
const REWALK_MS = 60_000;

export class FailureEvents {
  private failing = new Map<string, ObjectRef>();
  private walked: { failures: readonly TranslationFailure[]; configured: readonly ObjectRef[]; at: number } | undefined;

  constructor(private readonly events: EventRecorder, private readonly keys: ObjectKeys, private readonly clock: Pick<Clock, 'now'>) {}

  report(failures: readonly TranslationFailure[], configured: readonly ObjectRef[], lookupUid: UidLookup): void {
    const at = this.clock.now();
    const last = this.walked;
    if (last && last.failures === failures && last.configured === configured && at - last.at < REWALK_MS) return;
    this.walked = { failures, configured, at };
    const now = new Map<string, ObjectRef>();
    for (const failure of failures) {
      now.set(objectKey(failure.object), failure.object);
      this.events.record(eventTarget(failure.object, lookupUid), 'Warning', failure.reason, failure.message);
    }
    // Made (once per list) only when an object failed before: most syncs have none.
    const configuredKeys = this.failing.size > 0 ? this.keys.configured(configured) : undefined;
    for (const [key, ref] of this.failing) {
      if (now.has(key)) continue;
      // Not configured yet (or gone): keep waiting for it to recover, within a bound.
      if (!configuredKeys?.has(key)) {
        if (now.size < MAX_TRACKED) now.set(key, ref);
        continue;
      }
      this.events.reset(ref);
      this.events.record(eventTarget(ref, lookupUid), 'Normal', 'Configured', `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name} is configured in Kong again`);
    }
    this.failing = now;
  }
}
