// The live controller: supervised watches feed the store, and events only mark
// two reconcile loops dirty. The sync loop's pass reads the store: snapshot →
// translate → Kong engine → report (Ingress status, Events, MeshDoor status).
// The gateway-in-mesh loop checks and repairs the gateway Deployment on its own,
// so a slow Kong push never delays it; what it finds feeds the sync pass's
// MeshDoor status. Each pass returns what to do next (a PassResult) and only its
// loop schedules. Only the leader writes to the API server; in DB-less mode
// every replica may push to Kong.
import type { KubernetesObject, V1Deployment, V1EndpointSlice, V1Secret, V1Service } from '@kubernetes/client-node';
import { adminAccessCondition, AdminTlsStep, transportKind, withClientTls } from '../admin-tls/index.ts';
import type { AdminTlsState, AdminTlsStepOptions } from '../admin-tls/index.ts';
import { canonicalJson, contentHash, redactUrl, type GatewayTarget } from '../kong/index.ts';
import type { MeshDoorObject, MeshDoorSettings } from '../config/index.ts';
import { EventRecorder, IngressStatusWriter, LeaderElector, missingMeshDoorMessage, WatchSet } from '../kube/index.ts';
import type {
  Clock, KubeWriter, LeaderElectionTimings, LeaseApi, SupervisorTimings, WatchRole, WatchSourceFactory, WatchSpec,
} from '../kube/index.ts';
import { buildSnapshot, snapshotFingerprint } from './snapshot.ts';
import { indexSnapshot, isIngressServed, TRANSLATED_KINDS, type Snapshot } from '../translate/index.ts';
import { deploymentPodSelector, GatewayMesh, MeshReader, type MeshApi } from '../mesh/index.ts';
import { errorField, VERSION, type Logger, type Metrics } from '../observe/index.ts';
import { CoalescingTrigger } from './coalescing-trigger.ts';
import { FailureLog } from './failure-log.ts';
import { mergeFailures } from './failure-events.ts';
import { discoverGateways, gatewayStateKey } from './gateway-discovery.ts';
import { KongStep, type KongBackend, type KongStepOutput, type TranslateFn } from './kong-step.ts';
import { GatewayPoll } from './gateway-poll.ts';
import { GATEWAY_MESH_ROLES, GatewayMeshLoop, gatewayPlanKey } from './gateway-mesh-loop.ts';
import { DONE, requeueAfter, retryAfter, soonest, type PassResult } from './pass-result.ts';
import { Readiness } from './readiness.ts';
import { exposedReclaim, MemoryReclaim, type ReclaimFn } from './memory-reclaim.ts';
import { hostOwnersFromStatus } from './host-owners.ts';
import { ObjectKeys } from './object-keys.ts';
import { lastValidFromStatus } from './last-valid.ts';
import { rejectionsFromStatus, rejectionsToStatus } from './rejection-status.ts';
import { Reporter, type ReportInput } from './report-step.ts';
import { SettingsState, type ResolvedSettings } from './settings-state.ts';
import type { SchemaLookup } from '../plugins/index.ts';
import { PluginSecretPlan } from './plugin-secret-refs.ts';
import { desiredWatchSpecs, meshdoorWatchSpec, ReferencedSecretsPlan, type SecretWatchScope } from './watch-plan.ts';

export interface ControllerOptions {
  meshdoorName: string;
  watchNamespaces: readonly string[];
  secretLabelSelector?: string;
  /** TLS Secret watches per namespace holding referenced Secrets (default) or one cluster-wide. */
  secretWatch?: SecretWatchScope;
  holdoffMs: number;
  maxDelayMs: number;
  /** `--kong-admin-url`: overrides the MeshDoor's URLs and discovery. */
  kongAdminUrls: readonly string[];
  /** `--kong-admin-server-name`: TLS name verified for static https admin URLs. */
  kongAdminServerName?: string;
  /** `--publish-status-address`: overrides the MeshDoor's publish settings. */
  publishStatusAddresses: readonly string[];
  dblessPushFromAllReplicas: boolean;
  restartUnmeshedGateway: boolean;
  /** Lease-based election; without it this replica always leads. */
  leaderElection?: { namespace: string; timings?: LeaderElectionTimings };
  /** This replica's identity (Lease holder, Event reportingInstance). */
  identity: string;
  /** Check the gateways through the engine at least this often even without changes (0: only on changes). */
  resyncMs?: number;
  /** DB-less gateways: check their /status this often, to re-push one that restarted empty (0: off). */
  dblessCheckMs?: number;
  /**
   * Between passes, probe every gateway's /status this often (one GET, no
   * retries): an emptied or replaced config, or a gateway answering again after
   * failing, starts a pass at once (0: off).
   */
  gatewayPollMs?: number;
  /** TLS material for the Admin API came from flags: Secrets do not replace it. */
  staticClientTls?: { clientCert: boolean };
  /** Certificate lifetimes of managed admin certificates (defaults: CA 3 years, leaves 90 days). */
  adminTlsPolicy?: AdminTlsStepOptions['policy'];
  /** How long a pass waits for a new per-Secret watch before going without it. */
  softWatchWaitMs?: number;
  supervisorTimings?: SupervisorTimings;
}

