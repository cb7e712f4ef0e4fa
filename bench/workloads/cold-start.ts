// Workload 4: cold start against a real kube-apiserver. With N Ingresses (and
// their Services and Secrets) already stored, time from starting `meshdoor
// controller` to the first push Kong accepted, and to the push carrying every
// route and certificate. Creating the objects is timed separately.
import type { KubernetesObject } from '@kubernetes/client-node';
import { DEFAULT_SETTINGS } from '../../src/config/settings.ts';
import { createTranslator } from '../../src/translate/index.ts';
import { startController } from '../../e2e/harness/meshdoor-processes.ts';
import type { ControllerOptions } from '../../e2e/harness/meshdoor-processes.ts';
import { childCommand } from '../child-process.ts';
import { imageRuntime, preloadNote } from '../image-runtime.ts';
import type { ImageRuntime } from '../image-runtime.ts';
import { createObjects, doubleCounts, namespaceObjects, processRssBytes, startBenchCluster, startLargeKongDouble } from '../api-server.ts';
import type { BenchCluster } from '../api-server.ts';
import { generateCluster } from '../generate.ts';
import { routeCount } from '../kong-entities.ts';
import { row } from '../report.ts';
import type { ResultRow } from '../report.ts';
import { repeat, summarize } from '../stats.ts';
import { sleep, waitUntil } from '../wait.ts';
import { runsOr } from '../workload.ts';
import type { Workload, WorkloadContext } from '../workload.ts';

const MIB = 2 ** 20;
const TARGET_S: Record<number, number> = { 10000: 8 };

interface ColdStartSample {
  /** The first accepted push: its request reached Kong, its body was all read (both meshdoor's share), Kong answered. */
  pushArrivedS: number;
  pushSentS: number;
  firstPushS: number;
  completeS: number;
  rssMiB: number;
}

