// Workload 1: translate a whole snapshot; time and heap allocated per run.
import { DEFAULT_SETTINGS } from '../../src/config/settings.ts';
import { translate } from '../../src/translate/index.ts';
import type { Snapshot } from '../../src/translate/types.ts';
import { collectGarbage, measureAllocation } from '../allocation.ts';
import { generateCluster } from '../generate.ts';
import { row } from '../report.ts';
import type { ResultRow } from '../report.ts';
import { repeat, summarize } from '../stats.ts';
import { runsOr } from '../workload.ts';
import type { Workload, WorkloadContext } from '../workload.ts';

const MIB = 2 ** 20;
/** Targets from the issue (ms); 1k from the anchors' B1. */
const TIME_TARGET: Record<number, number> = { 1000: 10, 10000: 150, 50000: 1000 };

async function measureSize(ctx: WorkloadContext, n: number): Promise<ResultRow[]> {
  const { snapshot } = generateCluster({ n });
  const options = { settings: DEFAULT_SETTINGS };
  const runs = runsOr(ctx, n >= 50000 ? 5 : n >= 10000 ? 7 : 15);
  const samples = await repeat({ warmup: n >= 50000 ? 1 : 3, runs }, () => {
    collectGarbage();
    return measureAllocation(() => translate(snapshot, options));
  });
  const first = samples[0]?.value;
  const routes = first?.config.services.reduce((sum, s) => sum + s.routes.length, 0) ?? 0;
  ctx.log(`translate N=${n}: ${first?.config.services.length ?? 0} services, ${routes} routes, ${first?.config.certificates.length ?? 0} certificates, ${first?.failures.length ?? 0} failures`);
  const target = TIME_TARGET[n];
  const fresh = n === 10000 ? [await freshObjectsRow(ctx, snapshot, n)] : [];
  return [
    row({ workload: 'translate', n, metric: 'time', unit: 'ms', summary: summarize(samples.map((s) => s.ms)), ...(target ? { target: { op: '<=', value: target } } : {}) }),
    row({ workload: 'translate', n, metric: 'allocated', unit: 'MiB', summary: summarize(samples.map((s) => s.allocatedBytes / MIB)), note: `${first?.failures.length ?? 0} translation failures (expected 0)` }),
    ...fresh,
  ];
}

/**
 * The translator remembers what it derived from each (immutable) object, as in
 * the controller where unchanged objects stay the same objects. Here every run
 * gets copies, as after a cold start.
 */
async function freshObjectsRow(ctx: WorkloadContext, snapshot: Snapshot, n: number): Promise<ResultRow> {
  const options = { settings: DEFAULT_SETTINGS };
  const samples = await repeat({ warmup: 1, runs: runsOr(ctx, 5) }, () => {
    const copy = structuredClone(snapshot);
    collectGarbage();
    const started = performance.now();
    translate(copy, options);
    return performance.now() - started;
  });
  return row({ workload: 'translate', n, metric: 'time, fresh objects', unit: 'ms', summary: summarize(samples), note: 'every object new (per-object caches cold), as at a cold start' });
}

export const translateWorkload: Workload = {
  name: 'translate',
  description: 'whole-snapshot translation: time and heap allocated',
  async run(ctx) {
    const rows: ResultRow[] = [];
    for (const n of ctx.quick ? [100, 1000] : [1000, 10000, 50000]) rows.push(...await measureSize(ctx, n));
    return rows;
  },
};
