// An in-memory stand-in for the API server, for feature tests: watch sources
// that honour namespace/label/field selectors, a recording KubeWriter, and a
// Lease API with resourceVersion conflicts. Failures can be injected.
import type { CoreV1Event, KubernetesObject, V1Lease, V1ObjectMeta } from '@kubernetes/client-node';
import { applyMergePatch } from './merge-patch.ts';
import type { KubeWriter, MergePatch } from './kube-writer.ts';
import type { LeaseApi } from './lease-api.ts';
import type { WatchHandlers, WatchKind, WatchSource, WatchSourceFactory, WatchSpec } from './watch-source.ts';

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

  readonly writer: KubeWriter = {
    patchIngressStatus: (namespace, name, status) => this.write({ op: 'ingressStatus', namespace, name, body: status }, () => {
      this.patch('Ingress', namespace, name, { status: status });
    }),
    patchDeployment: (namespace, name, patch) => this.write({ op: 'deployment', namespace, name, body: patch }, () => {
      this.patch('Deployment', namespace, name, patch);
    }),
    patchNamespace: (name, patch) => this.write({ op: 'namespace', name, body: patch }, () => {
      this.patch('Namespace', undefined, name, patch);
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
