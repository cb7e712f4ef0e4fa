// Collects translation failures: deduplicated, sorted by object then reason.
import { compareStrings } from './objects.ts';
import { objectKey } from './types.ts';
import type { ObjectRef, TranslationFailure } from './types.ts';
import type { FailureReason } from '../model/index.ts';

export class FailureCollector {
  private readonly failures = new Map<string, TranslationFailure>();

  add(object: ObjectRef, reason: FailureReason, message: string): void {
    const key = `${objectKey(object)}\n${reason}\n${message}`;
    if (!this.failures.has(key)) this.failures.set(key, { object: { ...object }, reason, message });
  }

  list(): TranslationFailure[] {
    return [...this.failures.values()].sort(compareFailures);
  }
}

function compareFailures(a: TranslationFailure, b: TranslationFailure): number {
  return compareStrings(objectKey(a.object), objectKey(b.object))
    || compareStrings(a.reason, b.reason)
    || compareStrings(a.message, b.message);
}

/** A one-line, human-readable failure: `Ingress kong/demo: ServiceNotFound: ...`. */
export function formatFailure(failure: TranslationFailure): string {
  const { kind, namespace, name } = failure.object;
  const where = namespace ? `${namespace}/${name}` : name;
  return `${kind} ${where}: ${failure.reason}: ${failure.message}`;
}
