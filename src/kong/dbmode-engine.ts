// DB-mode sync: read the owned entities, diff them against the desired config
// and apply exactly the difference. Gateways are synced one after another
// (they usually share one database: the later ones then find nothing to do).
import { LRUCache } from 'lru-cache';
import type { KongAdminClient } from './admin-client.ts';
import { configHash } from './config-hash.ts';
import { OWNERSHIP_TAG, type KongConfig, type TranslateResult } from '../model/index.ts';
import { applyChanges } from './dbmode-apply.ts';
import type { ApplyResult } from './dbmode-apply.ts';
import { diffEntities } from './dbmode-diff.ts';
import type { EntityChange, KnownEntityHashes } from './dbmode-diff.ts';
import { readOwnedEntities } from './dbmode-read.ts';
import { entityContentHash } from './entity-compare.ts';
import type { FlatEntity } from './entities.ts';
import { entityKey, entityLabel, flattenKongConfig } from './entities.ts';
import { applyWithExclusions, rejectionSummary } from './rejections.ts';
import { attributeCredentialRejections } from './plugin-rejections.ts';
import type { ApplyAttempt, EntityRejection } from './rejections.ts';
import { GatewayBackoff, finalReport, memoizedTranslate } from './sync-shared.ts';
import type { GatewaySyncResult } from './sync-shared.ts';
import type { KongLogger, KongSyncObserver } from './sync-observer.ts';
import { silentLogger } from './sync-observer.ts';
import type { GatewayOutcome, GatewayTarget, KongSyncEngine, SyncReport, SyncRequest } from './sync-types.ts';

/**
 * A plugin's config as the gateway at `gatewayUrl` stores it: its schema's
 * defaults filled in, unset fields null (src/plugins completePluginConfig with
 * the gateway's schema); undefined when the schema is not known. With it an
 * unchanged plugin compares equal and a field changed on Kong behind meshdoor's
 * back is put back; without it only the fields meshdoor sets are compared.
 */
export type PluginConfigCompleter = (gatewayUrl: string, plugin: { name: string; config: Record<string, unknown> }) => Record<string, unknown> | undefined;

export interface DbModeEngineOptions {
  clientFor(target: GatewayTarget): KongAdminClient;
  logger?: KongLogger;
  observer?: KongSyncObserver;
  maxRounds?: number;
  /** Bound of the per-entity hash cache (entries over all gateways). */
  cacheSize?: number;
  random?: () => number;
  completePluginConfig?: PluginConfigCompleter;
}

interface Counts { created: number; updated: number; deleted: number; writes: number }

type ConfigOf = (plugin: { name: string; config: Record<string, unknown> }) => Record<string, unknown> | undefined;

function withCompletedConfig(entity: FlatEntity, complete: ConfigOf | undefined): FlatEntity {
  if (entity.type !== 'plugins' || complete === undefined) return entity;
  const { name, config } = entity.body;
  const completed = typeof name === 'string' && config !== null && typeof config === 'object'
    ? complete({ name, config: config as Record<string, unknown> })
    : undefined;
  return completed === undefined ? entity : { ...entity, body: { ...entity.body, config: completed } };
}

/** Pure: the desired entities, each carrying the ownership tag; plugin configs completed when `complete` knows the schema. */
export function desiredOwnedEntities(config: KongConfig, complete?: ConfigOf): FlatEntity[] {
  return flattenKongConfig(config).map((flat) => {
    const entity = withCompletedConfig(flat, complete);
    const tags = Array.isArray(entity.body.tags) ? (entity.body.tags as string[]) : [];
    return tags.includes(OWNERSHIP_TAG) ? entity : { ...entity, body: { ...entity.body, tags: [...tags, OWNERSHIP_TAG] } };
  });
}

export class DbModeSyncEngine implements KongSyncEngine {
  readonly #options: DbModeEngineOptions;
  readonly #logger: KongLogger;
  readonly #backoff: GatewayBackoff;
  /** Per gateway and entity: hashes of the desired entity and of Kong's copy when they last agreed. */
  readonly #known: LRUCache<string, KnownEntityHashes>;
  /** Entity contents Kong refused with a schema violation: not sent again. */
  readonly #refused = new LRUCache<string, EntityRejection>({ max: 1000 });

  constructor(options: DbModeEngineOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#backoff = new GatewayBackoff(options.random);
    this.#known = new LRUCache({ max: options.cacheSize ?? 50_000 });
  }

