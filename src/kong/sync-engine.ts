// The engine the controller and CLI use: learns each gateway's mode from
// `GET /` (or takes a forced mode) and hands DB-less gateways to the DB-less
// engine (all in parallel) and DB-mode gateways to the DB-mode engine (one
// writer at a time). A failing gateway never holds the others back.
import type { KongAdminClient } from './admin-client.ts';
import type { ClientDefaults } from './client-pool.ts';
import { KongClientPool } from './client-pool.ts';
import { DbModeSyncEngine, type PluginConfigCompleter } from './dbmode-engine.ts';
import { DblessSyncEngine } from './dbless-engine.ts';
import { detectKongGateway } from './gateway-info.ts';
import type { RejectionMemory } from './rejection-memory.ts';
import type { KongGatewayInfo } from './gateway-info.ts';
import { GatewayBackoff, finalReport, memoizedTranslate } from './sync-shared.ts';
import type { GatewaySyncResult } from './sync-shared.ts';
import type { KongLogger, KongSyncObserver } from './sync-observer.ts';
import { silentLogger } from './sync-observer.ts';
import type { GatewayTarget, KongMode, KongSyncEngine, SyncReport, SyncRequest } from './sync-types.ts';
import type { TranslateResult } from '../model/index.ts';

export interface KongSyncEngineOptions {
  /** TLS, token, timeouts, retries and concurrency for every Admin API client. */
  client?: ClientDefaults;
  /** `auto` (default) reads `GET /`; a forced mode skips that request. */
  mode?: 'auto' | KongMode;
  logger?: KongLogger;
  observer?: KongSyncObserver;
  warnBodyBytes?: number;
  cacheSize?: number;
  maxRounds?: number;
  random?: () => number;
  /** DB mode: plugin configs as Kong stores them, when the gateway's plugin schema is known (see DbModeEngineOptions). */
  completePluginConfig?: PluginConfigCompleter;
}

type Translate = (exclude: ReadonlySet<string>) => TranslateResult;

export class AutoSyncEngine implements KongSyncEngine {
  readonly #pool: KongClientPool;
  readonly #dbless: DblessSyncEngine;
  readonly #db: DbModeSyncEngine;
  readonly #mode: 'auto' | KongMode;
  readonly #logger: KongLogger;
  readonly #info = new Map<string, KongGatewayInfo>();
  /** Mode last seen per gateway, kept after a failure for reporting. */
  readonly #lastMode = new Map<string, KongMode>();
  readonly #backoff: GatewayBackoff;
  /** What DB-less gateways rejected, per entity content (kept in the MeshDoor status by the controller). */
  readonly rejections: RejectionMemory;

