// Workload: `meshdoor translate -f` offline at scale. N Ingresses with their
// Services and TLS Secrets (and the IngressClass) written as one multi-document
// YAML file, and the same objects as one JSON List; the command run as a fresh
// process per run (compiled as shipped, or through tsx with
// MESHDOOR_BENCH_CHILD=tsx), its output discarded. Wall time from spawn to exit
// and the process's peak RSS and CPU time (its own getrusage, reported on exit:
// on a loaded host the CPU time says more than the wall time).
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { stringify } from 'yaml';
import { childCommand } from '../child-process.ts';
import type { ChildCommand } from '../child-process.ts';
import { benchIngressClass, generateCluster, toManifest } from '../generate.ts';
import { row } from '../report.ts';
import type { ResultRow } from '../report.ts';
import { repeat, summarize } from '../stats.ts';
import { runsOr } from '../workload.ts';
import type { Workload, WorkloadContext } from '../workload.ts';

const MIB = 2 ** 20;
const TARGET = { n: 20000, seconds: 4, peakRssMiB: 500 } as const;
/** Loaded before the command: prints its peak RSS (kB) and CPU time (µs) as the last stderr line on exit. */
const USAGE_HOOK = `data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write('usage '+u.maxRSS+' '+(u.userCPUTime+u.systemCPUTime)+'\\n')})`;

interface CliSample { seconds: number; cpuSeconds: number; peakRssMiB: number }

async function writeInputs(dir: string, n: number): Promise<{ yaml: string; json: string; bytes: number }> {
  const { snapshot } = generateCluster({ n });
  const objects = [benchIngressClass(), ...snapshot.Service, ...snapshot.Secret, ...snapshot.Ingress].map((o) => toManifest(o));
  const yaml = path.join(dir, 'cluster.yaml');
  const json = path.join(dir, 'cluster.json');
  await writeFile(yaml, objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n'));
  await writeFile(json, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
  return { yaml, json, bytes: (await stat(yaml)).size };
}

function runTranslate(cmd: ChildCommand, file: string): Promise<CliSample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', USAGE_HOOK, ...cmd.loader, cmd.file, 'translate', '-f', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const usage = /usage (\d+) (\d+)\n?$/.exec(stderr);
      if (code !== 0 || !usage) {
        reject(new Error(`meshdoor translate -f ${file} exited with ${code ?? 'a signal'}: ${stderr.trim().split('\n').slice(-3).join(' ')}`));
        return;
      }
      resolve({ seconds, cpuSeconds: Number(usage[2]) / 1e6, peakRssMiB: (Number(usage[1]) * 1024) / MIB });
    });
  });
}

async function measureSize(ctx: WorkloadContext, cmd: ChildCommand, dir: string, n: number): Promise<ResultRow[]> {
  const inputs = await writeInputs(dir, n);
  const runs = runsOr(ctx, 3);
  const rows: ResultRow[] = [];
  for (const [format, file] of [['yaml', inputs.yaml], ['json', inputs.json]] as const) {
    const samples = await repeat({ warmup: 0, runs }, () => runTranslate(cmd, file));
    const atTarget = n === TARGET.n && format === 'yaml';
    rows.push(
      row({ workload: 'cli-translate', n, metric: `translate -f ${format}: time`, unit: 's', summary: summarize(samples.map((s) => s.seconds)), ...(atTarget ? { target: { op: '<=' as const, value: TARGET.seconds } } : {}), note: `process start to exit; input ${(inputs.bytes / MIB).toFixed(1)} MiB of YAML (${format === 'json' ? 'the same objects as one JSON List' : 'one file, a document per object'})` }),
      row({ workload: 'cli-translate', n, metric: `translate -f ${format}: cpu`, unit: 's', summary: summarize(samples.map((s) => s.cpuSeconds)), note: 'user + system CPU time of the process' }),
      row({ workload: 'cli-translate', n, metric: `translate -f ${format}: peak rss`, unit: 'MiB', summary: summarize(samples.map((s) => s.peakRssMiB)), ...(atTarget ? { target: { op: '<=' as const, value: TARGET.peakRssMiB } } : {}) }),
    );
  }
  return rows;
}

export const cliTranslateWorkload: Workload = {
  name: 'cli-translate',
  description: '`meshdoor translate -f` on N Ingresses with their Services and Secrets: time and peak RSS',
  async run(ctx) {
    const cmd = await childCommand('src/cli/main.ts');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'meshdoor-bench-cli-'));
    try {
      const rows: ResultRow[] = [];
      for (const n of ctx.quick ? [1000] : [TARGET.n]) rows.push(...await measureSize(ctx, cmd, dir, n));
      return rows;
    } finally {
      await rm(dir, { recursive: true, force: true });
      await cmd.cleanup();
    }
  },
};
