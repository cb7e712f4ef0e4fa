// The Kong part of a pass: decide whether this replica pushes, skip when
// nothing the translation depends on changed, else hand the snapshot to the
// engine and turn its report into metrics, readiness and a retry delay.
import { redactUrl } from '../kong/index.ts';
import type { MeshDoorSettings } from '../config/index.ts';
import type { RejectionMemory } from '../kong/index.ts';
import type { KongConfig, TranslateResult } from '../model/index.ts';
import type { GatewayOutcome, GatewayTarget, KongMode, KongSyncEngine, SyncReport } from '../kong/index.ts';
import type { Clock } from '../kube/index.ts';
import { errorField, type Logger } from '../observe/index.ts';
import type { Metrics } from '../observe/index.ts';
import type { Snapshot, TranslateOptions } from '../translate/index.ts';
import { OFFLINE_SCHEMAS, type SchemaLookup } from '../plugins/index.ts';
import { HostOwnerMemory } from './host-owners.ts';
import type { ObjectKeys } from './object-keys.ts';
import { LastValid } from './last-valid.ts';
import { answersKey, pluginNamesInUse, schemaLookup, type PluginSchemaAnswers, type PluginSchemaSource } from './plugin-schemas.ts';

export interface KongBackend {
  /** The gateways' mode: fixed by a flag, or detected from a gateway. Undefined when none answered. */
  resolveMode(gateways: readonly GatewayTarget[]): Promise<KongMode | undefined>;
  engine(mode: KongMode): KongSyncEngine;
  /** Forget state of gateways that are gone. */
  retain?(gateways: readonly GatewayTarget[]): void;
  /** One cheap `GET /status` without retries: Kong's configuration_hash (undefined when it shows none); throws when unreachable. */
  probe?(gateway: GatewayTarget): Promise<string | undefined>;
  /** What the gateways rejected, per entity content (DB-less). */
  rejections?: RejectionMemory;
  /** A gateway restarted (or came back): read its mode and version again. */
  forget?(gateway: string): void;
  /** The gateways' schemas of these plugins (cached per gateway and Kong version); never throws. */
  pluginSchemas?: PluginSchemaSource;
}

export type TranslateFn = (snapshot: Snapshot, options: TranslateOptions) => TranslateResult;

export interface KongStepInput {
  snapshot: Snapshot;
  settings: MeshDoorSettings;
  gateways: readonly GatewayTarget[];
  leader: boolean;
  /** DB-less: every replica pushes (the config is the same for every gateway). */
  dblessPushFromAllReplicas: boolean;
  /**
   * Fingerprint of everything the translation reads (snapshot and settings) and
   * of the gateways' state. A function: hashing every object costs a fraction of
   * a second at 10k, which a first pass pays only after its push is out.
   */
  fingerprint: () => string;
  /** Go through the engine even when nothing changed if the last run is older than this (0: never). */
  resyncMs: number;
  /**
   * DB-less gateways: the same, more often (one GET /status per gateway), so a
   * gateway that restarted empty at the same address gets its config back (0: never).
   */
  dblessCheckMs: number;
}

export interface KongStepOutput {
  /** This replica pushes to Kong. */
  pushing: boolean;
  result?: TranslateResult;
  report?: SyncReport;
  /** Undefined when not pushing or when there are no gateways. */
  ok?: boolean;
  error?: string;
  retryInMs?: number;
  /** Time of the last sync that reached every gateway. */
  lastSyncTime?: number;
  /** Run again after this long even without changes (periodic check), when set. */
  recheckInMs?: number;
  /** The configuration_hash Kong reported (never computed here). */
  configHash?: string;
  /** What the gateways hold: the config they last accepted from us (undefined before any). */
  held?: { routes: number; services: number };
  /** Per gateway URL: Kong's configuration_hash after this pass (`''`: not shown), or GATEWAY_FAILED. */
  gatewayHashes?: ReadonlyMap<string, string>;
}

/** The input with the plugin schemas read for it. */
type SchemaInput = KongStepInput & { schemas: PluginSchemaAnswers };

const NO_MODE_RETRY_MS = 5000;
/** A gateway that failed is tried again at least this often (a gateway back from an outage is found in time). */
export const MAX_GATEWAY_RETRY_MS = 2000;
/** In `gatewayHashes`: the gateway did not converge. */
export const GATEWAY_FAILED = 'failed';

function countsOf(result: TranslateResult): { routes: number; services: number } {
  return { routes: result.config.services.reduce((n, s) => n + s.routes.length, 0), services: result.config.services.length };
}

function failureReason(outcome: GatewayOutcome, report: SyncReport): string {
  if (report.rejected.length > 0) return 'conflict';
  if (/^configuration too large/.test(outcome.error ?? '')) return 'too_large';
  return /ECONN|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|socket|network|timeout/i.test(outcome.error ?? '') ? 'network' : 'other';
}

