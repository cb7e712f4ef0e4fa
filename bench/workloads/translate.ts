// Workload 1: translate a whole snapshot, cold (nothing remembered), with
// every Ingress planned again, and unchanged; time and heap allocated per run.
import process from 'node:process';
import { DEFAULT_SETTINGS } from '../../src/config/settings.ts';
import { createTranslator } from '../../src/translate/index.ts';
import type { Translator } from '../../src/translate/index.ts';
import type { Snapshot } from '../../src/translate/types.ts';
import { measureAllocation, settleGarbage } from '../allocation.ts';
import { generateCluster } from '../generate.ts';
import { replanningSettings } from '../replanning-settings.ts';
import { row } from '../report.ts';
import type { ResultRow } from '../report.ts';
import { repeat, summarize } from '../stats.ts';
import { runsOr } from '../workload.ts';
import type { Workload, WorkloadContext } from '../workload.ts';

const MIB = 2 ** 20;
/** Targets from the issue (ms); 1k from the anchors' B1. */
const TIME_TARGET: Record<number, number> = { 1000: 10, 10000: 150, 50000: 1000 };

type Prepare = () => { translator: Translator; snapshot: Snapshot; options: { settings: typeof DEFAULT_SETTINGS } };

/** CPU time of this thread alone (Node 23.9+), in ms: on a shared host it moves less with other load than wall time. */
function threadCpuMs(): number | undefined {
  if (typeof process.threadCpuUsage !== 'function') return undefined;
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1000;
}

interface PassSample { ms: number; cpuMs: number | undefined; allocatedBytes: number; failures: number }

async function measureWholePass(ctx: WorkloadContext, n: number, prepare: Prepare): Promise<PassSample[]> {
  const runs = runsOr(ctx, n >= 50000 ? 3 : n >= 10000 ? 5 : 15);
  const samples = await repeat({ warmup: n >= 50000 ? 1 : 2, runs }, async () => {
    const { translator, snapshot, options } = prepare();
    await settleGarbage();
    const cpuBefore = threadCpuMs();
    const measured = measureAllocation(() => translator.translate(snapshot, options));
    const cpuAfter = threadCpuMs();
    return { ...measured, cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore };
  });
  return samples.map((s) => ({ ms: s.ms, cpuMs: s.cpuMs, allocatedBytes: s.allocatedBytes, failures: s.value.failures.length }));
}

async function measureSize(ctx: WorkloadContext, n: number): Promise<ResultRow[]> {
  const { snapshot } = generateCluster({ n });
  const target = TIME_TARGET[n];
  const translator = createTranslator();
  // Cold: copies of every object and settings edited where translation reads them, so nothing remembered per object applies;
  // the translator's ids, regex verdicts and translated paths (by name, pattern and path as written) are warm.
  const cold = await measureWholePass(ctx, n, () => ({ translator, snapshot: structuredClone(snapshot), options: { settings: replanningSettings() } }));
  // A new translator on copies: nothing remembered at all, as at the controller's start.
  const fresh = await measureWholePass(ctx, n, () => ({ translator: createTranslator(), snapshot: structuredClone(snapshot), options: { settings: { ...DEFAULT_SETTINGS } } }));
  // The same objects with settings edited where translation reads them: every Ingress planned again,
  // per-object caches (ids, tags, parsed Secrets and annotations) warm, as after such a MeshDoor edit.
  const replanned = await measureWholePass(ctx, n, () => ({ translator, snapshot, options: { settings: replanningSettings() } }));
  // A MeshDoor edit translation does not read (the publish addresses): the previous pass stands.
  const unread = await measureWholePass(ctx, n, () => ({ translator, snapshot, options: { settings: { ...DEFAULT_SETTINGS, publishAddresses: ['192.0.2.1'] } } }));
  const settings = { ...DEFAULT_SETTINGS };
  translator.translate(snapshot, { settings });
  const unchanged = await measureWholePass(ctx, n, () => ({ translator, snapshot, options: { settings } }));
  ctx.log(`translate N=${n}: ${cold[0]?.failures ?? 0} translation failures (expected 0)`);
  return [
    row({ workload: 'translate', n, metric: 'time, cold', unit: 'ms', summary: summarize(cold.map((s) => s.ms)), ...(target ? { target: { op: '<=', value: target } } : {}), note: 'copies of every object, settings edited where translation reads them: nothing remembered per object' }),
    ...cpuRow(n, cold),
    row({ workload: 'translate', n, metric: 'allocated, cold', unit: 'MiB', summary: summarize(cold.map((s) => s.allocatedBytes / MIB)) }),
    row({ workload: 'translate', n, metric: 'time, new translator', unit: 'ms', summary: summarize(fresh.map((s) => s.ms)), note: 'copies of every object, a new translator: nothing remembered, ids, regex verdicts and translated paths included' }),
    row({ workload: 'translate', n, metric: 'time, re-planned', unit: 'ms', summary: summarize(replanned.map((s) => s.ms)), note: 'same objects, settings edited where translation reads them: every Ingress planned again, per-object caches warm' }),
    row({ workload: 'translate', n, metric: 'time, MeshDoor edit not read', unit: 'ms', summary: summarize(unread.map((s) => s.ms)), note: 'same objects, settings edited where translation does not read (publish addresses): the previous pass stands' }),
    row({ workload: 'translate', n, metric: 'time, unchanged', unit: 'ms', summary: summarize(unchanged.map((s) => s.ms)), note: 'the same snapshot again: the previous pass is the answer' }),
  ];
}

/** The cold pass's CPU time on the measuring thread (GC work of helper threads excluded), where Node reports it. */
function cpuRow(n: number, samples: readonly PassSample[]): ResultRow[] {
  const cpu = samples.flatMap((s) => (s.cpuMs === undefined ? [] : [s.cpuMs]));
  // The thread's clock moves in kernel ticks (a few ms): meaningless for the small sizes' passes.
  if (cpu.length === 0 || n < 1000) return [];
  return [row({ workload: 'translate', n, metric: 'thread cpu, cold', unit: 'ms', summary: summarize(cpu), note: 'the cold pass\'s CPU time on its own thread: the work, less the time other load on the host took from it' })];
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
