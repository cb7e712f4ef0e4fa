// KongConsumers → Kong consumers with their credentials and plugins. A
// consumer is served whole or not at all: without one of its credentials an
// ACL deny list could stop matching it, and without one of its plugins its
// limits would be lifted. Conflicts (a username, custom_id or credential key
// used twice) go to the oldest consumer, then by namespace/name.
import type { KongConsumerEntity, KongPluginEntity } from './entities.ts';
import type { PluginFailure, PluginFailureReason, PluginObjectRef } from './failures.ts';
import { describeRef, refOf } from './failures.ts';
import type { Credential } from './credentials.ts';
import { credentialFromSecret, groupCredentials } from './credentials.ts';
import { kongConsumerId } from './ids.ts';
import { pluginEntity, resolveReferrer } from './attach.ts';
import type { ResolveContext } from './attach.ts';
import type { KongConsumerResource } from './resources.ts';
import { PLUGINS_ANNOTATION } from './resources.ts';
import { tagsOf } from './tags.ts';

export interface ConsumerTranslation {
  consumers: KongConsumerEntity[];
  /** Plugins the consumers' `konghq.com/plugins` ask for, attached to them. */
  plugins: KongPluginEntity[];
  failures: PluginFailure[];
}

interface Candidate {
  ref: PluginObjectRef;
  entity: KongConsumerEntity;
  credentials: Credential[];
  plugins: KongPluginEntity[];
}

type Built = { ok: true; candidate: Candidate } | { ok: false; failures: PluginFailure[] };

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v !== '';

function creationTime(c: KongConsumerResource): number {
  const raw: unknown = c.metadata?.creationTimestamp;
  const time = raw === undefined || raw === null ? Number.NaN : new Date(raw as string | Date).getTime();
  return Number.isNaN(time) ? Number.POSITIVE_INFINITY : time;
}

