// An in-memory stand-in for the API server, for feature tests: watch sources
// that honour namespace/label/field selectors, a recording KubeWriter, and a
// Lease API with resourceVersion conflicts. Failures can be injected.
import type { CoreV1Event, KubernetesObject, V1Deployment, V1Lease, V1ManagedFieldsEntry, V1ObjectMeta, V1Volume } from '@kubernetes/client-node';
import {
  isOwnApplyEntry, ownedLabels, ownedTemplateKeys, templateFieldSet, templateKeysOf,
} from '../../src/mesh/managed-fields.ts';
import { applyMergePatch } from './merge-patch.ts';
import { FIELD_MANAGER, type KubeWriter, type MergePatch } from '../../src/kube/kube-writer.ts';
import type { LeaseApi } from '../../src/kube/lease-api.ts';
import type { WatchHandlers, WatchKind, WatchSource, WatchSourceFactory, WatchSpec } from '../../src/kube/watch-source.ts';

export interface RecordedWrite {
  op: 'ingressStatus' | 'deployment' | 'namespace' | 'meshdoorStatus' | 'secret';
  namespace?: string;
  name: string;
  body: unknown;
}

class ApiError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

/** The managedFields an apply of these namespace labels leaves (what the API server records). */
function labelFieldSet(labels: Iterable<string>): Record<string, unknown> {
  return { 'f:metadata': { 'f:labels': Object.fromEntries([...labels].map((k) => [`f:${k}`, {}])) } };
}

function matchesSelector(labels: Record<string, string>, selector: string | undefined): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [key = '', value] = term.split('=').map((s) => s.trim());
    return value === undefined ? key in labels : labels[key] === value;
  });
}

function matchesFields(obj: KubernetesObject, selector: string | undefined): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [field, value] = term.split('=');
    if (field === 'metadata.name') return obj.metadata?.name === value;
    if (field === 'metadata.namespace') return obj.metadata?.namespace === value;
    if (field === 'type') return (obj as { type?: string }).type === value;
    return true;
  });
}

function matches(spec: WatchSpec, obj: KubernetesObject): boolean {
  if (obj.kind !== spec.kind) return false;
  if (spec.namespace && obj.metadata?.namespace !== spec.namespace) return false;
  return matchesSelector(obj.metadata?.labels ?? {}, spec.labelSelector) && matchesFields(obj, spec.fieldSelector);
}

// The API server parses Lease times with 6 fractional digits and rejects others.
const MICRO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

