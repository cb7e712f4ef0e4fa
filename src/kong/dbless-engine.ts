// DB-less sync: one POST /config?flatten_errors=1 per gateway per change.
// Skipped when the gateway already runs the config it last accepted from us,
// unless its /status says it restarted empty (or someone else replaced it).
import { LRUCache } from 'lru-cache';
import { KongAdminError, configTooLargeMessage, isBodyTooLarge, parseNginxSize } from './admin-errors.ts';
import type { KongAdminClient } from './admin-client.ts';
import { DblessBodyWriter } from './dbless-body.ts';
import { RejectionMemory } from './rejection-memory.ts';
import { applyWithExclusions, failuresFromRejections, rejectionSummary, rejectionsFromFlattened } from './rejections.ts';
import { attributeCredentialRejections, danglingPluginReferences, isUnexpectedError, unexpectedConfigError, withoutSecrets } from './plugin-rejections.ts';
import type { ApplyAttempt, EntityRejection } from './rejections.ts';
import { isRetryable } from './retry.ts';
import { GatewayBackoff, finalReport, memoizedTranslate } from './sync-shared.ts';
import type { GatewaySyncResult } from './sync-shared.ts';
import type { KongLogger, KongSyncObserver } from './sync-observer.ts';
import { silentLogger } from './sync-observer.ts';
import type { GatewayOutcome, GatewayTarget, KongSyncEngine, SyncReport, SyncRequest } from './sync-types.ts';
import type { KongConfig, TranslateResult, TranslationFailure } from '../model/index.ts';

/** Kong's default `nginx_admin_client_max_body_size` (10m). */
export const KONG_ADMIN_BODY_LIMIT = 10 * 1024 * 1024;
export const EMPTY_CONFIGURATION_HASH = '00000000000000000000000000000000';
/** Nothing for Kong to load (global plugins and consumers alone are something: Kong's hash is then not all zeros). */
function isEmptyConfig({ services, upstreams, certificates, plugins = [], consumers = [] }: KongConfig): boolean {
  return services.length + upstreams.length + certificates.length + plugins.length + consumers.length === 0;
}

/** How long a body refused as too large is not sent again (unless the config changes). */
const TOO_LARGE_RETRY_MS = 10 * 60_000;

export interface DblessEngineOptions {
  clientFor(target: GatewayTarget): KongAdminClient;
  logger?: KongLogger;
  observer?: KongSyncObserver;
  /** Body size that triggers the near-limit warning (default 80% of 10 MiB). */
  warnBodyBytes?: number;
  /** Attempts with growing exclusions before giving up (default 5). */
  maxRounds?: number;
  now?: () => number;
  random?: () => number;
  /** What Kong rejected, shared with whoever keeps it across restarts (default: a private one). */
  rejections?: RejectionMemory;
}

interface GatewayMemory {
  /** Hash of the config this gateway last accepted from us. */
  acceptedHash?: string;
  /** Kong's configuration_hash right after that push. */
  statusHash?: string;
  /** Configs this gateway refused with 400: never sent again (to this Kong version). */
  refused: LRUCache<string, { rejections: EntityRejection[]; error: string }>;
  /** The Kong version the refusals came from. */
  version?: string;
}

/** `kongHash`: the configuration_hash Kong showed for it (undefined when Kong did not say). */
type PushResult = { status: 'pushed' | 'skipped'; hash: string; kongHash?: string };

interface PushInput {
  /** MD5 of the body: the configuration_hash Kong will show for it (one hash of ~10 MB, not two). */
  hash: string;
  /** No entities at all (Kong then reports an all-zero hash). */
  empty: boolean;
}

export class DblessSyncEngine implements KongSyncEngine {
  readonly #options: DblessEngineOptions;
  readonly #logger: KongLogger;
  /** Per gateway URL; bounded because gateway pods (and their URLs) come and go. */
  readonly #memory = new LRUCache<string, GatewayMemory>({ max: 256 });
  readonly #backoff: GatewayBackoff;
  readonly #rejections: RejectionMemory;
  /** This engine's bodies: what the last push wrote is reused by the next. */
  readonly #bodies = new DblessBodyWriter();