function byAge(a: KongConsumerResource, b: KongConsumerResource): number {
  const [ta, tb] = [creationTime(a), creationTime(b)];
  if (ta !== tb) return ta < tb ? -1 : 1;
  const [ka, kb] = [`${a.metadata?.namespace ?? ''}/${a.metadata?.name ?? ''}`, `${b.metadata?.namespace ?? ''}/${b.metadata?.name ?? ''}`];
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function consumerEntity(resource: KongConsumerResource, ref: PluginObjectRef): KongConsumerEntity {
  const entity: KongConsumerEntity = {
    id: kongConsumerId({ ...(nonEmpty(resource.username) ? { username: resource.username } : {}), ...(nonEmpty(resource.custom_id) ? { custom_id: resource.custom_id } : {}) }),
    tags: [...tagsOf(ref), ...(resource.spec?.tags ?? [])],
    keyauth_credentials: [], basicauth_credentials: [], hmacauth_credentials: [], jwt_secrets: [], acls: [],
  };
  if (nonEmpty(resource.username)) entity.username = resource.username;
  if (nonEmpty(resource.custom_id)) entity.custom_id = resource.custom_id;
  return entity;
}

function duplicateAclGroup(credentials: readonly Credential[]): string | undefined {
  const seen = new Map<string, string>();
  for (const c of credentials.filter((x) => x.table === 'acls')) {
    const group = String(c.body.group);
    const other = seen.get(group);
    if (other !== undefined) return `credentials: Secrets ${other} and ${c.secretName} are both ACL group '${group}'`;
    seen.set(group, c.secretName);
  }
  return undefined;
}

function buildCandidate(resource: KongConsumerResource, ctx: ResolveContext): Built {
  const { sources } = ctx;
  const ref = refOf('KongConsumer', resource.metadata);
  const fail = (reason: PluginFailureReason, message: string): PluginFailure => ({ object: ref, reason, message: `${describeRef(ref)}: ${message}` });
  if (!nonEmpty(resource.username) && !nonEmpty(resource.custom_id)) return { ok: false, failures: [fail('InvalidConsumer', 'set username or custom_id')] };
  const lists: [string, unknown][] = [['credentials', resource.credentials], ['consumerGroups', resource.consumerGroups], ['spec.tags', resource.spec?.tags]];
  const notList = lists.find(([, v]) => v !== undefined && !(Array.isArray(v) && v.every((x) => typeof x === 'string')));
  if (notList) return { ok: false, failures: [fail('InvalidConsumer', `${notList[0]}: expected a list of strings`)] };
  if ((resource.consumerGroups ?? []).length > 0) {
    return { ok: false, failures: [fail('InvalidConsumer', 'consumerGroups are a Kong Enterprise feature meshdoor does not support yet; remove them')] };
  }
  const entity = consumerEntity(resource, ref);
  const namespace = ref.namespace ?? '';
  const credentials: Credential[] = [];
  const failures: PluginFailure[] = [];
  for (const name of [...new Set(resource.credentials ?? [])]) {
    const result = credentialFromSecret(sources.secret(namespace, name), { namespace, name }, entity.id);
    if (result.ok) credentials.push(result.credential);
    else failures.push(fail(result.reason, result.message));
  }
  const aclProblem = duplicateAclGroup(credentials);
  if (aclProblem !== undefined) failures.push(fail('InvalidCredential', aclProblem));
  const at = { consumerId: entity.id };
  const plugins = resolveReferrer(resource.metadata?.annotations?.[PLUGINS_ANNOTATION], at, { ...ctx, referrer: ref });
  // The plugin objects at fault are reported too, after the consumer's own failures.
  if (!plugins.ok) failures.push(...plugins.failures, ...plugins.objectFailures);
  if (failures.length > 0 || !plugins.ok) return { ok: false, failures };
  return { ok: true, candidate: { ref, entity, credentials, plugins: plugins.plugins.map((p) => pluginEntity(p, at)) } };
}

/** Keys Kong keeps unique across consumers, each with the consumer holding it. */
class UniqueKeys {
  readonly #owners = new Map<string, PluginObjectRef>();

  /** The first conflict of a candidate with earlier ones, as a message; undefined when none. */
  conflict(c: Candidate): string | undefined {
    for (const [key, what] of this.#keys(c)) {
      const owner = this.#owners.get(key);
      if (owner) return `${what} is already used by ${describeRef(owner)}, which is older (or first by namespace/name)`;
    }
    return undefined;
  }

  claim(c: Candidate): void {
    for (const [key] of this.#keys(c)) this.#owners.set(key, c.ref);
  }

  *#keys(c: Candidate): Generator<[string, string]> {
    if (c.entity.username !== undefined) yield [`username\n${c.entity.username}`, `username '${c.entity.username}'`];
    if (c.entity.custom_id !== undefined) yield [`custom_id\n${c.entity.custom_id}`, `custom_id '${c.entity.custom_id}'`];
    for (const cred of c.credentials) {
      if (cred.uniqueValue !== undefined) yield [`${cred.table}\n${cred.uniqueValue}`, `the ${cred.table} credential of Secret ${cred.secretName}`];
    }
  }
}

export function translateConsumers(consumers: readonly KongConsumerResource[], ctx: ResolveContext): ConsumerTranslation {
  const out: ConsumerTranslation = { consumers: [], plugins: [], failures: [] };
  const unique = new UniqueKeys();
  for (const resource of [...consumers].sort(byAge)) {
    const built = buildCandidate(resource, ctx);
    if (!built.ok) { out.failures.push(...built.failures); continue; }
    const c = built.candidate;
    const conflict = unique.conflict(c);
    if (conflict !== undefined) {
      out.failures.push({ object: c.ref, reason: 'ConsumerConflict', message: `${describeRef(c.ref)}: ${conflict}` });
      continue;
    }
    unique.claim(c);
    out.consumers.push({ ...c.entity, ...groupCredentials(c.credentials) });
    out.plugins.push(...c.plugins);
  }
  out.consumers.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return out;
}