/** How often gateways are checked without changes, for the mode they run in; undefined: never. */
function checkPeriod(input: KongStepInput, mode: KongMode | undefined): number | undefined {
  const periods = [input.resyncMs, mode === 'dbless' ? input.dblessCheckMs : 0].filter((p) => p > 0);
  return periods.length > 0 ? Math.min(...periods) : undefined;
}

export class KongStep {
  private lastKey: string | undefined;
  private last: KongStepOutput | undefined;
  private lastRunAt = 0;
  private held: { routes: number; services: number } | undefined;
  readonly lastValid: LastValid;
  /** Host owners decided by the last translation, given to the next (spec.hosts.ownership: Namespace). */
  readonly hostOwners = new HostOwnerMemory();
  /** The plugin schemas the last pass read (the admission webhook checks KongPlugins against them). */
  pluginSchemas: SchemaLookup = OFFLINE_SCHEMAS;
  private schemaAnswers: PluginSchemaAnswers = new Map();

  constructor(private readonly o: { backend: KongBackend; translate: TranslateFn; metrics: Metrics; clock: Clock; log: Logger; keys?: ObjectKeys }) {
    this.lastValid = new LastValid(o.keys);
  }

  /** The next run goes through the engine even when nothing changed (a gateway changed under us). */
  invalidate(): void {
    this.lastKey = undefined;
  }

  async run(input: KongStepInput): Promise<KongStepOutput> {
    const mode = input.gateways.length > 0 ? await this.resolveMode(input.gateways) : undefined;
    const pushing = input.leader || (input.dblessPushFromAllReplicas && mode === 'dbless');
    if (!pushing) {
      this.o.log.debug('pass skips Kong: a standby replica pushes only in DB-less mode with --dbless-push-from-all-replicas', { mode: mode ?? 'unknown' });
      this.lastKey = undefined;
      return { pushing: false };
    }
    const schemas = await this.readSchemas(input, mode);
    let key: string | undefined;
    const keyOf = (): string => (key ??= `${input.fingerprint()}|${input.gateways.map((g) => g.url).join(',')}|${mode ?? ''}|${answersKey(schemas)}`);
    const period = checkPeriod(input, mode);
    const fresh = period === undefined || this.o.clock.now() - this.lastRunAt < period;
    if (this.lastKey !== undefined && this.last && this.last.ok !== false && fresh && keyOf() === this.lastKey) {
      this.o.log.debug('pass skips Kong: cluster state, settings and gateways unchanged since the last push');
      return { ...this.last, ...(period !== undefined ? { recheckInMs: Math.max(1, this.lastRunAt + period - this.o.clock.now()) } : {}) };
    }
    this.lastRunAt = this.o.clock.now();
    this.o.backend.retain?.(input.gateways);
    const out = await this.translateAndPush({ ...input, schemas }, mode);
    this.hostOwners.commit(out.result?.hosts);
    this.lastKey = keyOf();
    this.last = { ...out, lastSyncTime: out.lastSyncTime ?? this.last?.lastSyncTime, ...(this.held ? { held: this.held } : {}) };
    return { ...this.last, ...(period !== undefined && input.gateways.length > 0 ? { recheckInMs: period } : {}) };
  }

  /**
   * Schemas of the plugins the cluster uses, before the translation needs them.
   * A gateway that cannot say leaves the structural check (the failure is in the answer).
   */
  private async readSchemas(input: KongStepInput, mode: KongMode | undefined): Promise<PluginSchemaAnswers> {
    const plugins = pluginNamesInUse(input.snapshot);
    // No gateway answered (no mode): asking for schemas would only wait on it again.
    if (plugins.length === 0 || !mode || !this.o.backend.pluginSchemas) return new Map();
    try {
      return this.keepSchemas(await this.o.backend.pluginSchemas(input.gateways, plugins));
    } catch (err) {
      this.o.log.warn('reading plugin schemas failed: plugin configs checked structurally', { error: errorField(err) });
      return new Map();
    }
  }

  /** The same answers as last pass give the same lookup (the translator remembers resolutions per answer). */
  private keepSchemas(answers: PluginSchemaAnswers): PluginSchemaAnswers {
    const last = this.schemaAnswers;
    const same = answers.size === last.size && [...answers].every(([name, answer]) => last.get(name) === answer);
    if (same) return last;
    this.schemaAnswers = answers;
    this.pluginSchemas = schemaLookup(answers);
    return answers;
  }

  private async translateAndPush(input: SchemaInput, mode: KongMode | undefined): Promise<KongStepOutput> {
    const translate = (exclude: ReadonlySet<string>): TranslateResult => this.translate(input, exclude);
    if (input.gateways.length === 0) {
      this.o.log.debug('nothing to push to: no ready Kong admin endpoint and no static admin URL');
      return { pushing: true, result: translate(new Set()) };
    }
    if (!mode) return { pushing: true, result: translate(new Set()), ok: false, error: 'no Kong gateway answered to detect its mode', retryInMs: NO_MODE_RETRY_MS };
    return this.push(mode, input, translate);
  }