export interface ControllerDeps {
  watchFactory: WatchSourceFactory;
  writer: KubeWriter;
  leaseApi?: LeaseApi;
  kong: KongBackend;
  translate: TranslateFn;
  settingsFromMeshDoor: (obj: MeshDoorObject | undefined) => MeshDoorSettings;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  /** Kuma Mesh reads (optional: used only where RBAC allows them). */
  meshApi?: MeshApi;
  /**
   * Told each pass's snapshot and settings, before the Kong push (the admission
   * webhook's index), with the host owners the pass's translation remembers.
   */
  onSnapshot?: (snapshot: Snapshot, settings: MeshDoorSettings, hostOwners: ReadonlyMap<string, string>, pluginSchemas: SchemaLookup) => void;
  /** A memory-reducing GC run once quiet after a pass that grew the heap (default: V8's, if `--expose-gc`). */
  reclaimMemory?: ReclaimFn;
}

const PASS_ERROR_RETRY_MS = 5000;

type PassOutcome = 'ok' | 'failed' | 'waiting';

export class Controller {
  readonly readiness = new Readiness();
  readonly events: EventRecorder;
  private readonly watches: WatchSet;
  private readonly trigger: CoalescingTrigger;
  private readonly elector: LeaderElector | undefined;
  private readonly settings: SettingsState;
  private readonly kongStep: KongStep;
  private readonly reporter: Reporter;
  private readonly meshLoop: GatewayMeshLoop;
  private readonly adminTls: AdminTlsStep;
  private readonly softWaitMs: number;
  private readonly poll: GatewayPoll | undefined;
  private statusSeeded = false;
  private readonly failureLog: FailureLog;
  /** Gateways the poll saw change since the last pass: their mode and version are read again. */
  private readonly changedGateways = new Set<string>();
  private readonly pluginSecrets = new PluginSecretPlan();
  private readonly tlsSecrets = new ReferencedSecretsPlan();
  private readonly memory: MemoryReclaim;

  constructor(private readonly o: ControllerOptions, private readonly d: ControllerDeps) {
    this.softWaitMs = o.softWatchWaitMs ?? 5000;
    this.memory = new MemoryReclaim({ clock: d.clock, log: d.log, reclaim: d.reclaimMemory ?? exposedReclaim() });
    this.failureLog = new FailureLog(d.log);
    this.trigger = new CoalescingTrigger({ holdoffMs: o.holdoffMs, maxDelayMs: o.maxDelayMs, clock: d.clock, run: () => this.pass() });
    this.watches = new WatchSet({
      factory: d.watchFactory, clock: d.clock, log: d.log,
      ...(o.supervisorTimings ? { timings: o.supervisorTimings } : {}),
      onChange: (role) => {
        this.trigger.mark();
        if (GATEWAY_MESH_ROLES.has(role)) this.meshLoop.mark();
      },
      onRestart: (spec) => { d.metrics.watchRestarts.inc({ role: spec.role }); },
    });
    this.events = new EventRecorder({ writer: d.writer, clock: d.clock, log: d.log, instance: o.identity });
    this.settings = new SettingsState(o.meshdoorName, d.settingsFromMeshDoor, d.log);
    // One memo of object keys for the steps after translation (status, Events, last valid versions).
    const keys = new ObjectKeys();
    this.kongStep = new KongStep({ backend: d.kong, translate: d.translate, metrics: d.metrics, clock: d.clock, log: d.log, keys });
    this.reporter = new Reporter({
      keys,
      writer: d.writer, statusWriter: new IngressStatusWriter({ writer: d.writer, log: d.log }),
      events: this.events, clock: d.clock, log: d.log,
    });
    this.adminTls = new AdminTlsStep({ writer: d.writer, clock: d.clock, log: d.log, ...(o.adminTlsPolicy ? { policy: o.adminTlsPolicy } : {}) });
    this.meshLoop = this.createMeshLoop();
    this.elector = o.leaderElection && d.leaseApi ? this.createElector(o.leaderElection, d.leaseApi) : undefined;
    this.poll = this.createPoll();
  }

