// Workload 6: RSS and heap of the controller pipeline after converging N
// Ingresses (each with its Service; a tenth with a TLS Secret). Each run is a
// fresh child process holding only the controller; the Kong double runs here.
import { spawn } from 'node:child_process';
import path from 'node:path';
import process from 'node:process';
import { startKongDouble } from '../../test/kong-double/index.ts';
import type { MemoryReport } from '../memory-child.ts';
import { row } from '../report.ts';
import type { ResultRow } from '../report.ts';
import { repeat, summarize } from '../stats.ts';
import { runsOr } from '../workload.ts';
import type { Workload, WorkloadContext } from '../workload.ts';

const MIB = 2 ** 20;
const CHILD = path.join(import.meta.dirname, '..', 'memory-child.ts');
const RSS_TARGET_MIB: Record<number, number> = { 10000: 250, 50000: 1024 };

/** V8's young generation kept small: less memory held after the allocation peaks of a sync. */
const SMALL_SEMI_SPACE = '--max-semi-space-size=4';

function runChild(n: number, kongUrl: string, nodeFlags: string[] = []): Promise<MemoryReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', '--expose-gc', CHILD, String(n), kongUrl], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`memory child N=${n} exited with ${code ?? 'a signal'}: ${err.trim().split('\n').slice(-3).join(' ')}`));
        return;
      }
      resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as MemoryReport);
    });
  });
}

async function measureSize(ctx: WorkloadContext, n: number, kongUrl: string): Promise<ResultRow[]> {
  const reports = await repeat({ warmup: 0, runs: runsOr(ctx, n >= 50000 ? 1 : ctx.quick ? 1 : 3) }, () => runChild(n, kongUrl));
  const pick = (f: (r: MemoryReport) => number) => summarize(reports.map(f));
  ctx.log(`memory N=${n}: converged in ${(pick((r) => r.convergeMs).median / 1000).toFixed(1)} s with ${pick((r) => r.pushes).median} push(es)`);
  const target = RSS_TARGET_MIB[n];
  return [
    row({ workload: 'memory', n, metric: 'rss after converging', unit: 'MiB', summary: pick((r) => r.rssBytes / MIB), ...(target ? { target: { op: '<=', value: target } } : {}), note: 'after two full GCs; N=0 is the process baseline (Node, tsx, libraries)' }),
    row({ workload: 'memory', n, metric: 'heap used', unit: 'MiB', summary: pick((r) => r.heapUsedBytes / MIB) }),
    row({ workload: 'memory', n, metric: 'peak rss', unit: 'MiB', summary: pick((r) => r.peakRssBytes / MIB) }),
  ];
}

async function measureSmallSemiSpace(n: number, kongUrl: string): Promise<ResultRow> {
  const report = await runChild(n, kongUrl, [SMALL_SEMI_SPACE]);
  return row({ workload: 'memory', n, metric: `rss, node ${SMALL_SEMI_SPACE}`, unit: 'MiB', summary: summarize([report.rssBytes / MIB]), note: 'the same, with a deployment-level V8 flag' });
}

export const memoryWorkload: Workload = {
  name: 'memory',
  description: 'controller RSS and heap after converging N Ingresses (child process per run)',
  async run(ctx) {
    const double = await startKongDouble({ mode: 'dbless', configLimitBytes: 1024 * MIB });
    try {
      const rows: ResultRow[] = [];
      for (const n of ctx.quick ? [0, 100] : [0, 10000, 50000]) rows.push(...await measureSize(ctx, n, double.url));
      if (!ctx.quick) rows.push(await measureSmallSemiSpace(10000, double.url));
      return rows;
    } finally {
      await double.close();
    }
  },
};
