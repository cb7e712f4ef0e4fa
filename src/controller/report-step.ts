// What the leader reports after a pass: Ingress status for configured
// Ingresses, Events for failing and recovered objects, and the MeshDoor status.
import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import type { Clock } from '../kube/index.ts';
import type { EventRecorder } from '../kube/index.ts';
import { desiredLoadBalancerIngress, type IngressStatusWriter } from '../kube/index.ts';
import type { KubeWriter } from '../kube/index.ts';
import type { GatewayMeshState } from '../mesh/index.ts';
import { errorField, type Logger } from '../observe/index.ts';
import { classOwnershipProblem, SOURCE_KINDS, type KubeObject, type SourceKind } from '../translate/index.ts';
import { indexSnapshot, listChanges } from '../translate/index.ts';
import { objectKey, type ObjectRef, type TranslationFailure } from '../model/index.ts';
import type { Snapshot } from '../translate/index.ts';
import { noReadyEndpointFailures } from './backend-endpoints.ts';
import { FailureEvents, mergeFailures } from './failure-events.ts';
import { HostEvents } from './host-events.ts';
import { ObjectKeys } from './object-keys.ts';
import type { KongStepOutput } from './kong-step.ts';
import { foldServingLastValid, type LastValidEntry } from './last-valid.ts';
import { gatewayMeshStatusFields } from './gateway-mesh-status.ts';
import { desiredMeshDoorStatus, meshDoorStatusDiffers, type ConditionInput, type KongRejectionEntry, type MeshDoorStatus, type MeshDoorStatusInput } from './meshdoor-status.ts';
import type { ResolvedSettings } from './settings-state.ts';

export interface ReportInput {
  resolved: ResolvedSettings;
  snapshot: Snapshot;
  kong: KongStepOutput;
  /** What the gateway-in-mesh loop last found; undefined before its first check. */
  mesh?: GatewayMeshState;
  gateways: number;
  publishService: V1Service | undefined;
  /** `--publish-status-address` values; override the MeshDoor's. */
  flagPublishAddresses: readonly string[];
  /** Kong is given by URL (flag or MeshDoor) rather than found through its admin Service. */
  kongByUrl: boolean;
  /** EndpointSlices of the backends (the snapshot's in `endpoints` mode), to report Services without ready endpoints. */
  backendEndpointSlices: readonly V1EndpointSlice[];
  /** Kong rejections remembered per entity content, kept in the status across restarts. */
  kongRejections?: readonly KongRejectionEntry[];
  /** Objects served in their last valid version, kept in the status. */
  lastValid?: readonly LastValidEntry[];
  adminAccess?: MeshDoorStatusInput['adminAccess'];
  /** Optional resources the API server does not serve (`kongplugins.configuration.konghq.com`): read as none. */
  absentResources?: readonly string[];
}

export interface ReporterOptions {
  writer: Pick<KubeWriter, 'patchMeshDoorStatus'>;
  statusWriter: IngressStatusWriter;
  events: EventRecorder;
  clock: Clock;
  log: Logger;
  /** The controller's object keys, shared with its other steps (a memo of its own otherwise). */
  keys?: ObjectKeys;
}

function syncedCondition(input: ReportInput): ConditionInput {
  const { kong } = input;
  if (input.gateways === 0) {
    const admin = input.resolved.settings.kongAdmin;
    return { status: 'False', reason: 'NoGateways', message: `no ready endpoint of Kong admin Service ${admin.service ?? '(none)'} on port ${admin.portName}, and no static admin URL` };
  }
  if (kong.ok === undefined) return { status: 'Unknown', reason: 'Pending', message: 'waiting for the first sync' };
  if (!kong.ok) return { status: 'False', reason: 'SyncFailed', message: kong.error ?? 'sync failed' };
  const failing = new Set([...(kong.result?.failures ?? []), ...(kong.report?.rejected ?? [])].map((f) => objectKey(f.object))).size;
  return {
    status: 'True', reason: failing > 0 ? 'SyncedWithFailures' : 'Synced',
    message: `configuration applied to ${input.gateways} gateway(s)${failing > 0 ? `; ${failing} object(s) left out or served in their last valid version, see failingObjects` : ''}`,
  };
}

/** What a status walk decides each object by, besides the object itself. */
interface StatusWalk {
  objects: readonly KubeObject[];
  configured: readonly ObjectRef[];
  settings: ResolvedSettings['settings'];
  classes: Snapshot['IngressClass'];
  /** The addresses to publish, as JSON. */
  desired: string;
}

function sameStatusInputs(a: StatusWalk, b: StatusWalk): boolean {
  return a.configured === b.configured && a.settings === b.settings && a.classes === b.classes && a.desired === b.desired;
}