  private createMeshLoop(): GatewayMeshLoop {
    const { o, d } = this;
    const mesh = new GatewayMesh({
      writer: d.writer, events: this.events, clock: d.clock, log: d.log, restartUnmeshed: o.restartUnmeshedGateway,
      meshReader: new MeshReader({ api: d.meshApi, clock: d.clock, log: d.log }),
    });
    return new GatewayMeshLoop({
      holdoffMs: o.holdoffMs, maxDelayMs: o.maxDelayMs, clock: d.clock, log: d.log, metrics: d.metrics, mesh,
      reads: {
        settings: () => this.servedSettings(),
        synced: () => this.rolesSynced(GATEWAY_MESH_ROLES),
        list: (role) => this.watches.list(role),
        isLeader: () => this.isLeader(),
      },
      // What the gateway check found goes into the MeshDoor status.
      onStateChange: () => { this.trigger.mark(); },
    });
  }

  /** The settings of the MeshDoor in the store; undefined until it synced, or while it is absent. */
  private servedSettings(): MeshDoorSettings | undefined {
    const meshdoor = this.watches.roleSynced('meshdoor') ? this.watches.list('meshdoor')[0] : undefined;
    return meshdoor ? this.settings.resolve(meshdoor).settings : undefined;
  }

  /** Whether every planned watch of these roles has synced. */
  private rolesSynced(roles: ReadonlySet<WatchRole>): boolean {
    const planned = new Set(this.watches.specs().map((s) => s.role).filter((r) => roles.has(r)));
    return [...planned].every((role) => this.watches.roleSynced(role));
  }

  private createPoll(): GatewayPoll | undefined {
    const probe = this.d.kong.probe?.bind(this.d.kong);
    if (!probe || !this.o.gatewayPollMs) return undefined;
    return new GatewayPoll({
      periodMs: this.o.gatewayPollMs, clock: this.d.clock, probe,
      onChange: (gateway, why) => {
        this.d.log.info(`kong gateway ${why}; syncing now`, { gateway });
        this.changedGateways.add(gateway);
        this.trigger.mark();
      },
    });
  }

  private createElector(election: NonNullable<ControllerOptions['leaderElection']>, api: LeaseApi): LeaderElector {
    return new LeaderElector({
      api, namespace: election.namespace, name: `meshdoor-${this.o.meshdoorName}`, identity: this.o.identity,
      clock: this.d.clock, log: this.d.log, ...(election.timings ? { timings: election.timings } : {}),
      onStartedLeading: () => { this.d.metrics.leader.set(1); this.markBoth(); },
      onStoppedLeading: () => { this.d.metrics.leader.set(0); this.markBoth(); },
    });
  }

  private markBoth(): void {
    this.trigger.mark();
    this.meshLoop.mark();
  }

  isLeader(): boolean {
    return this.elector ? this.elector.isLeader() : true;
  }

  async start(): Promise<void> {
    if (!this.elector) this.d.metrics.leader.set(1);
    await this.watches.reconcile([meshdoorWatchSpec(this.o.meshdoorName)]);
    this.elector?.start();
    this.d.log.info('controller started', { version: VERSION, meshdoor: this.o.meshdoorName, identity: this.o.identity, leaderElection: Boolean(this.elector) });
  }

  /** Stop watches, let the in-flight passes finish, flush Events, release the Lease. */
  async stop(): Promise<void> {
    this.poll?.stop();
    this.memory.stop();
    await this.watches.stop();
    await Promise.all([this.trigger.stop(), this.meshLoop.stop()]);
    await this.events.idle();
    await this.elector?.stop();
    this.d.log.info('controller stopped', { meshdoor: this.o.meshdoorName });
  }