function key(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

interface Maps {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A map after an apply: previously owned keys dropped, applied keys set, the rest kept. */
function applyMap(current: Record<string, string> | undefined, owned: Set<string>, applied: Record<string, string>): Record<string, string> {
  const kept = Object.entries(current ?? {}).filter(([k]) => !owned.has(k));
  return { ...Object.fromEntries(kept), ...applied };
}

/** meshdoor's template keys that no other manager owns too: those an apply may remove. */
function solelyOwnedTemplateKeys(meta: V1ObjectMeta | undefined): ReturnType<typeof ownedTemplateKeys> {
  const owned = ownedTemplateKeys(meta);
  for (const entry of (meta?.managedFields ?? []).filter((e) => !isOwnApplyEntry(e))) {
    const theirs = templateKeysOf(entry.fieldsV1);
    for (const k of theirs.labels) owned.labels.delete(k);
    for (const k of theirs.annotations) owned.annotations.delete(k);
  }
  return owned;
}

function withOwnEntry(entries: V1ManagedFieldsEntry[] | undefined, apiVersion: string, fieldsV1: object): V1ManagedFieldsEntry[] {
  const others = (entries ?? []).filter((e) => !isOwnApplyEntry(e));
  return [...others, { manager: FIELD_MANAGER, operation: 'Apply', apiVersion, fieldsType: 'FieldsV1', fieldsV1 }];
}

class FakeSource implements WatchSource {
  handlers: WatchHandlers<KubernetesObject> | undefined;
  /** A stalled watch stays open but receives nothing (a half-open connection). */
  stalled = false;
  constructor(readonly cluster: FakeCluster, readonly spec: WatchSpec) {}

  start(handlers: WatchHandlers<KubernetesObject>): Promise<readonly KubernetesObject[]> {
    return this.cluster.startSource(this, handlers);
  }

  stop(): Promise<void> {
    this.cluster.stopSource(this);
    return Promise.resolve();
  }
}

export class FakeCluster {
  readonly writes: RecordedWrite[] = [];
  readonly events: CoreV1Event[] = [];
  /** Number of list calls per kind (each source start lists). */
  readonly lists = new Map<WatchKind, number>();
  private readonly objects = new Map<string, KubernetesObject>();
  private readonly sources = new Set<FakeSource>();
  private readonly failingStarts = new Map<WatchKind, number>();
  /** Kinds whose CRD is not installed: their lists answer 404. */
  private readonly absentKinds = new Set<WatchKind>();
  private readonly failingWrites = new Map<RecordedWrite['op'] | 'event' | 'lease', number>();
  private rv = 1;
  private uid = 1;

  readonly watchFactory: WatchSourceFactory = (spec) => new FakeSource(this, spec);

  /** Creates or replaces an object (like `kubectl apply`), notifying matching watches. */
  apply<T extends KubernetesObject>(obj: T): T {
    return this.store(obj, true);
  }

  /** Stores and announces an object; `newGeneration` is false for status-only writes. */
  private store<T extends KubernetesObject>(obj: T, newGeneration: boolean): T {
    const copy = structuredClone(obj);
    const k = key(copy.kind ?? '', copy.metadata?.namespace, copy.metadata?.name ?? '');
    const existing = this.objects.get(k);
    copy.metadata = { ...copy.metadata, ...this.serverMetadata(copy, existing, newGeneration) };
    this.objects.set(k, copy);
    for (const source of this.sources) {
      if (!source.stalled && matches(source.spec, copy)) source.handlers?.onUpsert(structuredClone(copy));
    }
    return structuredClone(copy);
  }

  /** The metadata the API server owns: uid, resourceVersion, creationTimestamp, generation. */
  private serverMetadata(obj: KubernetesObject, existing: KubernetesObject | undefined, newGeneration: boolean): V1ObjectMeta {
    const generation = existing?.metadata?.generation ?? 0;
    return {
      uid: existing?.metadata?.uid ?? obj.metadata?.uid ?? `uid-${this.uid++}`,
      resourceVersion: String(this.rv++),
      creationTimestamp: existing?.metadata?.creationTimestamp ?? new Date(0),
      generation: newGeneration ? generation + 1 : generation,
    };
  }

  remove(kind: WatchKind, namespace: string | undefined, name: string): void {
    const k = key(kind, namespace, name);
    const existing = this.objects.get(k);
    if (!existing) return;
    this.objects.delete(k);
    for (const source of this.sources) {
      if (!source.stalled && matches(source.spec, existing)) source.handlers?.onDelete(structuredClone(existing));
    }
  }

  get<T extends KubernetesObject>(kind: WatchKind, namespace: string | undefined, name: string): T | undefined {
    const obj = this.objects.get(key(kind, namespace, name));
    return obj ? structuredClone(obj) as T : undefined;
  }

  /** The next `count` starts of watches of this kind fail (list error). */
  failStarts(kind: WatchKind, count: number): void {
    this.failingStarts.set(kind, count);
  }

  /** The kind's CRD is removed: lists answer 404 and live watches break with 404, as the API server does. */
  uninstallKind(kind: WatchKind): void {
    this.absentKinds.add(kind);
    this.breakWatches(kind, new ApiError(404, `the server could not find the requested resource (${kind})`));
  }

  /** The kind's CRD is installed again: lists succeed. */
  installKind(kind: WatchKind): void {
    this.absentKinds.delete(kind);
  }

  /** Breaks every live watch of this kind, as a dropped connection or 403 would. */
  breakWatches(kind: WatchKind, err: Error = new ApiError(500, 'watch broke')): void {
    for (const source of [...this.sources]) {
      if (source.spec.kind !== kind) continue;
      this.sources.delete(source);
      source.handlers?.onError(err);
    }
  }

  /** Live watches of this kind silently stop receiving events, without an error. */
  stallWatches(kind: WatchKind): void {
    for (const source of this.sources) if (source.spec.kind === kind) source.stalled = true;
  }

  /** The next `count` writes of this kind fail with the given HTTP status. */
  failWrites(op: RecordedWrite['op'] | 'event' | 'lease', count: number): void {
    this.failingWrites.set(op, count);
  }

  liveWatches(kind?: WatchKind): WatchSpec[] {
    return [...this.sources].filter((s) => s.handlers && (!kind || s.spec.kind === kind)).map((s) => s.spec);
  }

  startSource(source: FakeSource, handlers: WatchHandlers<KubernetesObject>): Promise<readonly KubernetesObject[]> {
    const kind = source.spec.kind;
    this.lists.set(kind, (this.lists.get(kind) ?? 0) + 1);
    if (this.absentKinds.has(kind)) return Promise.reject(new ApiError(404, `the server could not find the requested resource (${kind})`));
    const failing = this.failingStarts.get(kind) ?? 0;
    if (failing > 0) {
      this.failingStarts.set(kind, failing - 1);
      return Promise.reject(new ApiError(503, `list ${kind} failed`));
    }
    source.handlers = handlers;
    this.sources.add(source);
    const items = [...this.objects.values()].filter((o) => matches(source.spec, o)).map((o) => structuredClone(o));
    return Promise.resolve(items);
  }

  stopSource(source: FakeSource): void {
    this.sources.delete(source);
  }

  private maybeFail(op: RecordedWrite['op'] | 'event' | 'lease'): void {
    const failing = this.failingWrites.get(op) ?? 0;
    if (failing > 0) {
      this.failingWrites.set(op, failing - 1);
      throw new ApiError(500, `${op} write failed`);
    }
  }

  private patch(kind: WatchKind, namespace: string | undefined, name: string, patch: MergePatch): void {
    const existing = this.objects.get(key(kind, namespace, name));
    if (!existing) throw new ApiError(404, `${kind} ${name} not found`);
    const next = applyMergePatch(existing, patch) as KubernetesObject;
    // Status writes do not move metadata.generation on a real API server (nor in the watch event).
    this.store(next, !('status' in patch) || 'spec' in patch);
  }

  /**
   * Server-side apply, as far as meshdoor uses it: the label / annotation maps
   * and keyed volume list named by the body become meshdoor's; keys its
   * previous apply owned and this one leaves out are removed; others stay.
   */
  private applyTemplate(namespace: string, name: string, body: Record<string, unknown>): void {
    const existing: V1Deployment | undefined = this.objects.get(key('Deployment', namespace, name));
    const template = existing?.spec?.template;
    if (!existing || !template) throw new ApiError(404, `Deployment ${name} not found`);
    const next = structuredClone(existing) as V1Deployment & { spec: { template: typeof template } };
    const applied = (body as { spec?: { template?: { metadata?: Maps; spec?: { volumes?: V1Volume[] } } } }).spec?.template;
    const owned = solelyOwnedTemplateKeys(existing.metadata);
    const labels = applied?.metadata?.labels ?? {};
    const annotations = applied?.metadata?.annotations ?? {};
    const volumes = applied?.spec?.volumes ?? [];
    const meta = next.spec.template.metadata ?? {};
    next.spec.template.metadata = { ...meta, labels: applyMap(meta.labels, owned.labels, labels), annotations: applyMap(meta.annotations, owned.annotations, annotations) };
    const podSpec = next.spec.template.spec;
    if (podSpec) {
      const kept = (podSpec.volumes ?? []).filter((v) => !owned.volumes.has(v.name) && !volumes.some((w) => w.name === v.name));
      podSpec.volumes = [...kept, ...volumes];
    }
    const fields = templateFieldSet({ labels: Object.keys(labels), annotations: Object.keys(annotations), volumes: volumes.map((v) => v.name) });
    next.metadata = { ...next.metadata, managedFields: withOwnEntry(next.metadata?.managedFields, 'apps/v1', fields) };
    this.store(next, true);
  }

  private applyNamespaceLabels(name: string, body: Record<string, unknown>): void {
    const existing = this.objects.get(key('Namespace', undefined, name));
    if (!existing) throw new ApiError(404, `Namespace ${name} not found`);
    const labels = (body as { metadata?: Maps }).metadata?.labels ?? {};
    const next = structuredClone(existing);
    next.metadata = {
      ...next.metadata,
      labels: applyMap(next.metadata?.labels, ownedLabels(existing.metadata), labels),
      managedFields: withOwnEntry(next.metadata?.managedFields, 'v1', labelFieldSet(Object.keys(labels))),
    };
    this.store(next, false);
  }

  readonly writer: KubeWriter = {
    patchIngressStatus: (namespace, name, status) => this.write({ op: 'ingressStatus', namespace, name, body: status }, () => {
      this.patch('Ingress', namespace, name, { status: status });
    }),
    patchDeployment: (namespace, name, patch) => this.write({ op: 'deployment', namespace, name, body: patch }, () => {
      this.patch('Deployment', namespace, name, patch);
    }),
    applyDeployment: (namespace, name, body) => this.write({ op: 'deployment', namespace, name, body }, () => {
      this.applyTemplate(namespace, name, body);
    }),
    rewriteDeploymentManagedFields: async (namespace, name, rewrite) => {
      await Promise.resolve();
      const existing = this.objects.get(key('Deployment', namespace, name));
      if (!existing) throw new ApiError(404, `Deployment ${name} not found`);
      const next = rewrite(structuredClone(existing.metadata?.managedFields));
      if (!next) return false;
      this.writes.push({ op: 'deployment', namespace, name, body: { managedFields: next } });
      this.store({ ...structuredClone(existing), metadata: { ...existing.metadata, managedFields: next } }, false);
      return true;
    },
    applyNamespace: (name, body) => this.write({ op: 'namespace', name, body }, () => {
      this.applyNamespaceLabels(name, body);
    }),
    patchMeshDoorStatus: (name, status) => this.write({ op: 'meshdoorStatus', name, body: status }, () => {
      this.patch('MeshDoor', undefined, name, { status });
    }),
    patchSecret: (namespace, name, patch) => this.write({ op: 'secret', namespace, name, body: patch }, () => {
      this.patch('Secret', namespace, name, patch);
    }),
    createSecret: (secret) => this.write({ op: 'secret', namespace: secret.metadata?.namespace, name: secret.metadata?.name ?? '', body: secret }, () => {
      if (this.objects.has(key('Secret', secret.metadata?.namespace, secret.metadata?.name ?? ''))) throw new ApiError(409, 'secret already exists');
      this.store({ apiVersion: 'v1', kind: 'Secret', ...secret }, true);
    }),
    createEvent: async (event) => {
      await Promise.resolve();
      this.maybeFail('event');
      this.events.push(structuredClone(event));
    },
  };

  private async write(record: RecordedWrite, apply: () => void): Promise<void> {
    await Promise.resolve();
    this.maybeFail(record.op);
    this.writes.push(structuredClone(record));
    apply();
  }

  private readonly leases = new Map<string, V1Lease>();

  readonly leaseApi: LeaseApi = {
    get: (namespace, name) => Promise.resolve(this.readLease(namespace, name)),
    create: (namespace, lease) => this.writeLease(namespace, lease, true),
    replace: (namespace, _name, lease) => this.writeLease(namespace, lease, false),
  };

  readLease(namespace: string, name: string): V1Lease | undefined {
    const lease = this.leases.get(`${namespace}/${name}`);
    return lease ? JSON.parse(JSON.stringify(lease)) as V1Lease : undefined;
  }

  private async writeLease(namespace: string, lease: V1Lease, create: boolean): Promise<V1Lease> {
    await Promise.resolve();
    const k = `${namespace}/${lease.metadata?.name ?? ''}`;
    const current = this.leases.get(k);
    this.maybeFail('lease');
    if (create && current) throw new ApiError(409, 'lease already exists');
    if (!create && !current) throw new ApiError(404, 'lease not found');
    if (!create && current?.metadata?.resourceVersion !== lease.metadata?.resourceVersion) {
      throw new ApiError(409, 'the object has been modified');
    }
    // Round-trip through JSON as the wire does: MicroTime becomes its 6-digit string.
    const stored = JSON.parse(JSON.stringify(lease)) as V1Lease;
    const badTime = [stored.spec?.acquireTime, stored.spec?.renewTime]
      .find((t) => t !== undefined && !MICRO_TIME.test(String(t)));
    if (badTime !== undefined) throw new ApiError(400, `invalid MicroTime ${String(badTime)}`);
    stored.metadata = { ...stored.metadata, namespace, resourceVersion: String(this.rv++) };
    this.leases.set(k, stored);
    return JSON.parse(JSON.stringify(stored)) as V1Lease;
  }
}
