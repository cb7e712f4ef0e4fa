// Workload 3: from one Ingress change in the (fake) API server to the POST
// /config carrying it leaving the controller, in process: watch → store →
// coalescing trigger (default holdoff) → translate → DB-less engine → Kong double.
import type { V1Ingress } from '@kubernetes/client-node';
import { parseControllerFlags } from '../../src/controller/controller-flags.ts';
import { FakeCluster } from '../../test/kube/fake-cluster.ts';
import { startKongDouble } from '../../test/kong-double/index.ts';
import { editIngress, generateCluster, seededRandom } from '../generate.ts';
import { benchMeshDoor, startInProcessController } from '../in-process.ts';
import type { PostEvent } from '../in-process.ts';
import { row } from '../report.ts';
import type { ResultRow } from '../report.ts';
import { repeat, summarize } from '../stats.ts';
import { sleep, waitUntil } from '../wait.ts';
import { runsOr } from '../workload.ts';
import type { Workload, WorkloadContext } from '../workload.ts';

/** The controller's default coalescing (holdoff after the last event, cap after the first). */
const DEFAULTS = parseControllerFlags([]);
export const DEFAULT_HOLDOFF_MS = DEFAULTS.syncHoldoffMs;
export const DEFAULT_MAX_DELAY_MS = DEFAULTS.syncMaxDelayMs;
const TARGET_SLACK_MS = 50;
const QUIET_MS = 3000;

function loadCluster(n: number): { cluster: FakeCluster; ingresses: readonly V1Ingress[] } {
  const { snapshot } = generateCluster({ n });
  const cluster = new FakeCluster();
  for (const obj of [benchMeshDoor(), ...snapshot.IngressClass, ...snapshot.Service, ...snapshot.Secret, ...snapshot.Ingress]) cluster.apply(obj);
  return { cluster, ingresses: snapshot.Ingress };
}

async function measureSize(ctx: WorkloadContext, n: number): Promise<ResultRow[]> {
  const double = await startKongDouble({ mode: 'dbless', configLimitBytes: 512 * 2 ** 20 });
  const { cluster, ingresses } = loadCluster(n);
  const posts: PostEvent[] = [];
  const translations: number[] = [];
  const started = performance.now();
  const pipeline = await startInProcessController({
    watchFactory: cluster.watchFactory, writer: cluster.writer, kongUrl: double.url,
    holdoffMs: DEFAULT_HOLDOFF_MS, maxDelayMs: DEFAULT_MAX_DELAY_MS, keepBodies: true, onPost: (event) => { posts.push(event); },
    onTranslate: (ms) => { translations.push(ms); },
  });
  try {
    // Converged and idle: the last push answered and nothing sent for a while
    // (the start-up may push twice: before and after the Secret watches exist).
    const quietFor = (ms: number) => performance.now() - (posts.at(-1)?.doneAt ?? Number.POSITIVE_INFINITY) > ms;
    await waitUntil(() => quietFor(QUIET_MS), 'a converged, idle pipeline', 900_000, 20);
    ctx.log(`event-push N=${n}: converged after ${((performance.now() - started) / 1000 - QUIET_MS / 1000).toFixed(1)} s in ${posts.length} push(es) of ${((posts.at(-1)?.bytes ?? 0) / 2 ** 20).toFixed(1)} MiB`);
    const random = seededRandom(11);
    const translateMs: number[] = [];
    const samples = await repeat({ warmup: 2, runs: runsOr(ctx, ctx.quick ? 8 : n >= 10000 ? 15 : 30) }, async (run) => {
      await sleep(DEFAULT_HOLDOFF_MS + 300 + random() * 100);
      const target = ingresses[Math.floor(random() * ingresses.length)];
      const current = cluster.get<V1Ingress>('Ingress', target?.metadata?.namespace, target?.metadata?.name ?? '');
      if (!current) throw new Error('generated Ingress missing from the fake cluster');
      const round = run + 1000;
      const before = posts.length;
      const changedAt = performance.now();
      cluster.apply(editIngress(current, round));
      await waitUntil(() => posts[before]?.doneAt !== undefined, 'the push carrying the change', 120_000);
      const post = posts[before] as PostEvent;
      translateMs.push(translations.at(-1) ?? Number.NaN);
      if (!post.body?.includes(`/edited/r${round}`)) throw new Error('the first push after the change did not carry it');
      return post.leftAt - changedAt;
    });
    const summary = summarize(samples);
    const target = n === 10000 ? { target: { op: '<=' as const, value: DEFAULT_HOLDOFF_MS + TARGET_SLACK_MS, on: 'p99' as const } } : {};
    return [row({
      workload: 'event-push', n, metric: 'change → POST leaves', unit: 'ms', summary, distribution: true, ...target,
      note: `holdoff ${DEFAULT_HOLDOFF_MS} ms, max delay ${DEFAULT_MAX_DELAY_MS} ms`,
    }), row({
      workload: 'event-push', n, metric: 'of which translate', unit: 'ms', summary: summarize(translateMs.slice(-samples.length)),
      note: 'the rest: holdoff, snapshot and fingerprint, the /config body and its MD5',
    })];
  } finally {
    await pipeline.stop();
    await double.close();
  }
}

export const eventPushWorkload: Workload = {
  name: 'event-push',
  description: 'one Ingress change → POST /config leaving (in process, Kong double on loopback)',
  async run(ctx) {
    const rows: ResultRow[] = [];
    for (const n of ctx.quick ? [100, 1000] : [1000, 10000]) rows.push(...await measureSize(ctx, n));
    return rows;
  },
};