  async sync(request: SyncRequest): Promise<SyncReport> {
    const translate = memoizedTranslate(request);
    const results: GatewaySyncResult[] = [];
    for (const target of request.gateways) results.push(await this.syncGateway(target, translate));
    return finalReport(results, translate, this.#backoff);
  }

  /** Converges one gateway; never throws (a failure is an outcome). */
  async syncGateway(target: GatewayTarget, translate: (exclude: ReadonlySet<string>) => TranslateResult): Promise<GatewaySyncResult> {
    const client = this.#options.clientFor(target);
    const counts: Counts = { created: 0, updated: 0, deleted: 0, writes: 0 };
    let outcome: GatewayOutcome;
    let result: GatewaySyncResult | undefined;
    try {
      const converged = await applyWithExclusions<undefined>({
        translate,
        maxRounds: this.#options.maxRounds ?? 5,
        apply: (translated) => this.#applyRound(client, target.url, translated, counts),
      });
      const status = converged.ok ? (counts.writes > 0 ? 'pushed' : 'skipped') : 'failed';
      outcome = { url: target.url, mode: 'db', status, ...counts, configHash: configHash(converged.result.config) };
      if (converged.error !== undefined) outcome.error = converged.error;
      result = { outcome, result: converged.result, exclude: converged.exclude, rejected: converged.rejected };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#logger.warn('kong gateway sync failed', { gateway: client.gateway, error: message });
      outcome = { url: target.url, mode: 'db', status: 'failed', ...counts, error: message };
      result = { outcome, result: translate(new Set()), exclude: new Set(), rejected: [] };
    }
    this.#options.observer?.entityWrites?.(client.gateway, counts);
    this.#options.observer?.gatewaySynced?.(client.gateway, outcome.status);
    return result;
  }

  async #applyRound(client: KongAdminClient, url: string, translated: TranslateResult, counts: Counts): Promise<ApplyAttempt<undefined>> {
    const completer = this.#options.completePluginConfig;
    const desired = desiredOwnedEntities(translated.config, completer === undefined ? undefined : (plugin) => completer(url, plugin));
    const known = attributeCredentialRejections(desired.flatMap((e) => this.#refused.get(refusedKey(url, e)) ?? []), translated.config);
    if (known.length > 0) return { ok: false, rejections: known, error: rejectionSummary(known) };
    const owned = await readOwnedEntities(client);
    const diff = diffEntities(desired, owned.entities, (key) => this.#known.get(`${url}|${key}`));
    for (const { desired: want, current: have } of diff.unchanged) this.#remember(url, want, have.body);
    const applied = await applyChanges(client, this.#withoutCascades(client, diff.changes, owned.parentsWithForeignChildren));
    this.#record(url, applied, counts);
    for (const { rejection } of applied.leftovers) {
      this.#logger.warn('kong refused to delete a stale owned entity; leaving it', { gateway: client.gateway, entity: rejection.entity, error: rejection.messages.join('; ') });
    }
    if (applied.failed.length === 0) return { ok: true, value: undefined };
    const rejections = attributeCredentialRejections(applied.failed.map((f) => f.rejection), translated.config);
    this.#logger.warn('kong rejected entities', { gateway: client.gateway, entities: rejections.map((r) => r.entity) });
    return { ok: false, rejections, error: rejectionSummary(rejections) };
  }

  /** Deleting these parents would cascade to children meshdoor does not own: keep them. */
  #withoutCascades(client: KongAdminClient, changes: EntityChange[], protectedParents: ReadonlySet<string>): EntityChange[] {
    return changes.filter((change) => {
      const keep = change.action !== 'delete' || !protectedParents.has(entityKey(change.entity));
      if (!keep) {
        this.#logger.warn('not deleting an owned entity that entities meshdoor does not own depend on', {
          gateway: client.gateway, entity: entityLabel(change.entity),
        });
      }
      return keep;
    });
  }

  #remember(url: string, desired: FlatEntity, observed: Record<string, unknown>): void {
    this.#known.set(`${url}|${entityKey(desired)}`, { desired: entityContentHash(desired.body), observed: entityContentHash(observed) });
  }

  #record(url: string, applied: ApplyResult, counts: Counts): void {
    counts.writes += applied.writes;
    for (const { change, written } of applied.applied) {
      if (change.action === 'delete') {
        counts.deleted += 1;
        this.#known.delete(`${url}|${entityKey(change.entity)}`);
      } else {
        counts[change.action === 'create' ? 'created' : 'updated'] += 1;
        if (written !== undefined) this.#remember(url, change.entity, written);
      }
    }
    for (const failed of applied.failed) {
      // Schema violations depend only on the content: never send that content again.
      if (failed.code === 2 && failed.change.action !== 'delete') {
        this.#refused.set(refusedKey(url, failed.change.entity), failed.rejection);
      }
    }
  }
}

function refusedKey(url: string, entity: FlatEntity): string {
  return `${url}|${entityKey(entity)}|${entityContentHash(entity.body)}`;
}
