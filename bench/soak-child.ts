// The controller pipeline under steady churn in a fresh process (spawned by the
// soak workload): N generated Ingresses with their Services, Secrets and
// EndpointSlices (upstream mode `endpoints`, so EndpointSlice changes matter),
// converged to the Kong double at the given URL, then `rate` changes per second
// for `minutes`: path edits, EndpointSlice port flips, Ingress deletes and
// re-creations, Service annotation touches, and every `rejectEveryS` seconds an
// Ingress that the Kong double rejects (created, and deleted half a period later).
// The periodic relist is disabled, so it cannot hide a leak. Every 30 s a full GC
// measures the live heap. Reports one JSON line.
// Usage: node --expose-gc <soak-child.js compiled by workloads/soak.ts> <n> <kongUrl> <minutes> <rate> <rejectEveryS>
// (or: node --import tsx bench/soak-child.ts …)
import type { KubernetesObject, V1EndpointSlice, V1Ingress, V1Service } from '@kubernetes/client-node';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import process from 'node:process';
import { parseControllerFlags } from '../src/controller/controller-flags.ts';
import { FakeCluster } from '../test/kube/fake-cluster.ts';
import { SOAK_REJECTED, editIngress, generateCluster, seededRandom, soakRejectedIngress } from './generate.ts';
import { benchMeshDoor, startInProcessController } from './in-process.ts';
import type { PostEvent } from './in-process.ts';
import { sleep, waitUntil } from './wait.ts';

const QUIET_MS = 3000;
const SAMPLE_MS = 1000;
/** A full GC this often measures the live heap (its pause is in the lag figures). */
const LIVE_HEAP_MS = 30_000;
const MIB = 2 ** 20;
export interface SoakSample {
  /** Seconds since the churn started. */
  t: number;
  heapUsedMiB: number;
  rssMiB: number;
}

/** Heap used right after a full GC: the live heap. */
export interface LiveHeapSample {
  t: number;
  liveHeapMiB: number;
}

export interface SoakMinute {
  minute: number;
  heapUsedMinMiB: number;
  rssMaxMiB: number;
  lagP99Ms: number;
  lagMaxMs: number;
  pushes: number;
  changes: number;
}

export interface SoakReport {
  n: number;
  minutes: number;
  rate: number;
  convergeMs: number;
  samples: SoakSample[];
  liveHeap: LiveHeapSample[];
  perMinute: SoakMinute[];
  /** Path edit → the POST /config carrying it leaving the controller, while no Ingress Kong rejects exists. */
  changeToPostMs: number[];
  /** The same while the Ingress Kong rejects exists (a sync then POSTs twice: refused, then without it). */
  changeToPostRejectingMs: number[];
  /** POST /config sent → Kong (double) answered. */
  pushMs: number[];
  holdoffMs: number;
  maxDelayMs: number;
  peakRssMiB: number;
  /** Live heap with only the fake API server's objects loaded, before the controller started. */
  sourceHeapMiB: number;
}

function endpointSliceFor(service: V1Service): V1EndpointSlice | undefined {
  const port = service.spec?.ports?.[0];
  if (service.spec?.type !== 'ClusterIP' || !port) return undefined;
  const { namespace = '', name = '' } = service.metadata ?? {};
  const index = Number(name.replace(/\D/g, ''));
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { namespace, name: `${name}-soak`, labels: { 'kubernetes.io/service-name': name } },
    addressType: 'IPv4',
    ports: [{ ...(port.name ? { name: port.name } : {}), port: 8080, protocol: 'TCP' }],
    endpoints: [1, 2].map((host) => ({ addresses: [`10.${(index >> 8) & 255}.${index & 255}.${host}`], conditions: { ready: true } })),
  };
}

interface Named { namespace: string; name: string }

const named = (obj: KubernetesObject): Named => ({ namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '' });

/** The fake API server holds the only copy of the objects; the churn keeps their names. */
function loadCluster(n: number): { cluster: FakeCluster; ingresses: Named[]; services: Named[]; slices: Named[] } {
  const { snapshot } = generateCluster({ n });
  const slices = snapshot.Service.map(endpointSliceFor).filter((s): s is V1EndpointSlice => s !== undefined);
  const meshdoor = { ...benchMeshDoor(), spec: { upstreamMode: 'endpoints' } };
  const cluster = new FakeCluster();
  const objects: KubernetesObject[] = [meshdoor, ...snapshot.IngressClass, ...snapshot.Service, ...snapshot.Secret, ...slices, ...snapshot.Ingress];
  for (const obj of objects) cluster.apply(obj);
  return { cluster, ingresses: snapshot.Ingress.map(named), services: snapshot.Service.map(named), slices: slices.map(named) };
}