const keyOf = (o: KubernetesObject) => `${o.kind ?? ''}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/** Creates what is not there yet (sizes grow, the generator's first slots stay the same). */
async function ensureObjects(bench: BenchCluster, n: number, created: Set<string>): Promise<{ seconds: number; count: number; expected: { routes: number; certificates: number } }> {
  const { snapshot, namespaces } = generateCluster({ n });
  const { config } = createTranslator().translate(snapshot, { settings: DEFAULT_SETTINGS });
  const expected = { routes: routeCount(config), certificates: config.certificates.length };
  const missing = (objects: readonly KubernetesObject[]) => objects.filter((o) => !created.has(keyOf(o)));
  const started = performance.now();
  let count = 0;
  for (const batch of [namespaceObjects(namespaces), [...snapshot.Service, ...snapshot.Secret], snapshot.Ingress]) {
    const todo = missing(batch);
    await createObjects(bench.objects, todo, 32);
    for (const o of todo) created.add(keyOf(o));
    count += todo.length;
  }
  return { seconds: (performance.now() - started) / 1000, count, expected };
}

/** The controller as the image runs it: compiled JavaScript, the Dockerfile's Node flags and environment. */
type Entry = NonNullable<ControllerOptions['entry']> & Pick<ImageRuntime, 'missingPreload'>;

async function coldStartOnce(bench: BenchCluster, entry: Entry | undefined, run: { name: string; expected: { routes: number; certificates: number } }): Promise<ColdStartSample> {
  const { name, expected } = run;
  const double = await startLargeKongDouble();
  const started = performance.now();
  const controller = await startController(bench.cluster, { name, kongAdminUrl: double.url, extraArgs: ['--log-level', 'info'], ...(entry ? { entry } : {}) });
  try {
    const accepted = () => double.requests.find((r) => r.method === 'POST' && r.path === '/config' && r.status < 300);
    await waitUntil(() => accepted() !== undefined || !controller.process.running, 'the first accepted push', 600_000, 20);
    const timing = accepted()?.timing;
    if (!controller.process.running || !timing) throw new Error(`controller exited: ${controller.process.tail(5)}`);
    const sinceStart = (ms: number) => (ms - started) / 1000;
    const [pushArrivedS, pushSentS, firstPushS] = [sinceStart(timing.arrivedMs), sinceStart(timing.bodyReadMs), sinceStart(timing.answeredMs)];
    for (;;) {
      const counts = doubleCounts(double);
      if (counts.routes === expected.routes && counts.certificates === expected.certificates) break;
      if (performance.now() - started > 600_000) throw new Error(`not converged: ${JSON.stringify(counts)} of ${JSON.stringify(expected)}`);
      await sleep(200);
    }
    return { pushArrivedS, pushSentS, firstPushS, completeS: (performance.now() - started) / 1000, rssMiB: processRssBytes(controller.process.pid) / MIB };
  } finally {
    await controller.process.stop('SIGTERM', 10_000);
    await double.close();
  }
}

interface SizeRun { ctx: WorkloadContext; bench: BenchCluster; entry: Entry | undefined; created: Set<string> }

async function measureSize({ ctx, bench, entry, created }: SizeRun, n: number): Promise<ResultRow[]> {
  const setup = await ensureObjects(bench, n, created);
  ctx.log(`cold-start N=${n}: created ${setup.count} objects in ${setup.seconds.toFixed(1)} s`);
  const samples = await repeat({ warmup: 0, runs: runsOr(ctx, ctx.quick ? 1 : 3) }, (run) => coldStartOnce(bench, entry, { name: `meshdoor-cold-${n}-${run}`, expected: setup.expected }));
  const target = TARGET_S[n];
  const summary = (f: (s: ColdStartSample) => number) => summarize(samples.map(f));
  return [
    row({ workload: 'cold-start', n, metric: 'create objects (setup)', unit: 's', summary: summarize([setup.seconds]), note: `${setup.count} objects (namespaces, Services, Secrets, Ingresses) by parallel REST calls, 32 in flight` }),
    row({ workload: 'cold-start', n, metric: 'start → first push reaches Kong', unit: 's', summary: summary((s) => s.pushArrivedS), note: 'its request line and headers: listing, translation and the body\'s first bytes are done' }),
    row({ workload: 'cold-start', n, metric: 'start → first push body sent', unit: 's', summary: summary((s) => s.pushSentS), note: 'meshdoor\'s share: the whole body read by Kong' }),
    row({ workload: 'cold-start', n, metric: 'start → first accepted push', unit: 's', summary: summary((s) => s.firstPushS), ...(target ? { target: { op: '<=', value: target } } : {}), note: 'Kong\'s answer: includes the Kong double checking the config (in the bench process)' }),
    row({ workload: 'cold-start', n, metric: 'start → complete config', unit: 's', summary: summary((s) => s.completeS), note: 'every route and certificate in the Kong double' }),
    row({ workload: 'cold-start', n, metric: 'controller rss at that point', unit: 'MiB', summary: summary((s) => s.rssMiB), note: entry ? `real informers; compiled JavaScript with the image's Node flags and environment${preloadNote(entry)}` : 'real informers; through tsx (MESHDOOR_BENCH_CHILD=tsx): includes compiling the sources' }),
  ];
}

export const coldStartWorkload: Workload = {
  name: 'cold-start',
  description: 'controller process start → first accepted push, N objects in a real kube-apiserver',
  async run(ctx) {
    const cmd = await childCommand('src/cli/main.ts');
    const runtime = imageRuntime();
    // Through tsx (MESHDOOR_BENCH_CHILD=tsx) the checkout's bin/meshdoor.js runs, as in the e2e tests.
    const entry = cmd.loader.length === 0 ? { file: cmd.file, ...runtime } : undefined;
    const bench = await startBenchCluster();
    try {
      const created = new Set<string>();
      const rows: ResultRow[] = [];
      for (const n of ctx.quick ? [100] : [1000, 10000]) rows.push(...await measureSize({ ctx, bench, entry, created }, n));
      return rows;
    } finally {
      await bench.stop();
      await cmd.cleanup();
    }
  },
};
