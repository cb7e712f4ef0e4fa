// Workload 8: the controller under steady churn for minutes (bench/soak-child.ts
// in a fresh process, compiled and started as the image runs it, V8 sized as
// under the manifest's 512Mi limit), the Kong double here. Is the live heap
// flat once warmed up, and how long does a change wait while pushes run back
// to back?
import { startKongDouble } from '../../test/kong-double/index.ts';
import { kongRouteName } from '../../src/translate/naming.ts';
import { CONTAINER_512MI_V8, childCommand, runChild } from '../child-process.ts';
import type { ChildCommand } from '../child-process.ts';
import { SOAK_REJECTED } from '../generate.ts';
import { imageRuntime } from '../image-runtime.ts';
import { row } from '../report.ts';
import type { ResultRow } from '../report.ts';
import type { SoakReport } from '../soak-child.ts';
import { slope, summarize } from '../stats.ts';
import type { Workload, WorkloadContext } from '../workload.ts';

export const SOAK_DEFAULT_MINUTES = 4;
export const SOAK_RATE = 5;
const HEAP_SLOPE_TARGET = 0.5;
/**
 * The child also holds the fake API server's copy of every object (the live
 * heap before the controller starts is 88.7 MiB at N = 10k, libraries
 * included; logged by the child), which a controller in a cluster does not:
 * its old space is the container's 256 MiB plus that share.
 */
const SOURCE_KIB_PER_INGRESS = 12;

export function soakOldSpaceMiB(n: number): number {
  return 256 + Math.ceil((n * SOURCE_KIB_PER_INGRESS) / 1024);
}
/** Heap minima are taken per window of this many seconds for the slope. */
const SLOPE_WINDOW_S = 10;

function rejectedRouteName(): string {
  const { namespace, name, service, host, port } = SOAK_REJECTED;
  return kongRouteName({ namespace, ingress: name, service, host, port: String(port) });
}

/** Slope of the live heap (after full GCs) over the last half of the run, in MiB per minute. */
export function liveHeapSlopeLastHalf(report: Pick<SoakReport, 'liveHeap' | 'minutes'>): number {
  const half = (report.minutes * 60) / 2;
  return slope(report.liveHeap.filter((s) => s.t >= half).map((s) => [s.t / 60, s.liveHeapMiB] as const));
}

/** Heap-used minima per window over the last half of the run, and their slope in MiB per minute. */
export function heapSlopeLastHalf(report: Pick<SoakReport, 'samples' | 'minutes'>): number {
  const half = (report.minutes * 60) / 2;
  const windows = new Map<number, number>();
  for (const { t, heapUsedMiB } of report.samples) {
    if (t < half) continue;
    const w = Math.floor(t / SLOPE_WINDOW_S);
    windows.set(w, Math.min(windows.get(w) ?? Number.POSITIVE_INFINITY, heapUsedMiB));
  }
  const points = [...windows].map(([w, min]) => [((w + 0.5) * SLOPE_WINDOW_S) / 60, min] as const);
  return slope(points);
}