export class Reporter {
  private readonly failureEvents: FailureEvents;
  private readonly hostEvents: HostEvents;
  private statusWrittenFrom: string | undefined;
  private lastClassError: string | undefined;
  private lastAbsent = '';
  private readonly keys: ObjectKeys;
  /** What each source kind's last status walk was made from. */
  private readonly statusWalks = new Map<SourceKind['kind'], StatusWalk>();
  /** The last failures reported, the lists they were merged from, and how many objects they name. */
  private merged: { from: readonly (readonly TranslationFailure[])[]; failures: readonly TranslationFailure[]; objects: number } | undefined;
  /** The last NoReadyEndpoints answer, and the lists it was found from (the same lists give the same answer). */
  private unready: { from: readonly unknown[]; failures: TranslationFailure[] } | undefined;

  constructor(private readonly o: ReporterOptions) {
    this.keys = o.keys ?? new ObjectKeys();
    this.failureEvents = new FailureEvents(o.events, this.keys, o.clock);
    this.hostEvents = new HostEvents({ events: o.events, log: o.log });
  }

  async report(input: ReportInput): Promise<void> {
    const { failures, objects } = this.mergedFailures(input);
    if (input.kong.ok === true) {
      for (const source of SOURCE_KINDS) await this.ensureSourceStatus(input, source);
    }
    if (input.kong.result) {
      this.failureEvents.report(failures, input.kong.result.configured, (ref) => lookupUid(input.snapshot, ref));
      this.hostEvents.report(input.kong.result.hosts, input.resolved.settings.hostOwnership);
    }
    this.reportSpecError(input);
    const classError = ownClassProblem(input);
    this.reportClassError(input, classError);
    this.reportAbsentResources(input);
    await this.ensureMeshDoorStatus(input, { failures, objects }, classError);
  }

  /**
   * Translation failures, Kong rejections and Services without ready endpoints
   * as one list; the same lists (or empty ones again) give the same list, so
   * the steps after it can tell nothing changed.
   */
  private mergedFailures(input: ReportInput): { failures: readonly TranslationFailure[]; objects: number } {
    const from = [input.kong.result?.failures ?? [], input.kong.report?.rejected ?? [], this.unreadyServices(input)];
    const last = this.merged;
    if (last && from.every((list, i) => list === last.from[i] || (list.length === 0 && last.from[i]?.length === 0))) return last;
    const failures = foldServingLastValid(mergeFailures(...from));
    this.merged = { from, failures, objects: new Set(failures.map((f) => objectKey(f.object))).size };
    return this.merged;
  }

  /** Configured Services without a ready endpoint; found again only when one of the lists it reads changed. */
  private unreadyServices(input: ReportInput): TranslationFailure[] {
    const configured = input.kong.ok === true ? input.kong.result?.configured ?? [] : [];
    const from = [configured, input.snapshot.Service, input.backendEndpointSlices];
    const last = this.unready;
    if (last && from.every((list, i) => list === last.from[i])) return last.failures;
    const failures = noReadyEndpointFailures(this.keys.configured(configured), input.snapshot.Service, input.backendEndpointSlices, this.keys);
    this.unready = { from, failures };
    return failures;
  }

  /** Logged and recorded when it appears or changes, not on every pass. */
  private reportClassError(input: ReportInput, classError: string | undefined): void {
    const md = input.resolved.meshdoor;
    if (classError === this.lastClassError) return;
    this.lastClassError = classError;
    if (!classError) return;
    this.o.log.warn('ingress class not owned', { ingressClass: input.resolved.settings.ingressClass, message: classError });
    if (!md?.metadata?.name) return;
    this.o.events.record(
      { apiVersion: 'meshdoor.dev/v1alpha1', kind: 'MeshDoor', name: md.metadata.name, ...(md.metadata.uid ? { uid: md.metadata.uid } : {}) },
      'Warning', 'IngressClassNotOwned', classError,
    );
  }

  /** Said once per change (the watch logs it): resources whose CRDs are not installed are read as none. */
  private reportAbsentResources(input: ReportInput): void {
    const absent = [...(input.absentResources ?? [])].sort().join(', ');
    const md = input.resolved.meshdoor;
    if (absent === this.lastAbsent || !md?.metadata?.name) return;
    this.lastAbsent = absent;
    if (absent === '') return;
    this.o.events.record(
      { apiVersion: 'meshdoor.dev/v1alpha1', kind: 'MeshDoor', name: md.metadata.name, ...(md.metadata.uid ? { uid: md.metadata.uid } : {}) },
      'Warning', 'CustomResourcesNotInstalled',
      `the API server does not serve ${absent}: read as none (konghq.com/plugins references to them fail, no consumers); install the CRDs of deploy/crds to use them, meshdoor picks them up without a restart`,
    );
  }