  private async resolveMode(gateways: readonly GatewayTarget[]): Promise<KongMode | undefined> {
    try {
      return await this.o.backend.resolveMode(gateways);
    } catch (err) {
      this.o.log.warn('detecting kong mode failed', { error: errorField(err) });
      return undefined;
    }
  }

  private translate(input: SchemaInput, exclude: ReadonlySet<string>): TranslateResult {
    const started = this.o.clock.now();
    try {
      const hostOwners = this.hostOwners.owners;
      const base = (snapshot: Snapshot, ex: ReadonlySet<string>): TranslateResult => this.o.translate(snapshot, { settings: input.settings, exclude: ex, hostOwners, pluginSchemas: input.schemas === this.schemaAnswers ? this.pluginSchemas : schemaLookup(input.schemas) });
      if (!input.settings.serveLastValid) this.lastValid.clear();
      const result = input.settings.serveLastValid ? this.lastValid.translate(input.snapshot, exclude, base) : base(input.snapshot, exclude);
      this.o.metrics.translationCount.inc({ success: String(result.failures.length === 0) });
      this.o.metrics.translationBroken.set(result.failures.length);
      return result;
    } catch (err) {
      this.o.metrics.translationCount.inc({ success: 'false' });
      throw err;
    } finally {
      this.o.metrics.observeTranslationMs(this.o.clock.now() - started);
    }
  }

  private async push(mode: KongMode, input: SchemaInput, translate: (ex: ReadonlySet<string>) => TranslateResult): Promise<KongStepOutput> {
    let report: SyncReport;
    const started = this.o.clock.now();
    try {
      report = await this.o.backend.engine(mode).sync({ translate, gateways: input.gateways });
    } catch (err) {
      const error = errorField(err);
      this.o.log.error('kong sync failed', { error });
      return { pushing: true, result: translate(new Set()), ok: false, error, retryInMs: MAX_GATEWAY_RETRY_MS };
    }
    const protocol = mode === 'dbless' ? 'db-less' : 'db';
    for (const g of report.gateways) {
      // Printed and labelled without the credentials a --kong-admin-url may carry.
      const dataplane = redactUrl(g.url);
      if (mode === 'dbless') this.o.metrics.configPostsPerSync.observe(g.writes ?? 0);
      if (g.status === 'failed') {
        this.o.log.warn('kong gateway not converged', { gateway: dataplane, error: g.error ?? '' });
        this.o.metrics.pushCount.inc({ success: 'false', protocol, dataplane, failure_reason: failureReason(g, report) });
      } else if (g.status === 'pushed') {
        this.o.log.info('configuration applied', { gateway: dataplane, mode, configHash: g.configHash ?? '', ...entityCounts(report.applied.config), durationMs: this.o.clock.now() - started });
        this.o.metrics.pushCount.inc({ success: 'true', protocol, dataplane, failure_reason: '' });
        this.o.metrics.pushLastSuccessful.set({ dataplane }, Math.floor(this.o.clock.now() / 1000));
      }
    }
    this.o.metrics.pushBroken.set(report.rejected.length);
    const failed = report.gateways.filter((g) => g.status === 'failed');
    const ok = failed.length === 0;
    if (ok) {
      this.held = countsOf(report.applied);
      if (input.settings.serveLastValid) this.lastValid.commit(input.snapshot, report.applied, report.rejected);
    }
    const kongHash = report.gateways.find((g) => g.status !== 'failed' && g.configHash)?.configHash;
    return {
      pushing: true, result: report.applied, report, ok,
      ...(ok ? { lastSyncTime: this.o.clock.now() } : { error: failed.map((g) => `${redactUrl(g.url)}: ${g.error ?? 'failed'}`).join('; '), retryInMs: Math.min(report.retryAfterMs ?? NO_MODE_RETRY_MS, MAX_GATEWAY_RETRY_MS) }),
      ...(kongHash !== undefined ? { configHash: kongHash } : {}),
      ...(this.held ? { held: this.held } : {}),
      gatewayHashes: new Map(report.gateways.map((g) => [g.url, g.status === 'failed' ? GATEWAY_FAILED : g.configHash ?? ''])),
    };
  }
}

/** Entity counts of a configuration, for the log line of an applied push. */
function entityCounts(config: KongConfig): Record<'services' | 'routes' | 'upstreams' | 'certificates', number> {
  return {
    services: config.services.length, routes: config.services.reduce((n, svc) => n + svc.routes.length, 0),
    upstreams: config.upstreams.length, certificates: config.certificates.length,
  };
}
