// The live controller: supervised watches feed the store, events only mark the
// coalescing trigger dirty, and each pass reads the store: snapshot → translate
// → Kong engine → report (Ingress status, Events, MeshDoor status) and the
// gateway-in-mesh check. Only the leader writes to the API server; in DB-less
// mode every replica may push to Kong.
import type { KubernetesObject, V1Deployment, V1EndpointSlice, V1Namespace, V1Pod, V1Secret, V1Service } from '@kubernetes/client-node';
import { adminAccessCondition, transportKind, withClientTls } from '../admin-tls/access.ts';
import { AdminTlsStep, type AdminTlsState, type AdminTlsStepOptions } from '../admin-tls/admin-tls-step.ts';
import { redactUrl } from '../kong/admin-errors.ts';
import type { MeshDoorObject } from '../config/meshdoor-spec.ts';
import type { MeshDoorSettings } from '../config/settings.ts';
import { canonicalJson, contentHash } from '../kong/config-hash.ts';
import type { Clock } from '../kube/clock.ts';
import { EventRecorder } from '../kube/events.ts';
import { IngressStatusWriter } from '../kube/ingress-status.ts';
import type { KubeWriter } from '../kube/kube-writer.ts';
import { LeaderElector, type LeaderElectionTimings } from '../kube/leader-election.ts';
import type { LeaseApi } from '../kube/lease-api.ts';
import { missingMeshDoorMessage } from '../kube/preflight.ts';
import { buildSnapshot, snapshotFingerprint } from '../kube/snapshot.ts';
import { indexSnapshot, isIngressServed } from '../translate/index.ts';
import type { Snapshot } from '../translate/types.ts';
import type { SupervisorTimings } from '../kube/supervised-watch.ts';
import { WatchSet } from '../kube/watch-set.ts';
import type { WatchRole, WatchSourceFactory } from '../kube/watch-source.ts';
import { GatewayMesh } from '../mesh/ensure-gateway.ts';
import { MeshReader, type MeshApi } from '../mesh/mesh-reader.ts';
import { deploymentPodSelector } from '../mesh/sidecar.ts';
import { errorField, type Logger } from '../observe/logger.ts';
import type { Metrics } from '../observe/metrics.ts';
import { VERSION } from '../observe/version.ts';
import { CoalescingTrigger } from './coalescing-trigger.ts';
import { FailureLog } from './failure-log.ts';
import { mergeFailures } from './failure-events.ts';
import { discoverGateways, gatewayStateKey } from './gateway-discovery.ts';
import { KongStep, type KongBackend, type TranslateFn } from './kong-step.ts';
import { GatewayPoll } from './gateway-poll.ts';
import { Readiness } from './readiness.ts';
import { lastValidFromStatus } from './last-valid.ts';
import { rejectionsFromStatus, rejectionsToStatus } from './rejection-status.ts';
import { Reporter, type ReportInput } from './report-step.ts';
import type { GatewayTarget } from '../kong/sync-types.ts';
import { SettingsState, type ResolvedSettings } from './settings-state.ts';
import { desiredWatchSpecs, meshdoorWatchSpec, referencedSecrets, type SecretWatchScope } from './watch-plan.ts';

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
}

const PASS_ERROR_RETRY_MS = 5000;

export class Controller {
  readonly readiness = new Readiness();
  readonly events: EventRecorder;
  private readonly watches: WatchSet;
  private readonly trigger: CoalescingTrigger;
  private readonly elector: LeaderElector | undefined;
  private readonly settings: SettingsState;
  private readonly kongStep: KongStep;
  private readonly reporter: Reporter;
  private readonly mesh: GatewayMesh;
  private readonly adminTls: AdminTlsStep;
  private readonly softWaitMs: number;
  private readonly poll: GatewayPoll | undefined;
  private statusSeeded = false;
  private readonly failureLog: FailureLog;

  constructor(private readonly o: ControllerOptions, private readonly d: ControllerDeps) {
    this.softWaitMs = o.softWatchWaitMs ?? 5000;
    this.failureLog = new FailureLog(d.log);
    this.trigger = new CoalescingTrigger({ holdoffMs: o.holdoffMs, maxDelayMs: o.maxDelayMs, clock: d.clock, run: () => this.pass() });
    this.watches = new WatchSet({
      factory: d.watchFactory, clock: d.clock, log: d.log,
      ...(o.supervisorTimings ? { timings: o.supervisorTimings } : {}),
      onChange: () => { this.trigger.mark(); },
      onRestart: (spec) => { d.metrics.watchRestarts.inc({ role: spec.role }); },
    });
    this.events = new EventRecorder({ writer: d.writer, clock: d.clock, log: d.log, instance: o.identity });
    this.settings = new SettingsState(o.meshdoorName, d.settingsFromMeshDoor, d.log);
    this.kongStep = new KongStep({ backend: d.kong, translate: d.translate, metrics: d.metrics, clock: d.clock, log: d.log });
    this.reporter = new Reporter({
      writer: d.writer, statusWriter: new IngressStatusWriter({ writer: d.writer, log: d.log }),
      events: this.events, clock: d.clock, log: d.log,
    });
    this.adminTls = new AdminTlsStep({ writer: d.writer, clock: d.clock, log: d.log, ...(o.adminTlsPolicy ? { policy: o.adminTlsPolicy } : {}) });
    this.mesh = new GatewayMesh({
      writer: d.writer, events: this.events, clock: d.clock, log: d.log, restartUnmeshed: o.restartUnmeshedGateway,
      meshReader: new MeshReader({ api: d.meshApi, clock: d.clock, log: d.log }),
    });
    this.elector = o.leaderElection && d.leaseApi ? this.createElector(o.leaderElection, d.leaseApi) : undefined;
    this.poll = this.createPoll();
  }