/** Strips what the API server sets, so applying it again is a re-creation. */
function recreated(ingress: V1Ingress): V1Ingress {
  const { uid: _uid, resourceVersion: _rv, creationTimestamp: _created, generation: _gen, ...metadata } = ingress.metadata ?? {};
  return { ...ingress, metadata };
}

class Churn {
  private round = 0;
  private deleted: V1Ingress | undefined;
  private rejectedLive = false;
  readonly random = seededRandom(23);
  /** Path edits waiting for the push that carries them: token → when applied. */
  readonly pending = new Map<string, { at: number; rejecting: boolean }>();
  changes = 0;

  constructor(private readonly cluster: FakeCluster, private readonly ingresses: readonly Named[],
    private readonly services: readonly Named[], private readonly slices: readonly Named[]) {}

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)] as T;
  }

  private current<T extends KubernetesObject>(kind: 'Ingress' | 'Service' | 'EndpointSlice', which: Named): T | undefined {
    return this.cluster.get<T>(kind, which.namespace, which.name);
  }

  /** One change of the kind whose turn it is (five kinds in turn). */
  step(): void {
    this.round += 1;
    this.changes += 1;
    switch (this.round % 5) {
      case 0: this.editPath(); break;
      case 1: this.flipSlicePort(); break;
      case 2: this.deleteIngress(); break;
      case 3: this.touchService(); break;
      default: this.recreateIngress(); break;
    }
  }

  private editPath(): void {
    const ingress = this.current<V1Ingress>('Ingress', this.pick(this.ingresses));
    if (!ingress) return;
    this.pending.set(`/edited/r${this.round}`, { at: performance.now(), rejecting: this.rejectedLive });
    this.cluster.apply(editIngress(ingress, this.round));
  }

  private flipSlicePort(): void {
    const slice = this.current<V1EndpointSlice>('EndpointSlice', this.pick(this.slices));
    const port = slice?.ports?.[0];
    if (!slice || !port) return;
    port.port = port.port === 8080 ? 8081 : 8080;
    this.cluster.apply(slice);
  }

  private deleteIngress(): void {
    if (this.deleted) return;
    const ingress = this.current<V1Ingress>('Ingress', this.pick(this.ingresses));
    if (!ingress) return;
    this.deleted = ingress;
    this.cluster.remove('Ingress', ingress.metadata?.namespace, ingress.metadata?.name ?? '');
  }

  private recreateIngress(): void {
    if (!this.deleted) return;
    this.cluster.apply(recreated(this.deleted));
    this.deleted = undefined;
  }

  private touchService(): void {
    const service = this.current<V1Service>('Service', this.pick(this.services));
    if (!service) return;
    service.metadata = { ...service.metadata, annotations: { ...service.metadata?.annotations, 'soak.meshdoor.dev/touched': String(this.round) } };
    this.cluster.apply(service);
  }

  /** Adds the Ingress Kong rejects, or removes it again. */
  toggleRejected(): void {
    this.changes += 1;
    if (this.rejectedLive) this.cluster.remove('Ingress', SOAK_REJECTED.namespace, SOAK_REJECTED.name);
    else this.cluster.apply(soakRejectedIngress());
    this.rejectedLive = !this.rejectedLive;
  }
}

/** Heap used right after a full GC (needs --expose-gc). */
function liveHeapMiB(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  gc();
  return process.memoryUsage().heapUsed / MIB;
}

/** Per-second samples and per-minute figures of this process. */
class Sampler {
  readonly samples: SoakSample[] = [];
  readonly perMinute: SoakMinute[] = [];
  private readonly lag = monitorEventLoopDelay({ resolution: 10 });
  private minute: SoakSample[] = [];
  private pushesAtMinute = 0;
  private changesAtMinute = 0;

  constructor(private readonly started: number) {
    this.lag.enable();
  }

  readonly liveHeap: LiveHeapSample[] = [];

  sampleLiveHeap(): void {
    this.liveHeap.push({ t: (performance.now() - this.started) / 1000, liveHeapMiB: liveHeapMiB() });
  }

  sample(): void {
    const usage = process.memoryUsage();
    const sample = { t: (performance.now() - this.started) / 1000, heapUsedMiB: usage.heapUsed / MIB, rssMiB: usage.rss / MIB };
    this.samples.push(sample);
    this.minute.push(sample);
  }

  closeMinute(pushes: number, changes: number): void {
    this.perMinute.push({
      minute: this.perMinute.length + 1,
      heapUsedMinMiB: Math.min(...this.minute.map((s) => s.heapUsedMiB)),
      rssMaxMiB: Math.max(...this.minute.map((s) => s.rssMiB)),
      lagP99Ms: this.lag.percentile(99) / 1e6,
      lagMaxMs: this.lag.max / 1e6,
      pushes: pushes - this.pushesAtMinute,
      changes: changes - this.changesAtMinute,
    });
    this.lag.reset();
    this.minute = [];
    this.pushesAtMinute = pushes;
    this.changesAtMinute = changes;
  }
}