  /**
   * The status of one source kind's objects, written the way the kind reports
   * (its `status`). It runs after every sync: when only objects changed since
   * the last time (the same configured list, settings, classes and addresses,
   * and every write then went through), only those are looked at.
   */
  private async ensureSourceStatus(input: ReportInput, source: (typeof SOURCE_KINDS)[number]): Promise<void> {
    const writers: Record<SourceKind['status'], IngressStatusWriter> = { loadBalancer: this.o.statusWriter };
    const writer = writers[source.status];
    const configuredList = input.kong.result?.configured ?? [];
    const configured = this.keys.configured(configuredList);
    const addresses = input.flagPublishAddresses.length > 0 ? input.flagPublishAddresses : input.resolved.settings.publishAddresses;
    const desired = desiredLoadBalancerIngress(addresses, input.publishService);
    const objects = input.snapshot[source.kind];
    const walk: StatusWalk = { objects, configured: configuredList, settings: input.resolved.settings, classes: input.snapshot.IngressClass, desired: JSON.stringify(desired) };
    const last = this.statusWalks.get(source.kind);
    this.statusWalks.set(source.kind, walk);
    const changed = last !== undefined && writer.settled && sameStatusInputs(last, walk) ? listChanges(last.objects, objects).added : undefined;
    const index = indexSnapshot(input.snapshot);
    const served: (typeof objects)[number][] = [];
    // Ours (of our class) but none of its paths is served: it must not advertise the gateway's address.
    const unserved: (typeof objects)[number][] = [];
    for (const obj of changed ?? objects) {
      if (configured.has(this.keys.of(source.kind, obj))) served.push(obj);
      else if (source.isOwn(obj, input.resolved.settings, index)) unserved.push(obj);
    }
    const written = await writer.ensure(served, desired, unserved, changed === undefined);
    if (written > 0) this.o.log.info('updated ingress status', { count: written });
  }

  private reportSpecError(input: ReportInput): void {
    const md = input.resolved.meshdoor;
    if (!input.resolved.specError || !md?.metadata?.name) return;
    this.o.events.record(
      { apiVersion: 'meshdoor.dev/v1alpha1', kind: 'MeshDoor', name: md.metadata.name, ...(md.metadata.uid ? { uid: md.metadata.uid } : {}) },
      'Warning', 'InvalidSpec', input.resolved.specError,
    );
  }

  private async ensureMeshDoorStatus(input: ReportInput, failing: { failures: readonly TranslationFailure[]; objects: number }, classError: string | undefined): Promise<void> {
    const md = input.resolved.meshdoor;
    const name = md?.metadata?.name;
    const { mesh } = input;
    // Until the gateway check ran once, GatewayInMesh is not known: its finding marks the next pass.
    if (!md || !name || !mesh) return;
    const previous = md.status as Partial<MeshDoorStatus> | undefined;
    const next = desiredMeshDoorStatus({
      previous, now: this.o.clock.now(), synced: syncedCondition(input), gatewayInMesh: mesh.condition,
      gateways: input.gateways, pods: mesh.pods, failures: failing.failures, failingObjectCount: failing.objects,
      gatewayUnmanaged: input.kongByUrl && mesh.condition.reason === 'GatewayNotFound',
      ...(md.metadata?.generation !== undefined ? { generation: md.metadata.generation } : {}),
      ...(input.resolved.specError ? { specError: input.resolved.specError } : {}),
      ...(classError ? { classError } : {}),
      ...kongFacts(input),
      ...(input.adminAccess ? { adminAccess: input.adminAccess } : {}),
    });
    Object.assign(next, gatewayMeshStatusFields(mesh));
    if (!meshDoorStatusDiffers(previous, next)) return;
    const rv = md.metadata?.resourceVersion;
    if (rv !== undefined && rv === this.statusWrittenFrom) return;
    // A merge patch keeps what it does not name: fields gone from the status are removed explicitly.
    const body: Record<string, unknown> = { ...next };
    for (const key of Object.keys(previous ?? {})) if (!(key in body)) body[key] = null;
    try {
      await this.o.writer.patchMeshDoorStatus(name, body);
      this.statusWrittenFrom = rv;
    } catch (err) {
      this.o.log.warn('writing meshdoor status failed', { object: `MeshDoor/${name}`, error: errorField(err) });
    }
  }
}

/** What the last pass learned from Kong, for the status. */
function kongFacts(input: ReportInput): Partial<MeshDoorStatusInput> {
  const { kong } = input;
  return {
    ...(kong.held ? { held: kong.held } : {}),
    ...(input.kongRejections ? { kongRejections: input.kongRejections } : {}),
    ...(input.lastValid ? { lastValid: input.lastValid } : {}),
    ...(kong.result ? { config: kong.result.config } : {}),
    ...(kong.result?.hosts ? { hosts: kong.result.hosts } : {}),
    ...(kong.configHash ? { configHash: kong.configHash } : {}),
    ...(kong.lastSyncTime !== undefined ? { lastSyncTime: kong.lastSyncTime } : {}),
  };
}

function ownClassProblem(input: ReportInput): string | undefined {
  const classes = input.snapshot.IngressClass;
  return classOwnershipProblem(input.resolved.settings, { lookupIngressClass: (name) => classes.find((c) => c.metadata?.name === name) });
}

function lookupUid(snapshot: Snapshot, ref: ObjectRef): string | undefined {
  const lists: Partial<Record<ObjectRef['kind'], readonly KubeObject[]>> = snapshot;
  return lists[ref.kind]?.find((o) => o.metadata?.name === ref.name && (o.metadata.namespace ?? undefined) === ref.namespace)?.metadata?.uid;
}
