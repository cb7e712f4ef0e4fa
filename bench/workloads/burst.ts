// Workload 5: a burst of N Ingresses created at once through a real
// kube-apiserver (their Services and Secrets already there), until every route
// and certificate is in the Kong double. The controller runs as its own process.
// Reported whole, and from the last create the API server accepted: the creates
// themselves take most of the burst.
import type { KubernetesObject } from '@kubernetes/client-node';
import { DEFAULT_SETTINGS } from '../../src/config/settings.ts';
import { createTranslator } from '../../src/translate/index.ts';
import { waitForEndpoint } from '../../e2e/harness/meshdoor-processes.ts';
import { createObjects, doubleCounts, namespaceObjects, startBenchCluster, startControllerProcess, startLargeKongDouble } from '../api-server.ts';
import type { BenchCluster } from '../api-server.ts';
import { generateCluster } from '../generate.ts';
import { routeCount } from '../kong-entities.ts';
import { row } from '../report.ts';
import type { ResultRow } from '../report.ts';
import { repeat, summarize } from '../stats.ts';
import { sleep, waitUntil } from '../wait.ts';
import { runsOr } from '../workload.ts';
import type { Workload, WorkloadContext } from '../workload.ts';

const TARGET_S = 10;
/** From the API server accepting the last create to every route in Kong (issue target). */
const TAIL_TARGET_S = 1;

async function deleteAll(bench: BenchCluster, objects: readonly KubernetesObject[]): Promise<void> {
  await Promise.all(objects.map((o) => bench.objects.delete({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata?.name, namespace: o.metadata?.namespace } })));
}

async function waitForCounts(double: Parameters<typeof doubleCounts>[0], want: { routes: number; certificates: number }, timeoutMs: number): Promise<void> {
  await waitUntil(() => {
    const counts = doubleCounts(double);
    return counts.routes === want.routes && counts.certificates === want.certificates;
  }, `${want.routes} routes and ${want.certificates} certificates in the Kong double`, timeoutMs, 20);
}

async function measure(ctx: WorkloadContext, bench: BenchCluster, n: number): Promise<ResultRow[]> {
  const { snapshot, namespaces } = generateCluster({ n });
  const { config } = createTranslator().translate(snapshot, { settings: DEFAULT_SETTINGS });
  const expected = { routes: routeCount(config), certificates: config.certificates.length };
  await createObjects(bench.objects, [...namespaceObjects(namespaces), ...snapshot.Service, ...snapshot.Secret], 32);
  const double = await startLargeKongDouble();
  const controller = await startControllerProcess(bench.cluster, double.url, `meshdoor-burst-${n}`);
  try {
    await waitForEndpoint(controller, '/readyz', 300_000);
    const samples = await repeat({ warmup: 0, runs: runsOr(ctx, ctx.quick ? 1 : 3) }, async () => {
      const started = performance.now();
      await createObjects(bench.objects, snapshot.Ingress, 64);
      const createdS = (performance.now() - started) / 1000;
      await waitForCounts(double, expected, 600_000);
      const routedS = (performance.now() - started) / 1000;
      await deleteAll(bench, snapshot.Ingress);
      await waitForCounts(double, { routes: 0, certificates: 0 }, 600_000);
      await sleep(2000);
      return { createdS, routedS };
    });
    return [
      row({ workload: 'burst', n, metric: 'create Ingresses (API calls)', unit: 's', summary: summarize(samples.map((s) => s.createdS)), note: 'parallel REST creates, 64 in flight' }),
      row({ workload: 'burst', n, metric: 'first create → all routed', unit: 's', summary: summarize(samples.map((s) => s.routedS)), ...(n === 1000 ? { target: { op: '<=' as const, value: TARGET_S } } : {}), note: `every route (${expected.routes}) and certificate (${expected.certificates}) in the Kong double` }),
      row({ workload: 'burst', n, metric: 'last create accepted → all routed', unit: 's', summary: summarize(samples.map((s) => s.routedS - s.createdS)), ...(n === 1000 ? { target: { op: '<=' as const, value: TAIL_TARGET_S } } : {}), note: 'from the API server answering the last create to the Kong double holding every route and certificate (polled every 20 ms)' }),
    ];
  } finally {
    await controller.process.stop('SIGTERM', 10_000);
    await double.close();
  }
}

export const burstWorkload: Workload = {
  name: 'burst',
  description: 'N Ingresses created at once through a real kube-apiserver until all are routed',
  async run(ctx) {
    const bench = await startBenchCluster();
    try {
      return await measure(ctx, bench, ctx.quick ? 100 : 1000);
    } finally {
      await bench.stop();
    }
  },
};
