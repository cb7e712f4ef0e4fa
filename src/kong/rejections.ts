// Kong's per-entity rejections mapped back to Kubernetes objects through the
// k8s-* tags, and the loop that leaves rejected objects out and tries again,
// so one broken object never blocks the rest of the configuration.
import type { FlattenedEntityError } from './admin-errors.ts';
import { KONG_ENTITY_KINDS, OBJECT_KINDS, objectKey, parsePartExclusionKey, partExclusionKey, type ObjectRef, type TranslateResult, type TranslationFailure } from '../model/index.ts';

/** Pure: the object named by an entity's `k8s-kind:`/`k8s-namespace:`/`k8s-name:` tags (a kind the model knows). */
export function objectRefFromTags(tags: readonly string[]): ObjectRef | undefined {
  const value = (prefix: string): string | undefined => tags.find((t) => t.startsWith(prefix))?.slice(prefix.length);
  const kind = OBJECT_KINDS.find((k) => k === value('k8s-kind:'));
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
  /** The entity's id, when Kong's answer or the request shows it. */
  entityId?: string;
  object?: ObjectRef;
  messages: string[];
  /** From POST /config's flattened errors: what is needed to leave out only the part at fault. */
  detail?: RejectionDetail;
}

export interface RejectionDetail {
  type: string;
  name?: string;
  /** The entity's Kong paths as sent (routes of the traditional flavors). */
  paths?: string[];
  /** The fields Kong named (`paths.2`, `hosts.1`); `''` for an error on the whole entity. */
  fields: string[];
}

/** Entity types whose name is not unique (a plugin's is its plugin name): they are named by id. */
const NAMED_BY_ID: ReadonlySet<string> = new Set(KONG_ENTITY_KINDS.filter((kind) => kind.endpointKey === undefined).map((kind) => kind.singular));

function flattenedLabel(e: FlattenedEntityError): string {
  const name = NAMED_BY_ID.has(e.entity_type) ? e.entity_id ?? e.entity_name : e.entity_name ?? e.entity_id;
  return `${e.entity_type} ${name ?? '(unnamed)'}`;
}

/** Pure: `flattened_errors` entries as rejections. */
export function rejectionsFromFlattened(errors: readonly FlattenedEntityError[]): EntityRejection[] {
  return errors.map((e) => {
    const rejection: EntityRejection = {
      entity: flattenedLabel(e),
      messages: e.errors.map((err) => (err.field ? `${err.field}: ${err.message}` : err.message)),
    };
    if (e.entity_id !== undefined) rejection.entityId = e.entity_id;
    const object = objectRefFromTags(e.entity_tags ?? []);
    if (object !== undefined) rejection.object = object;
    const paths = e.entity?.paths;
    rejection.detail = {
      type: e.entity_type,
      ...(e.entity_name !== undefined ? { name: e.entity_name } : {}),
      ...(Array.isArray(paths) && paths.every((p) => typeof p === 'string') ? { paths: paths } : {}),
      fields: e.errors.map((err) => err.field ?? ''),
    };
    return rejection;
  });
}

/** Whether a route of this object is to be split, or is a piece of a split route. */
function isSplit(objectRef: string, name: string, exclude: ReadonlySet<string>): boolean {
  for (const key of exclude) {
    const parsed = parsePartExclusionKey(key);
    if (parsed?.object !== objectRef || parsed.part.kind !== 'split') continue;
    if (name === parsed.part.name || name.startsWith(`${parsed.part.name}.`)) return true;
  }
  return false;
}

/**
 * Pure: what to leave out for one rejection, at the finest grain Kong's answer
 * allows. A route of an Ingress: the paths Kong named (`paths.N`); the route
 * when another field is at fault; when Kong refused the route as a whole
 * (e.g. the router could not compile one of its regexes), first the route split
 * per path, then every path of the piece still refused. Anything else: its object.
 */
export function exclusionKeys(rejection: EntityRejection, exclude: ReadonlySet<string>): string[] {
  const { object, detail } = rejection;
  if (object === undefined) return [];
  if (object.kind !== 'Ingress' || detail?.type !== 'route' || detail.name === undefined) return [objectKey(object)];
  const name = detail.name;
  const paths = detail.paths;
  const pathKeys = (list: readonly string[]): string[] => list.map((kongPath) => partExclusionKey(object, { kind: 'path', kongPath }));
  const named = detail.fields.flatMap((f) => /^paths\.(\d+)$/.exec(f)?.[1] ?? []).flatMap((n) => paths?.[Number(n) - 1] ?? []);
  const others = detail.fields.filter((f) => f !== '' && !f.startsWith('paths.'));
  const onEntity = detail.fields.some((f) => f === '');
  if (others.length > 0 || paths === undefined || paths.length === 0) return [partExclusionKey(object, { kind: 'route', name })];
  if (!onEntity) return pathKeys(named);
  if (paths.length === 1 || isSplit(objectKey(object), name, exclude)) return pathKeys(paths);
  return [...pathKeys(named), partExclusionKey(object, { kind: 'split', name })];
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

/** Pure: per rejection, the exclusion keys not tried yet and the failure to report for its object. */
export function freshExclusions(rejections: readonly EntityRejection[], exclude: ReadonlySet<string>): { rejection: EntityRejection; keys: string[] }[] {
  return rejections
    .map((rejection) => ({ rejection, keys: exclusionKeys(rejection, exclude).filter((k) => !exclude.has(k)) }))
    .filter((r) => r.keys.length > 0);
}

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
  /** Told of each rejection that led to new exclusions, with the translation Kong refused. */
  onExcluded?(rejection: EntityRejection, keys: readonly string[], refused: TranslateResult): void;
}

/**
 * Applies the translation; when Kong rejects entities whose tags name objects,
 * leaves those objects out (the translator drops what depends on them),
 * re-translates and applies again. Gives up when a rejection names no new
 * object or after `maxRounds` attempts.
 */
export async function applyWithExclusions<T>(rounds: ExclusionRounds<T>): Promise<ExclusionOutcome<T>> {
  const exclude = new Set(rounds.initial?.exclude ?? []);
  // One failure per object: a later round's message is the more precise one.
  const rejected = new Map((rounds.initial?.rejected ?? []).map((f) => [objectKey(f.object), f]));
  const list = (): TranslationFailure[] => [...rejected.values()];
  for (let round = 1; ; round += 1) {
    const result = rounds.translate(exclude);
    const attempt = await rounds.apply(result, exclude);
    if (attempt.ok) return { ok: true, value: attempt.value, result, exclude, rejected: list() };
    const fresh = freshExclusions(attempt.rejections, exclude);
    for (const f of failuresFromRejections(fresh.map((r) => r.rejection))) rejected.set(objectKey(f.object), f);
    if (fresh.length === 0 || round >= rounds.maxRounds) {
      return { ok: false, result, exclude, rejected: list(), error: attempt.error };
    }
    for (const { rejection, keys } of fresh) {
      for (const key of keys) exclude.add(key);
      rounds.onExcluded?.(rejection, keys, result);
    }
  }
}