function soakRows(report: SoakReport): ResultRow[] {
  const { n } = report;
  const one = (value: number) => summarize([value]);
  const minutes = report.perMinute;
  const minima = minutes.map((m) => m.heapUsedMinMiB);
  const push = summarize(report.pushMs);
  const latencyBound = push.p99 + report.holdoffMs;
  const base = { workload: 'soak', n };
  const live = report.liveHeap.map((s) => s.liveHeapMiB.toFixed(1)).join(', ');
  return [
    row({ ...base, metric: 'heap used, minimum per minute', unit: 'MiB', summary: summarize(minima), note: `by minute: ${minima.map((m) => m.toFixed(1)).join(', ')}; live heap before the controller started (Node, libraries, the fake API server's objects): ${report.sourceHeapMiB.toFixed(1)} MiB; old space ${soakOldSpaceMiB(n)} MiB` }),
    row({ ...base, metric: 'live heap slope, last half', unit: 'MiB/min', summary: one(liveHeapSlopeLastHalf(report)), target: { op: '<=', value: HEAP_SLOPE_TARGET }, note: `heap used after a full GC every 30 s: ${live}; first half is warm-up` }),
    row({ ...base, metric: 'heap-minima slope, last half', unit: 'MiB/min', summary: one(heapSlopeLastHalf(report)), note: `least squares over ${SLOPE_WINDOW_S} s minima (no forced GC: noisier)` }),
    row({ ...base, metric: 'rss, maximum per minute', unit: 'MiB', summary: summarize(minutes.map((m) => m.rssMaxMiB)), note: `peak ${report.peakRssMiB.toFixed(0)} MiB` }),
    row({ ...base, metric: 'event-loop lag p99, per minute', unit: 'ms', summary: summarize(minutes.map((m) => m.lagP99Ms)), note: `max ${Math.max(...minutes.map((m) => m.lagMaxMs)).toFixed(0)} ms` }),
    row({ ...base, metric: 'pushes per minute', unit: 'count', summary: summarize(minutes.map((m) => m.pushes * (60_000 / minuteLengthMs(report, m.minute)))) }),
    row({ ...base, metric: 'push (POST → answer)', unit: 'ms', summary: push, distribution: true }),
    row({
      ...base, metric: 'change → POST leaves, under churn', unit: 'ms', summary: summarize(report.changeToPostMs), distribution: true,
      target: { op: '<=', value: Math.round(latencyBound), on: 'p99' },
      note: `path edits at ${report.rate} changes/s of every kind, no Ingress Kong rejects present; target: push p99 + holdoff ${report.holdoffMs} ms`,
    }),
    row({
      ...base, metric: 'change → POST leaves, Kong rejecting one', unit: 'ms', summary: summarize(report.changeToPostRejectingMs ?? []), distribution: true,
      note: 'while the Ingress Kong rejects exists, each sync POSTs twice (refused, then without it)',
    }),
  ];
}

function minuteLengthMs(report: SoakReport, minute: number): number {
  return Math.min(60_000, report.minutes * 60_000 - (minute - 1) * 60_000);
}

async function soakSize(ctx: WorkloadContext, cmd: ChildCommand, n: number, minutes: number): Promise<ResultRow[]> {
  const double = await startKongDouble({ mode: 'dbless', configLimitBytes: 1024 * 2 ** 20 });
  try {
    double.rejectEntity(rejectedRouteName());
    const runtime = imageRuntime();
    // The container's V8 sizing, with the old space grown by the fake API server's share.
    const v8 = [...CONTAINER_512MI_V8.filter((flag) => !flag.startsWith('--max-old-space-size=')), `--max-old-space-size=${soakOldSpaceMiB(n)}`];
    const report = await runChild<SoakReport>({
      cmd, runtime: { ...runtime, nodeFlags: [...runtime.nodeFlags, ...v8] }, nodeFlags: ['--expose-gc'],
      args: [String(n), double.url, String(minutes), String(SOAK_RATE), String(60)],
      label: `soak child N=${n}`, onStderrLine: (line) => { ctx.log(`soak N=${n}: ${line}`); },
    });
    return soakRows(report);
  } finally {
    await double.close();
  }
}

export const soakWorkload: Workload = {
  name: 'soak',
  description: 'heap, RSS, lag, pushes and change → POST under steady churn of every kind (child process, compiled, 512Mi V8)',
  async run(ctx) {
    const minutes = ctx.soakMinutes ?? (ctx.quick ? 0.5 : SOAK_DEFAULT_MINUTES);
    const sizes = ctx.soakSizes ?? (ctx.quick ? [200] : [1000, 10000]);
    const cmd = await childCommand('bench/soak-child.ts');
    try {
      const rows: ResultRow[] = [];
      for (const n of sizes) rows.push(...await soakSize(ctx, cmd, n, minutes));
      return rows;
    } finally {
      await cmd.cleanup();
    }
  },
};