  private async pass(): Promise<PassResult> {
    const started = this.d.clock.now();
    this.memory.passStarted();
    this.d.metrics.queueDepth.set(this.trigger.pending);
    try {
      const { outcome, next } = await this.passSteps();
      this.d.metrics.syncCount.inc({ result: outcome });
      if (next.kind !== 'done') this.d.log.debug('sync pass asks to run again', { kind: next.kind, afterMs: next.afterMs, reason: next.reason });
      return next;
    } catch (err) {
      this.d.log.error('sync pass failed', { error: errorField(err) });
      this.d.metrics.syncCount.inc({ result: 'failed' });
      this.readiness.update({ lastSyncOk: false, lastError: errorField(err) });
      return retryAfter(PASS_ERROR_RETRY_MS, 'sync pass failed');
    } finally {
      const durationMs = this.d.clock.now() - started;
      this.d.metrics.observeSyncMs(durationMs);
      this.d.log.debug('sync pass done', { durationMs });
      for (const [role, count] of this.watches.counts()) this.d.metrics.storeObjects.set({ role }, count);
      this.memory.passEnded();
    }
  }

  private async passSteps(): Promise<{ outcome: PassOutcome; next: PassResult }> {
    // The MeshDoor watch's first list marks the loop.
    if (!this.watches.roleSynced('meshdoor')) return { outcome: this.waiting(), next: DONE };
    const meshdoor = this.watches.list('meshdoor')[0];
    // Never serve (and push) defaults for a MeshDoor that does not exist.
    if (!meshdoor) return { outcome: this.blocked(missingMeshDoorMessage(this.o.meshdoorName)), next: DONE };
    this.unblock();
    const resolved = this.settings.resolve(meshdoor);
    if (!(await this.planSynced(resolved.settings))) {
      // A soft watch that never lists is given up on after this long.
      return { outcome: this.waiting(), next: requeueAfter(this.softWaitMs, 'waiting for watches to sync') };
    }
    this.readiness.update({ cachesSynced: true, pendingWatches: [] });
    const snapshot = buildSnapshot(this.watches);
    const { settings } = resolved;
    const adminEndpointSlices = this.watches.list<V1EndpointSlice>('adminEndpoints');
    const leader = this.isLeader();
    this.seedFromStatus(resolved, leader);
    this.tellSnapshot(snapshot, settings);
    const deployment = this.watches.list<V1Deployment>('gatewayDeployment')[0];
    const tls = await this.adminTls.ensure({ settings, leader, secrets: this.watches.list<V1Secret>('adminTlsSecrets'), deployment });
    this.meshLoop.publish({ key: gatewayPlanKey(settings), templateAnnotations: tls.templateAnnotations });
    this.forgetChangedGateways();
    const gateways = withClientTls(discoverGateways({ settings, flagUrls: this.o.kongAdminUrls, adminEndpointSlices, ...(this.o.kongAdminServerName !== undefined ? { staticServerName: this.o.kongAdminServerName } : {}) }), tls.clientTls, this.o.staticClientTls !== undefined);
    const ownersRevision = String(this.kongStep.hostOwners.revision);
    const kong = await this.kongStep.run({
      snapshot, settings, gateways, leader, dblessPushFromAllReplicas: this.o.dblessPushFromAllReplicas,
      fingerprint: () => contentHash([snapshotFingerprint(snapshot), canonicalJson(settings), gatewayStateKey(adminEndpointSlices), ownersRevision]),
      resyncMs: this.o.resyncMs ?? 0, dblessCheckMs: this.o.dblessCheckMs ?? 0,
    });
    if (kong.result) {
      this.failureLog.update(mergeFailures(kong.result.failures, kong.report?.rejected ?? []));
      this.logExcluded(snapshot, settings);
    }
    this.poll?.update(kong.pushing ? gateways : [], kong.gatewayHashes);
    this.readiness.update({ pushing: kong.pushing, gateways: gateways.length, lastSyncOk: kong.ok, lastError: kong.error });
    if (leader) {
      const mesh = this.meshLoop.current();
      await this.reporter.report({
        resolved, snapshot, kong, ...(mesh ? { mesh } : {}), gateways: gateways.length,
        publishService: this.watches.list<V1Service>('publishService')[0],
        flagPublishAddresses: this.o.publishStatusAddresses,
        kongByUrl: this.o.kongAdminUrls.length > 0 || settings.kongAdmin.urls.length > 0,
        backendEndpointSlices: settings.upstreamMode === 'endpoints' ? snapshot.EndpointSlice : this.watches.list<V1EndpointSlice>('backendEndpoints'),
        ...(this.d.kong.rejections ? { kongRejections: rejectionsToStatus(this.d.kong.rejections.inUse()) } : {}),
        lastValid: this.kongStep.lastValid.servingEntries(),
        adminAccess: this.adminAccess(gateways, tls),
        absentResources: this.watches.absent().map(resourceName),
      });
    }
    return { outcome: kong.ok === false ? 'failed' : 'ok', next: kongNext(kong) };
  }

