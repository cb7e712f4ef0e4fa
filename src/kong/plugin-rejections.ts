// Kong's rejections of plugin, consumer and credential entities, made to name
// the objects the controller can leave out: a credential is tagged with its
// Secret, but it is the KongConsumer that is served whole or not at all, so a
// refused credential is the consumer's failure (naming the Secret, never its
// data). And a plugin whose route, service or consumer is not in the
// configuration is found before the push: Kong 3.9 does not report it, it
// fails the whole POST /config with a 500.
import { entityKind, type KongConfig, type KongEntityType } from '../model/index.ts';
import { KongAdminError } from './admin-errors.ts';
import { foreignId } from './entities.ts';
import type { EntityRejection } from './rejections.ts';
import { objectRefFromTags } from './rejections.ts';

const CREDENTIAL_TABLES: readonly KongEntityType[] = entityKind('consumers').nested;

const CREDENTIAL_SINGULARS: ReadonlySet<string> = new Set(CREDENTIAL_TABLES.map((table) => entityKind(table).singular));

type Credential = Record<string, unknown> & { id: string; tags: string[] };

/** Every credential of the config's consumers, with its table and consumer. */
function* credentialsOf(config: KongConfig): Generator<{ table: KongEntityType; credential: Credential; consumerTags: string[] }> {
  for (const consumer of config.consumers ?? []) {
    for (const table of CREDENTIAL_TABLES) {
      const list = (consumer as unknown as Record<string, Credential[] | undefined>)[table] ?? [];
      for (const credential of list) yield { table, credential, consumerTags: consumer.tags };
    }
  }
}

/** The consumer holding each credential, by credential id, with the credential's tags. */
function credentialOwners(config: KongConfig): Map<string, { consumerTags: string[]; credentialTags: string[] }> {
  const owners = new Map<string, { consumerTags: string[]; credentialTags: string[] }>();
  for (const { credential, consumerTags } of credentialsOf(config)) owners.set(credential.id, { consumerTags, credentialTags: credential.tags });
  return owners;
}

/** Without an id (Kong names none): the one credential made from the Secret the tags name, if only one is. */
function onlyOwnerOf(rejection: EntityRejection, owners: ReadonlyMap<string, { consumerTags: string[]; credentialTags: string[] }>): { consumerTags: string[]; credentialTags: string[] } | undefined {
  const secret = rejection.object;
  if (secret?.kind !== 'Secret') return undefined;
  const matching = [...owners.values()].filter((o) => {
    const ref = objectRefFromTags(o.credentialTags);
    return ref?.name === secret.name && ref.namespace === secret.namespace;
  });
  return matching.length === 1 ? matching[0] : undefined;
}

function secretName(tags: readonly string[]): string {
  const ref = objectRefFromTags(tags);
  return ref === undefined ? 'a Secret' : `Secret ${ref.namespace === undefined ? '' : `${ref.namespace}/`}${ref.name}`;
}

/** The values of the credentials' secret fields (keys, passwords, secrets), longest first. */
function secretValues(config: KongConfig): string[] {
  const values = new Set<string>();
  for (const { table, credential } of credentialsOf(config)) {
    for (const value of (entityKind(table).secret ?? []).map((field) => credential[field])) {
      if (typeof value === 'string' && value !== '') values.add(value);
    }
  }
  return [...values].sort((a, b) => b.length - a.length);
}

/**
 * Pure: `text` with every credential secret of `config` replaced. Kong's
 * messages may quote a value (`UNIQUE violation detected on '{key="…"}'`),
 * and messages end up in logs, Events and the MeshDoor status.
 */
export function withoutSecrets(text: string, config: KongConfig): string {
  return scrubbed(text, secretValues(config));
}

function scrubbed(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => out.replaceAll(secret, '(secret)'), text);
}

/**
 * Pure: rejections of credentials attributed to the KongConsumer holding them
 * (found in the config that was sent), their messages naming the Secret; no
 * message of any rejection quotes a credential secret.
 */
export function attributeCredentialRejections(rejections: readonly EntityRejection[], config: KongConfig): EntityRejection[] {
  if ((config.consumers ?? []).length === 0) return [...rejections];
  const owners = credentialOwners(config);
  const secrets = secretValues(config);
  return rejections.map((r) => ({ ...r, messages: r.messages.map((m) => scrubbed(m, secrets)) })).map((rejection) => {
    const type = rejection.detail?.type;
    if (type === undefined || !CREDENTIAL_SINGULARS.has(type)) return rejection;
    const owner = rejection.entityId !== undefined ? owners.get(rejection.entityId) : onlyOwnerOf(rejection, owners);
    const consumer = owner === undefined ? undefined : objectRefFromTags(owner.consumerTags);
    if (owner === undefined || consumer === undefined) return rejection;
    const from = secretName(owner.credentialTags);
    return { ...rejection, object: consumer, messages: rejection.messages.map((m) => `credential from ${from}: ${m}`) };
  });
}

/** The ids of the entities of `config` another may refer to, by table. */
function idsByTable(config: KongConfig): Map<KongEntityType, Set<string>> {
  const routes = config.services.flatMap((s) => s.routes.map((r) => r.id));
  return new Map<KongEntityType, Set<string>>([
    ['services', new Set(config.services.map((s) => s.id))],
    ['routes', new Set(routes)],
    ['consumers', new Set((config.consumers ?? []).map((c) => c.id))],
  ]);
}

/**
 * Pure: plugins whose route, service or consumer is not in the config, as
 * rejections of the plugin (its object from its tags). Kong 3.9 answers such
 * a config with a bare 500 and no hint; found here, the plugin's object is
 * left out like any other refused entity, and its referrers with it.
 */
export function danglingPluginReferences(config: KongConfig): EntityRejection[] {
  const plugins = config.plugins ?? [];
  if (plugins.length === 0) return [];
  const present = idsByTable(config);
  const references = Object.entries(entityKind('plugins').references ?? {});
  return plugins.flatMap((plugin) => {
    const fields = plugin as unknown as Record<string, unknown>;
    const missing = references.flatMap(([field, table]) => {
      const id = foreignId(fields[field]);
      return id === undefined || present.get(table)?.has(id) === true ? [] : [`${field}: ${entityKind(table).singular} ${id} is not in the configuration`];
    });
    if (missing.length === 0) return [];
    const rejection: EntityRejection = {
      entity: `plugin ${plugin.id}`, entityId: plugin.id, messages: missing,
      detail: { type: 'plugin', name: plugin.name, fields: missing.map((m) => m.split(':')[0] ?? '') },
    };
    const object = objectRefFromTags(plugin.tags);
    if (object !== undefined) rejection.object = object;
    return [rejection];
  });
}

const UNEXPECTED = 'An unexpected error occurred';

/** Kong's own 500 (its Lua code failed), not a proxy's or a load balancer's. */
export function isUnexpectedError(error: unknown): error is KongAdminError {
  return error instanceof KongAdminError && error.status === 500 && error.message.includes(`500 ${UNEXPECTED}`);
}

/** The failure for a POST /config Kong answered with its 500, naming what Kong 3.9 does that for. */
export function unexpectedConfigError(error: KongAdminError): string {
  return `${error.message}: Kong 3.9 answers so when a plugin's route, service or consumer is not in the configuration; `
    + 'this configuration is not sent again for 10 minutes unless it changes';
}