  private createPoll(): GatewayPoll | undefined {
    const probe = this.d.kong.probe?.bind(this.d.kong);
    if (!probe || !this.o.gatewayPollMs) return undefined;
    return new GatewayPoll({
      periodMs: this.o.gatewayPollMs, clock: this.d.clock, probe,
      onChange: (gateway, why) => {
        this.d.log.info(`kong gateway ${why}; syncing now`, { gateway });
        // Perhaps another Kong version now: its mode and version are read again (what it rejects may differ).
        this.d.kong.forget?.(gateway);
        this.kongStep.invalidate();
        this.trigger.mark();
      },
    });
  }

  private createElector(election: NonNullable<ControllerOptions['leaderElection']>, api: LeaseApi): LeaderElector {
    return new LeaderElector({
      api, namespace: election.namespace, name: `meshdoor-${this.o.meshdoorName}`, identity: this.o.identity,
      clock: this.d.clock, log: this.d.log, ...(election.timings ? { timings: election.timings } : {}),
      onStartedLeading: () => { this.d.metrics.leader.set(1); this.trigger.mark(); },
      onStoppedLeading: () => { this.d.metrics.leader.set(0); this.trigger.mark(); },
    });
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

  /** Stop watches, let the in-flight pass finish, flush Events, release the Lease. */
  async stop(): Promise<void> {
    this.poll?.stop();
    await this.watches.stop();
    await this.trigger.stop();
    await this.events.idle();
    await this.elector?.stop();
    this.d.log.info('controller stopped', { meshdoor: this.o.meshdoorName });
  }

  private async pass(): Promise<void> {
    const started = this.d.clock.now();
    this.d.metrics.queueDepth.set(this.trigger.pending);
    try {
      this.d.metrics.syncCount.inc({ result: await this.passSteps() });
    } catch (err) {
      this.d.log.error('sync pass failed', { error: errorField(err) });
      this.d.metrics.syncCount.inc({ result: 'failed' });
      this.readiness.update({ lastSyncOk: false, lastError: errorField(err) });
      this.trigger.retryIn(PASS_ERROR_RETRY_MS);
    } finally {
      const durationMs = this.d.clock.now() - started;
      this.d.metrics.observeSyncMs(durationMs);
      this.d.log.debug('sync pass done', { durationMs });
      for (const [role, count] of this.watches.counts()) this.d.metrics.storeObjects.set({ role }, count);
    }
  }

  private async passSteps(): Promise<'ok' | 'failed' | 'waiting'> {
    if (!this.watches.roleSynced('meshdoor')) return this.waiting();
    const meshdoor = this.watches.list('meshdoor')[0];
    // Never serve (and push) defaults for a MeshDoor that does not exist.
    if (!meshdoor) return this.blocked(missingMeshDoorMessage(this.o.meshdoorName));
    this.unblock();
    const resolved = this.settings.resolve(meshdoor);
    if (!(await this.planSynced(resolved.settings))) {
      this.trigger.retryIn(this.softWaitMs);
      return this.waiting();
    }
    this.readiness.update({ cachesSynced: true, pendingWatches: [] });
    const snapshot = buildSnapshot(this.watches);
    const { settings } = resolved;
    const adminEndpointSlices = this.watches.list<V1EndpointSlice>('adminEndpoints');
    const leader = this.isLeader();
    this.seedFromStatus(resolved, leader);
    const deployment = this.watches.list<V1Deployment>('gatewayDeployment')[0];
    const tls = await this.adminTls.ensure({ settings, leader, secrets: this.watches.list<V1Secret>('adminTlsSecrets'), deployment });
    const gateways = withClientTls(discoverGateways({ settings, flagUrls: this.o.kongAdminUrls, adminEndpointSlices, ...(this.o.kongAdminServerName !== undefined ? { staticServerName: this.o.kongAdminServerName } : {}) }), tls.clientTls, this.o.staticClientTls !== undefined);
    const kong = await this.kongStep.run({
      snapshot, settings, gateways, leader, dblessPushFromAllReplicas: this.o.dblessPushFromAllReplicas,
      fingerprint: contentHash([snapshotFingerprint(snapshot), canonicalJson(settings), gatewayStateKey(adminEndpointSlices)]),
      resyncMs: this.o.resyncMs ?? 0, dblessCheckMs: this.o.dblessCheckMs ?? 0,
    });
    if (kong.result) {
      this.failureLog.update(mergeFailures(kong.result.failures, kong.report?.rejected ?? []));
      this.logExcluded(snapshot, settings);
    }
    if (kong.recheckInMs !== undefined) this.trigger.retryIn(kong.recheckInMs);
    this.poll?.update(kong.pushing ? gateways : [], kong.gatewayHashes);
    this.readiness.update({ pushing: kong.pushing, gateways: gateways.length, lastSyncOk: kong.ok, lastError: kong.error });
    if (kong.retryInMs !== undefined) this.trigger.retryIn(kong.retryInMs);
    const mesh = await this.mesh.ensure({
      settings, leader, deployment, templateAnnotations: tls.templateAnnotations,
      namespace: this.watches.list<V1Namespace>('gatewayNamespace')[0],
      pods: this.watches.list<V1Pod>('gatewayPods'),
      services: gatewayNamespaceServices(snapshot.services, this.watches.list<V1Service>('gatewayServices'), settings.gateway.namespace),
    });
    if (mesh.recheckInMs !== undefined) this.trigger.retryIn(mesh.recheckInMs);
    this.d.metrics.gatewayPods.set({ sidecar: 'true' }, mesh.pods.withSidecar);
    this.d.metrics.gatewayPods.set({ sidecar: 'false' }, mesh.pods.withoutSidecar.length);
    if (leader) {
      await this.reporter.report({
        resolved, snapshot, kong, mesh, gateways: gateways.length,
        publishService: this.watches.list<V1Service>('publishService')[0],
        flagPublishAddresses: this.o.publishStatusAddresses,
        kongByUrl: this.o.kongAdminUrls.length > 0 || settings.kongAdmin.urls.length > 0,
        backendEndpointSlices: settings.upstreamMode === 'endpoints' ? snapshot.endpointSlices : this.watches.list<V1EndpointSlice>('backendEndpoints'),
        ...(this.d.kong.rejections ? { kongRejections: rejectionsToStatus(this.d.kong.rejections.inUse()) } : {}),
        lastValid: this.kongStep.lastValid.servingEntries(),
        adminAccess: this.adminAccess(gateways, tls),
      });
    }
    return kong.ok === false ? 'failed' : 'ok';
  }

  /**
   * What the MeshDoor status keeps: once, what Kong rejected before a restart
   * (so the first push needs no extra POST) and the objects served in their last
   * valid version; on a replica that is not the leader, the latter on every pass,
   * so it pushes what the leader pushes.
   */
  private seedFromStatus(resolved: ResolvedSettings, leader: boolean): void {
    const status = resolved.meshdoor?.status;
    if (!leader) this.kongStep.lastValid.seed(lastValidFromStatus(status), true);
    if (this.statusSeeded) return;
    this.statusSeeded = true;
    const kept = rejectionsFromStatus(status);
    if (kept.length > 0 && this.d.kong.rejections) {
      this.d.kong.rejections.seed(kept);
      this.d.log.info('remembering kong rejections from the meshdoor status', { count: kept.length });
    }
    this.kongStep.lastValid.seed(lastValidFromStatus(status), false);
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
    const excluded = snapshot.ingresses.filter((ing) => !isIngressServed(ing, settings, index)).map((ing) => `${ing.metadata?.namespace ?? ''}/${ing.metadata?.name ?? ''}`);
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
    return this.watches.reconcile(desiredWatchSpecs({
      settings,
      meshdoorName: this.o.meshdoorName,
      watchNamespaces: this.o.watchNamespaces,
      ...(this.o.secretLabelSelector ? { secretLabelSelector: this.o.secretLabelSelector } : {}),
      ...(this.o.secretWatch ? { secretWatch: this.o.secretWatch } : {}),
      secretRefs: referencedSecrets(ingresses, this.watches.list('ingressClasses'), settings),
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

/** The Services the gateway check needs: every watched one, plus the gateway namespace's when that is not watched. */
function gatewayNamespaceServices(watched: readonly V1Service[], gatewayOnly: readonly V1Service[], namespace: string): V1Service[] {
  const seen = watched.some((s) => s.metadata?.namespace === namespace);
  return seen ? [...watched] : [...watched, ...gatewayOnly];
}

function withPodSelector(deployment: V1Deployment | undefined): { gatewayPodSelector?: string } {
  const selector = deploymentPodSelector(deployment);
  return selector ? { gatewayPodSelector: selector } : {};
}
