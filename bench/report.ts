// Results as rows, the environment they were measured in, a readable table and JSON.
import os from 'node:os';
import process from 'node:process';
import type { Summary } from './stats.ts';

export interface Target {
  /** `<=`: the statistic must not exceed value; `==`: it must equal it. */
  op: '<=' | '==';
  value: number;
  /** Which statistic is held to the target (default: the median). */
  on?: 'median' | 'p99';
}

export interface ResultRow {
  workload: string;
  n: number;
  metric: string;
  unit: string;
  median: number;
  min: number;
  max: number;
  /** Only for latency distributions. */
  p99?: number;
  runs: number;
  target?: Target & { met: boolean };
  note?: string;
}

export interface BenchEnvironment {
  node: string;
  cpu: string;
  cores: number;
  platform: string;
  totalMemoryMiB: number;
  loadAverage: number[];
  startedAt: string;
  quick: boolean;
}

export interface BenchReport {
  environment: BenchEnvironment;
  results: ResultRow[];
  errors: Array<{ workload: string; message: string }>;
}

export function benchEnvironment(quick: boolean): BenchEnvironment {
  const cpus = os.cpus();
  return {
    node: process.version,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    totalMemoryMiB: Math.round(os.totalmem() / 2 ** 20),
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    startedAt: new Date().toISOString(),
    quick,
  };
}

export interface RowInput {
  workload: string;
  n: number;
  metric: string;
  unit: string;
  summary: Summary;
  /** Report p99 (latency distributions only). */
  distribution?: boolean;
  target?: Target;
  note?: string;
}

function meets(target: Target, value: number): boolean {
  return target.op === '<=' ? value <= target.value : value === target.value;
}

export function row(input: RowInput): ResultRow {
  const { summary } = input;
  const result: ResultRow = {
    workload: input.workload, n: input.n, metric: input.metric, unit: input.unit,
    median: summary.median, min: summary.min, max: summary.max, runs: summary.count,
  };
  if (input.distribution) result.p99 = summary.p99;
  if (input.target) result.target = { ...input.target, met: meets(input.target, input.target.on === 'p99' ? summary.p99 : summary.median) };
  if (input.note) result.note = input.note;
  return result;
}

function fmt(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '';
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  return value.toFixed(abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3);
}

function targetText(r: ResultRow): string {
  if (!r.target) return '';
  const on = r.target.on === 'p99' ? 'p99 ' : '';
  return `${on}${r.target.op} ${fmt(r.target.value)} ${r.target.met ? 'met' : 'MISSED'}`;
}

export function formatTable(report: BenchReport): string {
  const env = report.environment;
  const header = ['workload', 'N', 'metric', 'median', 'min', 'max', 'p99', 'unit', 'runs', 'target'];
  const lines = report.results.map((r) => [
    r.workload, String(r.n), r.metric, fmt(r.median), fmt(r.min), fmt(r.max), fmt(r.p99), r.unit, String(r.runs), targetText(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const render = (cells: string[]) => cells.map((c, i) => (i === 1 || (i >= 3 && i <= 6) || i === 8 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  const out = [
    `Node ${env.node} | ${env.cpu} | ${env.cores} cores | ${env.totalMemoryMiB} MiB | load ${env.loadAverage.join(' ')} | ${env.quick ? 'quick' : 'full'} sizes`,
    '',
    render(header),
    render(widths.map((w) => '-'.repeat(w))),
    ...lines.map(render),
  ];
  const notes = report.results.filter((r) => r.note).map((r) => `  ${r.workload} N=${r.n} ${r.metric}: ${r.note ?? ''}`);
  if (notes.length > 0) out.push('', 'notes:', ...notes);
  if (report.errors.length > 0) out.push('', 'not measured:', ...report.errors.map((e) => `  ${e.workload}: ${e.message}`));
  return out.join('\n');
}