  /** A gateway the poll saw restart may run another Kong version: read its mode again, and push even if nothing changed here. */
  private forgetChangedGateways(): void {
    if (this.changedGateways.size === 0) return;
    for (const gateway of this.changedGateways) this.d.kong.forget?.(gateway);
    this.changedGateways.clear();
    this.kongStep.invalidate();
  }

  private tellSnapshot(snapshot: Snapshot, settings: MeshDoorSettings): void {
    // The owners seeded from the status included: the ones the translation is given.
    // With the plugin schemas the last pass read from the gateways.
    this.d.onSnapshot?.(snapshot, settings, this.kongStep.hostOwners.owners, this.kongStep.pluginSchemas);
  }

  /**
   * What the MeshDoor status keeps: once, what Kong rejected before a restart
   * (so the first push needs no extra POST) and the objects served in their last
   * valid version, and the host owners; on a replica that is not the leader, the
   * latter two on every pass, so it pushes what the leader pushes.
   */
  private seedFromStatus(resolved: ResolvedSettings, leader: boolean): void {
    const status = resolved.meshdoor?.status;
    if (!leader) {
      this.kongStep.lastValid.seed(lastValidFromStatus(status), true);
      this.kongStep.hostOwners.seed(hostOwnersFromStatus(status), true);
    }
    if (this.statusSeeded) return;
    this.statusSeeded = true;
    const kept = rejectionsFromStatus(status);
    if (kept.length > 0 && this.d.kong.rejections) {
      this.d.kong.rejections.seed(kept);
      this.d.log.info('remembering kong rejections from the meshdoor status', { count: kept.length });
    }
    this.kongStep.lastValid.seed(lastValidFromStatus(status), false);
    this.kongStep.hostOwners.seed(hostOwnersFromStatus(status), false);
  }

  private adminAccess(gateways: readonly GatewayTarget[], tls: AdminTlsState): ReportInput['adminAccess'] {
    const staticCert = this.o.staticClientTls?.clientCert ?? false;
    const access = gateways.map((g) => ({ url: redactUrl(g.url), transport: transportKind(g, staticCert) }));
    const condition = adminAccessCondition(access, tls.problem);
    // Say where a certificate rotation stands (the leader only knows).
    if (tls.rotation && !tls.problem) condition.message = `${condition.message}; certificates: ${tls.rotation}`;
    if (condition.reason === 'PlainHTTP' && condition.message !== this.lastAccessWarning) this.d.log.warn('kong admin api reached over plain http', { message: condition.message });
    this.lastAccessWarning = condition.message;
    return { gateways: access, condition };
  }

  private lastAccessWarning: string | undefined;

  /** Debug: the Ingresses this pass left out because their class is not this bridge's (at most 20 named). */
  private logExcluded(snapshot: Snapshot, settings: MeshDoorSettings): void {
    if (!this.d.log.isDebugEnabled()) return;
    const index = indexSnapshot(snapshot);
    const excluded = snapshot.Ingress.filter((ing) => !isIngressServed(ing, settings, index)).map((ing) => `${ing.metadata?.namespace ?? ''}/${ing.metadata?.name ?? ''}`);
    if (excluded.length === 0) return;
    this.d.log.debug('Ingresses not served: their class is not this bridge\'s', {
      ingressClass: settings.ingressClass, controllerName: settings.controllerName, count: excluded.length, ingresses: excluded.slice(0, 20),
    });
  }