  constructor(options: DblessEngineOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#backoff = new GatewayBackoff(options.random);
    this.#rejections = options.rejections ?? new RejectionMemory();
  }

  get rejections(): RejectionMemory {
    return this.#rejections;
  }

  async sync(request: SyncRequest): Promise<SyncReport> {
    this.#rejections.beginSync();
    const translate = memoizedTranslate(request);
    const results = await Promise.all(request.gateways.map((target) => this.syncGateway(target, translate)));
    return finalReport(results, translate, this.#backoff);
  }

  /** Converges one gateway; never throws (a failure is an outcome). */
  async syncGateway(target: GatewayTarget, translate: (exclude: ReadonlySet<string>) => TranslateResult, kongVersion?: string): Promise<GatewaySyncResult> {
    const client = this.#options.clientFor(target);
    const memory = this.#memoryFor(target.url);
    if (kongVersion !== undefined && kongVersion !== memory.version) {
      // Another Kong (upgraded at the same address) judges anew.
      memory.refused.clear();
      memory.version = kongVersion;
    }
    let writes = 0;
    let pushed = false;
    try {
      const outcome = await applyWithExclusions<PushResult>({
        translate,
        maxRounds: this.#options.maxRounds ?? 5,
        initial: this.#knownExclusions(translate, kongVersion),
        onExcluded: (rejection, keys, refused) => {
          if (rejection.object === undefined) return;
          const failure = failuresFromRejections([rejection])[0];
          if (failure === undefined) return;
          this.#rejections.remember({ entity: rejection.entity, exclude: [...keys], failure, ...(kongVersion !== undefined && kongVersion !== 'unknown' ? { kongVersion } : {}) }, refused.config);
        },
        apply: async (result) => {
          const attempt = await this.#push(client, memory, result, () => { writes += 1; });
          if (attempt.ok && attempt.value.status === 'pushed') pushed = true;
          return attempt;
        },
      });
      const status = outcome.ok ? (pushed ? 'pushed' : 'skipped') : 'failed';
      const gatewayOutcome: GatewayOutcome = { url: target.url, mode: 'dbless', status, created: 0, updated: 0, deleted: 0, writes };
      // Kong's own word only: never a hash computed here for a gateway that did not show it.
      const kongHash = outcome.ok ? outcome.value?.kongHash : undefined;
      if (kongHash !== undefined) gatewayOutcome.configHash = kongHash;
      if (outcome.error !== undefined) gatewayOutcome.error = outcome.error;
      if (!outcome.ok) gatewayOutcome.retryable = false;
      this.#options.observer?.gatewaySynced?.(client.gateway, status);
      return { outcome: gatewayOutcome, result: outcome.result, exclude: outcome.exclude, rejected: outcome.rejected };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#logger.warn('kong gateway sync failed', { gateway: client.gateway, error: message });
      this.#options.observer?.gatewaySynced?.(client.gateway, 'failed');
      const outcome = { url: target.url, mode: 'dbless' as const, status: 'failed' as const, created: 0, updated: 0, deleted: 0, writes, error: message, retryable: isRetryable(error) };
      return { outcome, result: translate(new Set()), exclude: new Set(), rejected: [] };
    }
  }

  /**
   * Exclusions remembered for entities the translation still produces
   * unchanged, found without a POST. Repeated because leaving a part out
   * (or splitting a route) produces entities that may be remembered too.
   */
  #knownExclusions(translate: (exclude: ReadonlySet<string>) => TranslateResult, kongVersion?: string): { exclude: ReadonlySet<string>; rejected: TranslationFailure[] } {
    const exclude = new Set<string>();
    const rejected: TranslationFailure[] = [];
    const version = kongVersion === 'unknown' ? undefined : kongVersion;
    for (let round = 0; round < (this.#options.maxRounds ?? 5) && this.#rejections.size > 0; round += 1) {
      const fresh = this.#rejections.matches(translate(exclude).config, version).filter((m) => m.exclude.some((k) => !exclude.has(k)));
      if (fresh.length === 0) break;
      for (const m of fresh) {
        for (const key of m.exclude) exclude.add(key);
        rejected.push(m.failure);
      }
    }
    return { exclude, rejected };
  }

  #memoryFor(url: string): GatewayMemory {
    let memory = this.#memory.get(url);
    if (memory === undefined) {
      memory = { refused: new LRUCache({ max: 32 }) };
      this.#memory.set(url, memory);
    }
    return memory;
  }