  constructor(options: KongSyncEngineOptions = {}) {
    this.#logger = options.logger ?? silentLogger;
    this.#pool = new KongClientPool({ logger: this.#logger, ...(options.observer ? { observer: options.observer } : {}), ...options.client });
    const clientFor = (target: GatewayTarget) => this.#pool.get(target);
    const shared = { clientFor, logger: this.#logger, ...pick(options) };
    this.#dbless = new DblessSyncEngine({ ...shared, ...(options.warnBodyBytes ? { warnBodyBytes: options.warnBodyBytes } : {}) });
    this.rejections = this.#dbless.rejections;
    this.#db = new DbModeSyncEngine({
      ...shared, ...(options.cacheSize ? { cacheSize: options.cacheSize } : {}),
      ...(options.completePluginConfig ? { completePluginConfig: options.completePluginConfig } : {}),
    });
    this.#mode = options.mode ?? 'auto';
    this.#backoff = new GatewayBackoff(options.random);
  }

  async sync(request: SyncRequest): Promise<SyncReport> {
    this.#forgetGone(request.gateways);
    this.rejections.beginSync();
    const translate = memoizedTranslate(request);
    const detected = await Promise.all(request.gateways.map((target) => this.#detect(target)));
    const dbless = detected.filter((d) => d.info?.mode === 'dbless');
    const db = detected.filter((d) => d.info?.mode === 'db');
    const [dblessResults, dbResults] = await Promise.all([
      Promise.all(dbless.map((d) => this.#dbless.syncGateway(d.target, translate, d.info?.version))),
      this.#syncInTurn(db.map((d) => d.target), translate),
    ]);
    const undetected = detected.filter((d) => d.info === undefined)
      .map((d) => unreachable({ target: d.target, mode: this.#lastMode.get(d.target.url) }, d.error, translate));
    const byUrl = new Map([...dblessResults, ...dbResults, ...undetected].map((r) => [r.outcome.url, r]));
    const results = request.gateways.flatMap((t) => byUrl.get(t.url) ?? []);
    for (const r of results) this.#annotate(r);
    return finalReport(results, translate, this.#backoff);
  }

  /** The facts read from a gateway's `GET /` (after a sync that reached it). */
  gatewayInfo(url: string): KongGatewayInfo | undefined {
    return this.#info.get(url);
  }

  /** Reads a gateway's facts (mode, version) again on the next sync: it restarted, perhaps as another Kong version. */
  forgetGateway(url: string): void {
    this.#info.delete(url);
  }

  /** The one Admin API client of a gateway: syncs, mode detection and probes share its connections. */
  clientFor(target: GatewayTarget): KongAdminClient {
    return this.#pool.get(target);
  }

  /** Gateways no longer listed (deleted pods) drop their client and cached facts. */
  retain(gateways: readonly GatewayTarget[]): void {
    this.#forgetGone(gateways);
  }

  /** Reads (and caches) a gateway's mode and router flavor; throws when it cannot be reached. */
  async detect(target: GatewayTarget): Promise<KongGatewayInfo> {
    const detected = await this.#detect(target);
    if (detected.info === undefined) throw new Error(detected.error ?? 'gateway not reachable');
    return detected.info;
  }

  close(): void {
    this.#pool.close();
  }

  /** Gateways no longer listed (deleted pods) drop their client and cached facts. */
  #forgetGone(gateways: readonly GatewayTarget[]): void {
    this.#pool.retain(gateways);
    const live = new Set(gateways.map((g) => g.url));
    for (const map of [this.#info, this.#lastMode]) for (const url of [...map.keys()]) if (!live.has(url)) map.delete(url);
  }

  async #syncInTurn(targets: readonly GatewayTarget[], translate: Translate): Promise<GatewaySyncResult[]> {
    const results: GatewaySyncResult[] = [];
    for (const target of targets) results.push(await this.#db.syncGateway(target, translate));
    return results;
  }

  async #detect(target: GatewayTarget): Promise<{ target: GatewayTarget; info?: KongGatewayInfo; error?: string }> {
    if (this.#mode !== 'auto') return { target, info: { version: 'unknown', database: this.#mode === 'db' ? 'unknown' : 'off', mode: this.#mode, routerFlavor: 'traditional_compatible' } };
    const known = this.#info.get(target.url);
    if (known !== undefined) return { target, info: known };
    try {
      const info = await detectKongGateway(this.#pool.get(target));
      this.#info.set(target.url, info);
      this.#lastMode.set(target.url, info.mode);
      this.#logger.info('kong gateway detected', { gateway: this.#pool.get(target).gateway, ...info });
      return { target, info };
    } catch (error) {
      return { target, error: error instanceof Error ? error.message : String(error) };
    }
  }

  #annotate(result: GatewaySyncResult): void {
    const info = this.#info.get(result.outcome.url);
    if (info !== undefined) {
      result.outcome.version = info.version;
      result.outcome.routerFlavor = info.routerFlavor;
    }
    // A gateway that failed may have been replaced: read its mode again next time.
    if (result.outcome.status === 'failed') this.#info.delete(result.outcome.url);
  }
}

function pick(options: KongSyncEngineOptions): { observer?: KongSyncObserver; maxRounds?: number; random?: () => number } {
  const out: { observer?: KongSyncObserver; maxRounds?: number; random?: () => number } = {};
  if (options.observer) out.observer = options.observer;
  if (options.maxRounds) out.maxRounds = options.maxRounds;
  if (options.random) out.random = options.random;
  return out;
}

function unreachable(gateway: { target: GatewayTarget; mode: KongMode | undefined }, error: string | undefined, translate: Translate): GatewaySyncResult {
  return {
    // Not known is said so: a guess would show a DB-mode gateway as DB-less.
    outcome: { url: gateway.target.url, mode: gateway.mode ?? 'unknown', status: 'failed', created: 0, updated: 0, deleted: 0, writes: 0, error: `could not read the gateway's mode: ${error ?? 'unknown error'}` },
    result: translate(new Set()),
    exclude: new Set(),
    rejected: [],
  };
}

export function createKongSyncEngine(options: KongSyncEngineOptions = {}): AutoSyncEngine {
  return new AutoSyncEngine(options);
}
