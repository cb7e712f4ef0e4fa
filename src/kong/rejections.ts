// Kong's per-entity rejections mapped back to Kubernetes objects through the
// k8s-* tags, and the loop that leaves rejected objects out and tries again,
// so one broken object never blocks the rest of the configuration.
import type { FlattenedEntityError } from './admin-errors.ts';
import type { ObjectKind, ObjectRef, TranslateResult, TranslationFailure } from '../translate/types.ts';
import { objectKey } from '../translate/types.ts';

const KINDS: readonly ObjectKind[] = ['Ingress', 'Service', 'Secret', 'IngressClass', 'EndpointSlice', 'MeshDoor'];

/** Pure: the object named by an entity's `k8s-kind:`/`k8s-namespace:`/`k8s-name:` tags. */
export function objectRefFromTags(tags: readonly string[]): ObjectRef | undefined {
  const value = (prefix: string): string | undefined => tags.find((t) => t.startsWith(prefix))?.slice(prefix.length);
  const kind = KINDS.find((k) => k === value('k8s-kind:'));
  const name = value('k8s-name:');
  if (kind === undefined || name === undefined || name === '') return undefined;
  const ref: ObjectRef = { kind, name };
  const namespace = value('k8s-namespace:');
  if (namespace !== undefined && namespace !== '') ref.namespace = namespace;
  const uid = value('k8s-uid:');
  if (uid !== undefined && uid !== '') ref.uid = uid;
  return ref;
}

/** Pure: Kong's `fields` object as `field: message` lines (nested fields dotted). */
export function describeFieldErrors(fields: unknown, prefix = ''): string[] {
  if (typeof fields === 'string') return [prefix === '' || prefix === '@entity' ? fields : `${prefix}: ${fields}`];
  if (Array.isArray(fields)) {
    return fields.flatMap((item: unknown, i) =>
      (item === null ? [] : describeFieldErrors(item, prefix === '@entity' ? prefix : `${prefix}.${i + 1}`)));
  }
  if (fields === null || typeof fields !== 'object') return [];
  return Object.entries(fields).flatMap(([key, value]) => describeFieldErrors(value, prefix ? `${prefix}.${key}` : key));
}

/** An entity Kong refused, with the object it came from (when its tags name one). */
export interface EntityRejection {
  /** e.g. `route default.web.example.com.80` */
  entity: string;
  object?: ObjectRef;
  messages: string[];
}

/** Pure: `flattened_errors` entries as rejections. */
export function rejectionsFromFlattened(errors: readonly FlattenedEntityError[]): EntityRejection[] {
  return errors.map((e) => {
    const rejection: EntityRejection = {
      entity: `${e.entity_type} ${e.entity_name ?? e.entity_id ?? '(unnamed)'}`,
      messages: e.errors.map((err) => (err.field ? `${err.field}: ${err.message}` : err.message)),
    };
    const object = objectRefFromTags(e.entity_tags ?? []);
    if (object !== undefined) rejection.object = object;
    return rejection;
  });
}

/** Pure: rejections grouped per object as translation failures (reason KongRejected). */
export function failuresFromRejections(rejections: readonly EntityRejection[]): TranslationFailure[] {
  const byObject = new Map<string, TranslationFailure>();
  for (const r of rejections) {
    if (r.object === undefined) continue;
    const key = objectKey(r.object);
    const text = `Kong rejected ${r.entity}: ${r.messages.join('; ')}`;
    const existing = byObject.get(key);
    if (existing) existing.message = `${existing.message}; ${text}`;
    else byObject.set(key, { object: r.object, reason: 'KongRejected', message: text });
  }
  return [...byObject.values()];
}

/** One line naming the first rejected entity and how many more there were. */
export function rejectionSummary(rejections: readonly EntityRejection[]): string {
  const first = rejections[0];
  const more = rejections.length > 1 ? ` (and ${rejections.length - 1} more)` : '';
  return first ? `Kong rejected ${first.entity}: ${first.messages.join('; ')}${more}` : 'Kong rejected the configuration';
}

export type ApplyAttempt<T> =
  | { ok: true; value: T }
  | { ok: false; rejections: EntityRejection[]; error: string };

export interface ExclusionOutcome<T> {
  ok: boolean;
  value?: T;
  /** The last translation tried (the applied one when ok). */
  result: TranslateResult;
  exclude: Set<string>;
  /** Objects left out because Kong rejected them. */
  rejected: TranslationFailure[];
  error?: string;
}

export interface ExclusionRounds<T> {
  translate(exclude: ReadonlySet<string>): TranslateResult;
  apply(result: TranslateResult, exclude: ReadonlySet<string>): Promise<ApplyAttempt<T>>;
  /** Exclusions already known for this input (a remembered rejection). */
  initial?: { exclude: ReadonlySet<string>; rejected: readonly TranslationFailure[] };
  maxRounds: number;
}

/**
 * Applies the translation; when Kong rejects entities whose tags name objects,
 * leaves those objects out (the translator drops what depends on them),
 * re-translates and applies again. Gives up when a rejection names no new
 * object or after `maxRounds` attempts.
 */
export async function applyWithExclusions<T>(rounds: ExclusionRounds<T>): Promise<ExclusionOutcome<T>> {
  const exclude = new Set(rounds.initial?.exclude ?? []);
  const rejected = [...(rounds.initial?.rejected ?? [])];
  for (let round = 1; ; round += 1) {
    const result = rounds.translate(exclude);
    const attempt = await rounds.apply(result, exclude);
    if (attempt.ok) return { ok: true, value: attempt.value, result, exclude, rejected };
    const fresh = failuresFromRejections(attempt.rejections).filter((f) => !exclude.has(objectKey(f.object)));
    if (fresh.length === 0 || round >= rounds.maxRounds) {
      return { ok: false, result, exclude, rejected: [...rejected, ...fresh], error: attempt.error };
    }
    for (const failure of fresh) exclude.add(objectKey(failure.object));
    rejected.push(...fresh);
  }
}
