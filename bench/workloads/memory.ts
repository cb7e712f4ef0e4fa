// Workload 6: RSS and heap of the controller pipeline after converging N
// Ingresses (each with its Service; a tenth with a TLS Secret). Each run is a
// fresh child process holding only the controller; the Kong double runs here.
// The child runs as the container runs the controller: compiled JavaScript, with
// the image's Node flags and environment (Dockerfile). `MESHDOOR_BENCH_CHILD=tsx`
// runs the TypeScript sources through tsx instead (its loader adds ~50 MiB).
import { startKongDouble } from '../../test/kong-double/index.ts';
import type { KongDouble } from '../../test/kong-double/index.ts';
import { CONTAINER_512MI_V8, childCommand, runChild } from '../child-process.ts';
import type { ChildCommand } from '../child-process.ts';
import { imageRuntime, PLAIN_NODE, preloadNote } from '../image-runtime.ts';
import type { ImageRuntime } from '../image-runtime.ts';
import type { MemoryReport } from '../memory-child.ts';
import { row } from '../report.ts';
import type { ResultRow } from '../report.ts';
import { repeat, summarize } from '../stats.ts';
import { runsOr } from '../workload.ts';
import type { Workload, WorkloadContext } from '../workload.ts';

const MIB = 2 ** 20;
const RSS_TARGET_MIB: Record<number, number> = { 10000: 250, 50000: 1024 };

export function runMemoryChild(cmd: ChildCommand, n: number, double: KongDouble, runtime: ImageRuntime): Promise<MemoryReport> {
  // Every run pushes the full config: the double would otherwise already hold it.
  double.restartEmpty();
  return runChild<MemoryReport>({ cmd, runtime, nodeFlags: ['--expose-gc'], args: [String(n), double.url], label: `memory child N=${n}` });
}

interface SizeRun { ctx: WorkloadContext; cmd: ChildCommand; double: KongDouble; runtime: ImageRuntime }

function rssRows(n: number, reports: readonly MemoryReport[], label: string, note: string): ResultRow[] {
  const pick = (f: (r: MemoryReport) => number) => summarize(reports.map(f));
  const target = label === '' ? RSS_TARGET_MIB[n] : undefined;
  return [
    row({ workload: 'memory', n, metric: `rss after converging${label}`, unit: 'MiB', summary: pick((r) => r.rssBytes / MIB), ...(target ? { target: { op: '<=', value: target } } : {}), note }),
    row({ workload: 'memory', n, metric: `rss settled${label}`, unit: 'MiB', summary: pick((r) => r.settledRssBytes / MIB), note: 'after a memory-reducing GC (pooled V8 pages unmapped), as an idle controller settles' }),
    row({ workload: 'memory', n, metric: `peak rss${label}`, unit: 'MiB', summary: pick((r) => r.peakRssBytes / MIB) }),
  ];
}

async function measureSize(run: SizeRun, n: number): Promise<ResultRow[]> {
  const { ctx, cmd } = run;
  const runs = runsOr(ctx, n >= 50000 ? 1 : ctx.quick ? 1 : 3);
  const reports = await repeat({ warmup: 0, runs }, () => runMemoryChild(cmd, n, run.double, run.runtime));
  const converge = summarize(reports.map((r) => r.convergeMs)).median;
  ctx.log(`memory N=${n}: converged in ${(converge / 1000).toFixed(1)} s with ${summarize(reports.map((r) => r.pushes)).median} push(es)`);
  const baseline = `N=0 is the process baseline (Node${cmd.loader.length > 0 ? ', tsx' : ''}, libraries)`;
  return [
    ...rssRows(n, reports, '', `after two full GCs; ${baseline}${preloadNote(run.runtime)}`),
    row({ workload: 'memory', n, metric: 'heap used', unit: 'MiB', summary: summarize(reports.map((r) => r.heapUsedBytes / MIB)) }),
  ];
}

/** One more 10k run in a variant: V8 sized as in the shipped container, or plain `node`. */
async function measureVariant(run: SizeRun, label: string, runtime: ImageRuntime, note: string): Promise<ResultRow[]> {
  const report = await runMemoryChild(run.cmd, 10000, run.double, runtime);
  return rssRows(10000, [report], `, ${label}`, `${note}${preloadNote(runtime)}`);
}

/** The variants, one after the other (children share the Kong double). */
async function measureVariants(run: SizeRun): Promise<ResultRow[]> {
  const container = { ...run.runtime, nodeFlags: [...run.runtime.nodeFlags, ...CONTAINER_512MI_V8] };
  return [
    ...await measureVariant(run, '512Mi container', container, `V8 as Node sizes it under the manifest's memory limit (${CONTAINER_512MI_V8.join(' ')})`),
    ...await measureVariant(run, 'plain node', PLAIN_NODE, 'without the image\'s Node flags and environment'),
  ];
}

export const memoryWorkload: Workload = {
  name: 'memory',
  description: 'controller RSS and heap after converging N Ingresses (child process per run, compiled as shipped)',
  async run(ctx) {
    const cmd = await childCommand('bench/memory-child.ts');
    try {
      const double = await startKongDouble({ mode: 'dbless', configLimitBytes: 1024 * MIB });
      const run: SizeRun = { ctx, cmd, double, runtime: imageRuntime() };
      try {
        const rows: ResultRow[] = [];
        for (const n of ctx.quick ? [0, 100] : [0, 10000, 50000]) rows.push(...await measureSize(run, n));
        if (!ctx.quick) rows.push(...await measureVariants(run));
        return rows;
      } finally {
        await double.close();
      }
    } finally {
      await cmd.cleanup();
    }
  },
};