  private blocked(reason: string): 'waiting' {
    if (this.readiness.snapshot().blocked !== reason) this.d.log.error('not serving', { reason });
    this.readiness.update({ blocked: reason });
    return 'waiting';
  }

  private unblock(): void {
    const { blocked } = this.readiness.snapshot();
    if (blocked === undefined) return;
    this.d.log.info('serving again', { cleared: blocked });
    this.readiness.update({ blocked: undefined });
  }

  private waiting(): 'waiting' {
    const pending = this.watches.pending();
    this.d.log.debug('pass waits: watches not synced yet', { pending: pending.slice(0, 10) });
    this.readiness.update({ cachesSynced: false, pendingWatches: pending });
    return 'waiting';
  }

  /**
   * Whether the plan derived from synced caches is running and every watch in it
   * has synced. The plan depends on cached objects (TLS Secrets come from the
   * Ingress list), so it is recomputed until it no longer changes: Secret watches
   * planned from the synced Ingresses must sync (or time out) before a push.
   * Terminates: a pass that adds watches returns (they have not synced), and
   * removals alone only shrink the set.
   */
  private async planSynced(settings: MeshDoorSettings): Promise<boolean> {
    for (;;) {
      const changed = await this.replan(settings);
      if (!this.watches.synced(this.softWaitMs)) return false;
      if (!changed) return true;
    }
  }

  /** Reconciles the watches with the plan derived from the caches; returns whether they changed. */
  private async replan(settings: MeshDoorSettings): Promise<boolean> {
    const ingresses = this.watches.list('ingresses');
    const pluginSecrets = this.pluginSecrets.refs({
      ingresses, ingressClasses: this.watches.list('ingressClasses'), services: this.watches.list('services'),
      kongPlugins: this.watches.list('kongPlugins'), kongClusterPlugins: this.watches.list('kongClusterPlugins'),
      kongConsumers: this.watches.list('kongConsumers'), own: settings,
    });
    return this.watches.reconcile(desiredWatchSpecs({
      settings,
      meshdoorName: this.o.meshdoorName,
      watchNamespaces: this.o.watchNamespaces,
      ...(this.o.secretLabelSelector ? { secretLabelSelector: this.o.secretLabelSelector } : {}),
      ...(this.o.secretWatch ? { secretWatch: this.o.secretWatch } : {}),
      secretRefs: this.tlsSecrets.refs(ingresses, this.watches.list('ingressClasses'), settings),
      credentialSecretRefs: pluginSecrets.credentials,
      pluginSecretRefs: pluginSecrets.pluginConfig,
      ...withPodSelector(this.watches.list<V1Deployment>('gatewayDeployment')[0]),
      staticAdminUrls: this.o.kongAdminUrls.length > 0 || settings.kongAdmin.urls.length > 0,
      staticPublishAddresses: this.o.publishStatusAddresses.length > 0 || settings.publishAddresses.length > 0,
    }));
  }

  /** What the caches hold for one role (for tests: which objects are kept in memory). */
  cachedObjects(role: WatchRole): readonly KubernetesObject[] {
    return this.watches.list(role);
  }

  /** Current settings (for logs and tests). */
  currentSettings(): ResolvedSettings {
    return this.settings.resolve(this.watches.list<KubernetesObject>('meshdoor')[0]);
  }
}

/** What the Kong step asks for: a retry after a failure, else its periodic check. */
function kongNext(kong: KongStepOutput): PassResult {
  return soonest(
    kong.retryInMs !== undefined ? retryAfter(kong.retryInMs, `kong sync failed: ${kong.error ?? 'unknown error'}`) : DONE,
    kong.recheckInMs !== undefined ? requeueAfter(kong.recheckInMs, 'periodic check of the gateways') : DONE,
  );
}

/** `kongplugins.configuration.konghq.com`, as `kubectl get crd` names it. */
function resourceName(spec: WatchSpec): string {
  const kind = TRANSLATED_KINDS.find((k) => k.watchRole === spec.role);
  const group = kind?.apiVersion.includes('/') ? kind.apiVersion.split('/')[0] : undefined;
  return kind ? `${kind.resource}${group ? `.${group}` : ''}` : spec.kind;
}

function withPodSelector(deployment: V1Deployment | undefined): { gatewayPodSelector?: string } {
  const selector = deploymentPodSelector(deployment);
  return selector ? { gatewayPodSelector: selector } : {};
}