  /**
   * Whether the gateway already runs this config. Kong's configuration_hash is
   * the MD5 of the config string it loaded, so a gateway that runs exactly our
   * text is recognised even by a fresh process. Otherwise our memory of the
   * last accepted config counts only while Kong still shows the hash it showed
   * after that push: all zeros means a restarted, empty gateway (Kong also
   * shows zeros for an empty config); another value, another writer. Kong is
   * asked only when it may run this config: at an engine's first push to it,
   * and when the config is the one it last accepted.
   */
  async #isCurrent(client: KongAdminClient, memory: GatewayMemory, push: PushInput): Promise<{ current: boolean; running?: string }> {
    // Another config than the one this gateway last accepted from us is sent
    // whatever the gateway runs: no GET /status first (a round trip before every
    // change), as check_hash makes Kong answer an identical body with a 304.
    if (memory.acceptedHash !== undefined && memory.acceptedHash !== push.hash) return { current: false };
    const running = await this.#runningHash(client);
    const answer = (current: boolean): { current: boolean; running?: string } => (running === undefined ? { current } : { current, running });
    if (running !== undefined && running === push.hash) return answer(true);
    if (memory.acceptedHash !== push.hash) return answer(false);
    if (running === undefined) return answer(true);
    if (running === EMPTY_CONFIGURATION_HASH ? push.empty : running === memory.statusHash) return answer(true);
    const why = running === EMPTY_CONFIGURATION_HASH ? 'has no configuration (restarted?)' : 'runs a configuration from someone else';
    this.#logger.info(`kong gateway ${why}; pushing again`, { gateway: client.gateway });
    return answer(false);
  }

  /** Kong's configuration_hash; undefined when this Kong has no /status hash (not a network failure). */
  async #runningHash(client: KongAdminClient): Promise<string | undefined> {
    try {
      return (await client.status()).configuration_hash;
    } catch (error) {
      if (error instanceof KongAdminError && error.status >= 400 && error.status < 500) return undefined;
      throw error;
    }
  }

  async #push(client: KongAdminClient, memory: GatewayMemory, result: TranslateResult, countWrite: () => void): Promise<ApplyAttempt<PushResult>> {
    // One serialization serves the hash and the body.
    const { text, md5: hash } = this.#bodies.bodyAndHash(result.config);
    const refused = memory.refused.get(hash);
    if (refused !== undefined) return { ok: false, ...refused };
    const empty = isEmptyConfig(result.config);
    const dangling = danglingPluginReferences(result.config);
    if (dangling.length > 0) return { ok: false, rejections: dangling, error: rejectionSummary(dangling) };
    const state = await this.#isCurrent(client, memory, { hash, empty });
    if (state.current) return { ok: true, value: { status: 'skipped', hash, ...(state.running !== undefined ? { kongHash: state.running } : {}) } };
    // Sent as the raw body with a YAML content type (JSON is YAML to Kong's parser), so
    // Kong hashes exactly this text and check_hash works. An application/json body
    // would be read as an inline object and hashed from Kong's own encoding instead.
    const body = text;
    const bytes = Buffer.byteLength(body);
    this.#checkBodySize(client.gateway, bytes);
    const started = (this.#options.now ?? Date.now)();
    let loaded: 201 | 304;
    try {
      countWrite();
      loaded = (await client.postConfig(body, { flattenErrors: true, checkHash: true, contentType: 'application/yaml' })).status;
    } catch (error) {
      if (isBodyTooLarge(error)) return this.#tooLarge(client, memory, hash, bytes);
      if (isUnexpectedError(error)) return this.#unexpected(client, memory, hash, error);
      if (!(error instanceof KongAdminError) || error.status !== 400) throw error;
      const rejections = attributeCredentialRejections(rejectionsFromFlattened(error.flattenedErrors ?? []), result.config);
      this.#logger.warn('kong rejected the configuration', { gateway: client.gateway, entities: rejections.map((r) => r.entity) });
      const summary = rejections.length > 0 ? rejectionSummary(rejections) : withoutSecrets(error.message, result.config);
      memory.refused.set(hash, { rejections, error: summary });
      return { ok: false, rejections, error: summary };
    }
    this.#options.observer?.configPushed?.(client.gateway, bytes, (this.#options.now ?? Date.now)() - started);
    memory.acceptedHash = hash;
    // Zeros right after a non-empty push would be a restart in between, not our config's hash.
    const shown = await client.status().then((st) => st.configuration_hash, () => undefined);
    memory.statusHash = shown === EMPTY_CONFIGURATION_HASH && !empty ? undefined : shown;
    // A 304: the gateway already ran this very text (check_hash), and loaded nothing.
    return { ok: true, value: { status: loaded === 304 ? 'skipped' : 'pushed', hash, ...(shown !== undefined ? { kongHash: shown } : {}) } };
  }

  /**
   * A 413: the same body would be refused again, so it is not sent again for a
   * while (the gateway's limit may be raised meanwhile); the failure says how
   * large the body is, the gateway's limit when `GET /` shows it, and what to raise.
   */
  async #tooLarge(client: KongAdminClient, memory: GatewayMemory, hash: string, bytes: number): Promise<ApplyAttempt<PushResult>> {
    const root = await client.root().catch(() => undefined);
    const limit = parseNginxSize((root?.configuration as Record<string, unknown> | undefined)?.nginx_admin_client_max_body_size);
    const error = configTooLargeMessage(client.gateway, bytes, limit);
    this.#logger.error('kong refused the configuration as too large', { gateway: client.gateway, bytes, ...(limit !== undefined ? { limit } : {}) });
    this.#options.observer?.bodyTooLarge?.(client.gateway, bytes, limit);
    memory.refused.set(hash, { rejections: [], error }, { ttl: TOO_LARGE_RETRY_MS });
    return { ok: false, rejections: [], error };
  }

  /**
   * Kong's own 500 to a config (its loader failed): the same body would fail
   * again, so it is not sent again for a while, and the failure says what
   * Kong does this for instead of retrying it forever.
   */
  #unexpected(client: KongAdminClient, memory: GatewayMemory, hash: string, error: KongAdminError): ApplyAttempt<PushResult> {
    const message = unexpectedConfigError(error);
    this.#logger.error('kong failed to load the configuration', { gateway: client.gateway, error: message });
    memory.refused.set(hash, { rejections: [], error: message }, { ttl: TOO_LARGE_RETRY_MS });
    return { ok: false, rejections: [], error: message };
  }

  #checkBodySize(gateway: string, bytes: number): void {
    const warnAt = this.#options.warnBodyBytes ?? Math.floor(KONG_ADMIN_BODY_LIMIT * 0.8);
    if (bytes < warnAt) return;
    this.#logger.warn('kong config body is close to the admin API body limit (nginx_admin_client_max_body_size)', {
      gateway, bytes, limit: KONG_ADMIN_BODY_LIMIT,
    });
    this.#options.observer?.bodyNearLimit?.(gateway, bytes, KONG_ADMIN_BODY_LIMIT);
  }
}