function parseArgs(): { n: number; kongUrl: string; minutes: number; rate: number; rejectEveryS: number } {
  const [nArg, kongUrl, minutesArg, rateArg, rejectArg] = process.argv.slice(2);
  const [n, minutes, rate, rejectEveryS] = [nArg, minutesArg, rateArg, rejectArg].map(Number);
  if (!kongUrl || !Number.isInteger(n) || !(Number(minutes) > 0) || !(Number(rate) > 0) || !(Number(rejectEveryS) > 0)) {
    throw new Error('usage: soak-child.ts <n> <kongUrl> <minutes> <changes per second> <reject every s>');
  }
  return { n: n as number, kongUrl, minutes: minutes as number, rate: rate as number, rejectEveryS: rejectEveryS as number };
}

async function main(): Promise<void> {
  const { n, kongUrl, minutes, rate, rejectEveryS } = parseArgs();
  const { syncHoldoffMs: holdoffMs, syncMaxDelayMs: maxDelayMs } = parseControllerFlags([]);
  const started = performance.now();
  const { cluster, ingresses, services, slices } = loadCluster(n);
  const churn = new Churn(cluster, ingresses, services, slices);
  const sourceHeapMiB = liveHeapMiB();
  process.stderr.write(`fake API server loaded: live heap ${sourceHeapMiB.toFixed(1)} MiB before the controller starts\n`);
  const changeToPostMs: number[] = [];
  const changeToPostRejectingMs: number[] = [];
  const pushMs: number[] = [];
  let pushes = 0;
  let lastDoneAt = Number.POSITIVE_INFINITY;
  const onPost = (event: PostEvent): void => {
    pushes += 1;
    for (const [token, { at, rejecting }] of churn.pending) {
      if (!event.body?.includes(token)) continue;
      (rejecting ? changeToPostRejectingMs : changeToPostMs).push(event.leftAt - at);
      churn.pending.delete(token);
    }
    // Only the tokens were wanted: a 10k body is ~10 MiB.
    delete event.body;
  };
  const onPostDone = (event: PostEvent): void => {
    lastDoneAt = event.doneAt ?? performance.now();
    pushMs.push(lastDoneAt - event.leftAt);
  };
  const pipeline = await startInProcessController({
    watchFactory: cluster.watchFactory, kongUrl, holdoffMs, maxDelayMs, keepBodies: true, onPost, onPostDone,
    supervisorTimings: { backoffBaseMs: 1000, backoffMaxMs: 60_000, relistMs: 7 * 24 * 3_600_000 },
  });
  await waitUntil(() => performance.now() - lastDoneAt > QUIET_MS, 'a converged, quiet pipeline', 1_800_000, 50);
  const convergeMs = lastDoneAt - started;
  process.stderr.write(`converged in ${(convergeMs / 1000).toFixed(1)} s after ${pushes} push(es); churning for ${minutes} min\n`);
  pushMs.length = 0;
  const churnStart = performance.now();
  const sampler = new Sampler(churnStart);
  const pushesBefore = pushes;
  const timers = [
    setInterval(() => { churn.step(); }, 1000 / rate),
    setInterval(() => { churn.toggleRejected(); }, (rejectEveryS * 1000) / 2),
    setInterval(() => { sampler.sample(); }, SAMPLE_MS),
    setInterval(() => { sampler.sampleLiveHeap(); }, LIVE_HEAP_MS),
  ];
  const end = churnStart + minutes * 60_000;
  // Per-minute windows (the last one shorter when the duration is not whole minutes).
  for (let minute = 1; churnStart + (minute - 1) * 60_000 < end - 1000; minute += 1) {
    await sleep(Math.min(end, churnStart + minute * 60_000) - performance.now());
    sampler.closeMinute(pushes - pushesBefore, churn.changes);
    const last = sampler.perMinute.at(-1);
    process.stderr.write(`minute ${minute}: heap used min ${last?.heapUsedMinMiB.toFixed(1)} MiB, rss max ${last?.rssMaxMiB.toFixed(0)} MiB, ${last?.pushes} pushes\n`);
  }
  for (const timer of timers) clearInterval(timer);
  const report: SoakReport = {
    n, minutes, rate, convergeMs, samples: sampler.samples, liveHeap: sampler.liveHeap, perMinute: sampler.perMinute, changeToPostMs, changeToPostRejectingMs, pushMs,
    holdoffMs, maxDelayMs, peakRssMiB: Math.max(...sampler.samples.map((s) => s.rssMiB)), sourceHeapMiB,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  await pipeline.stop();
}

main().then(() => process.exit(0), (error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
