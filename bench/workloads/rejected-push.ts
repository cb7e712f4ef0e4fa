// Workload: POSTs per change window while an object Kong rejects exists. Kong's
// rejection is remembered per entity content (and kept in the MeshDoor status),
// so each change costs one POST /config — not a 400 then a 201 — also after a
// controller restart. In process, against the Kong double told to reject one path.
import type { V1Ingress } from '@kubernetes/client-node';
import { FakeCluster } from '../../test/kube/fake-cluster.ts';
import { startKongDouble, type KongDouble } from '../../test/kong-double/index.ts';
import { editIngress, generateCluster, seededRandom } from '../generate.ts';
import { benchMeshDoor, startInProcessController, type InProcessController } from '../in-process.ts';
import { row, type ResultRow } from '../report.ts';
import { repeat, summarize } from '../stats.ts';
import { sleep, waitUntil } from '../wait.ts';
import { runsOr, type Workload, type WorkloadContext } from '../workload.ts';
import { DEFAULT_HOLDOFF_MS, DEFAULT_MAX_DELAY_MS } from './event-push.ts';

const QUIET_MS = 1500;
const REJECTED_PATH = '/rejected';

/** An Ingress with a good path and one the double refuses (as Kong refuses a path its regex engine cannot compile). */
function rejectedIngress(service: { namespace: string; name: string; port: number }): V1Ingress {
  const backend = { service: { name: service.name, port: { number: service.port } } };
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
    metadata: { namespace: service.namespace, name: 'rejected', uid: 'uid-rejected', resourceVersion: '1', creationTimestamp: new Date('2026-01-01T00:00:00Z') },
    spec: { ingressClassName: 'kong', rules: [{ host: 'rejected.example.com', http: { paths: [
      { path: '/good', pathType: 'Prefix', backend }, { path: REJECTED_PATH, pathType: 'Prefix', backend },
    ] } }] },
  };
}

function configPosts(double: KongDouble): { total: number; refused: number } {
  const posts = double.requests.filter((r) => r.method === 'POST' && r.path === '/config');
  return { total: posts.length, refused: posts.filter((r) => r.status === 400).length };
}

/** Waits until no POST /config for QUIET_MS; returns how many were sent since `from`. */
async function settle(double: KongDouble, from: number): Promise<number> {
  let last = configPosts(double).total;
  let quietSince = performance.now();
  await waitUntil(() => {
    const now = configPosts(double).total;
    if (now !== last) {
      last = now;
      quietSince = performance.now();
    }
    return performance.now() - quietSince > QUIET_MS;
  }, 'no more pushes', 600_000, 20);
  return last - from;
}

interface Setup {
  cluster: FakeCluster;
  double: KongDouble;
  ingresses: readonly V1Ingress[];
}

async function changeWindows(ctx: WorkloadContext, { cluster, double, ingresses }: Setup, seed: number): Promise<{ posts: number[]; refused: number }> {
  const random = seededRandom(seed);
  const refusedBefore = configPosts(double).refused;
  const posts = await repeat({ warmup: 0, runs: runsOr(ctx, ctx.quick ? 4 : 10) }, async (run) => {
    const target = ingresses[Math.floor(random() * ingresses.length)];
    const current = cluster.get<V1Ingress>('Ingress', target?.metadata?.namespace, target?.metadata?.name ?? '');
    if (!current) throw new Error('generated Ingress missing from the fake cluster');
    const before = configPosts(double).total;
    cluster.apply(editIngress(current, seed * 1000 + run));
    await waitUntil(() => configPosts(double).total > before, 'the push carrying the change', 120_000, 5);
    return settle(double, before);
  });
  return { posts, refused: configPosts(double).refused - refusedBefore };
}

async function measure(ctx: WorkloadContext, n: number): Promise<ResultRow[]> {
  const double = await startKongDouble({ mode: 'dbless', configLimitBytes: 512 * 2 ** 20 });
  double.rejectPath(`${REJECTED_PATH}/`);
  const { snapshot } = generateCluster({ n });
  const cluster = new FakeCluster();
  const first = snapshot.Service[0];
  if (!first?.metadata?.namespace || !first.metadata.name) throw new Error('generated cluster has no Service');
  const rejected = rejectedIngress({ namespace: first.metadata.namespace, name: first.metadata.name, port: first.spec?.ports?.[0]?.port ?? 80 });
  for (const obj of [benchMeshDoor(), ...snapshot.IngressClass, ...snapshot.Service, ...snapshot.Secret, ...snapshot.Ingress, rejected]) cluster.apply(obj);
  const start = (): Promise<InProcessController> => startInProcessController({
    watchFactory: cluster.watchFactory, writer: cluster.writer, kongUrl: double.url, holdoffMs: DEFAULT_HOLDOFF_MS, maxDelayMs: DEFAULT_MAX_DELAY_MS,
  });
  let pipeline = await start();
  try {
    await waitUntil(() => configPosts(double).total > 0, 'a first push', 600_000, 20);
    const startup = await settle(double, 0);
    if (double.route({ host: 'rejected.example.com', path: '/good' }).status !== 200) throw new Error('the rejected Ingress\'s good path is not served');
    ctx.log(`rejected-push N=${n}: converged in ${startup} POST(s), ${configPosts(double).refused} refused`);
    const running = await changeWindows(ctx, { cluster, double, ingresses: snapshot.Ingress }, 21);

    await pipeline.stop();
    await sleep(100);
    const beforeRestart = configPosts(double);
    pipeline = await start();
    await sleep(DEFAULT_MAX_DELAY_MS);
    const restart = await settle(double, beforeRestart.total);
    const restarted = await changeWindows(ctx, { cluster, double, ingresses: snapshot.Ingress }, 22);
    const note = (refused: number): string => `1 Ingress with a path Kong rejects; ${refused} POST(s) answered 400 in these windows`;
    const target = { target: { op: '<=' as const, value: 1, on: 'median' as const } };
    return [
      row({ workload: 'rejected-push', n, metric: 'POSTs per change window', unit: 'POSTs', summary: summarize(running.posts), ...target, note: note(running.refused) }),
      row({ workload: 'rejected-push', n, metric: 'POSTs per change window, after restart', unit: 'POSTs', summary: summarize(restarted.posts), ...target, note: note(restarted.refused) }),
      row({ workload: 'rejected-push', n, metric: 'POSTs for the restart itself', unit: 'POSTs', summary: summarize([restart]), note: 'config unchanged and already loaded: nothing to send' }),
    ];
  } finally {
    await pipeline.stop();
    await double.close();
  }
}

export const rejectedPushWorkload: Workload = {
  name: 'rejected-push',
  description: 'POSTs per change window while an object Kong rejects exists, before and after a controller restart',
  async run(ctx) {
    const rows: ResultRow[] = [];
    for (const n of ctx.quick ? [100] : [1000]) rows.push(...await measure(ctx, n));
    return rows;
  },
};
