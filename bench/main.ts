// `npm run bench [-- --quick] [--json file] [--only a,b] [--runs n] [--soak-minutes m] [--soak-n 1000,10000] [--list]`
// Runs the workloads in order and prints one table; see bench/README.md.
import { writeFile } from 'node:fs/promises';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { benchEnvironment, formatTable } from './report.ts';
import type { BenchReport } from './report.ts';
import type { Workload } from './workload.ts';
import { WORKLOADS } from './workloads/index.ts';

export interface BenchArgs {
  quick: boolean;
  json?: string;
  only?: string[];
  runs?: number;
  soakMinutes?: number;
  soakSizes?: number[];
  list: boolean;
}

export function parseBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'string' },
      only: { type: 'string' },
      runs: { type: 'string' },
      'soak-minutes': { type: 'string' },
      'soak-n': { type: 'string' },
      list: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const args: BenchArgs = { quick: values.quick, list: values.list };
  if (values.json) args.json = values.json;
  if (values.only) args.only = values.only.split(',').map((s) => s.trim()).filter(Boolean);
  if (values.runs !== undefined) {
    const runs = Number(values.runs);
    if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, not '${values.runs}'`);
    args.runs = runs;
  }
  if (values['soak-minutes'] !== undefined) {
    const minutes = Number(values['soak-minutes']);
    if (!(minutes > 0)) throw new Error(`--soak-minutes must be a positive number, not '${values['soak-minutes']}'`);
    args.soakMinutes = minutes;
  }
  if (values['soak-n'] !== undefined) {
    const sizes = values['soak-n'].split(',').map(Number);
    if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--soak-n must list positive integers, not '${values['soak-n']}'`);
    args.soakSizes = sizes;
  }
  return args;
}

function selectWorkloads(only: string[] | undefined): Workload[] {
  if (!only) return WORKLOADS;
  const unknown = only.filter((name) => !WORKLOADS.some((w) => w.name === name));
  if (unknown.length > 0) throw new Error(`unknown workload(s) ${unknown.join(', ')}; known: ${WORKLOADS.map((w) => w.name).join(', ')}`);
  return WORKLOADS.filter((w) => only.includes(w.name));
}

export async function runBench(args: BenchArgs): Promise<BenchReport> {
  const report: BenchReport = { environment: benchEnvironment(args.quick), results: [], errors: [] };
  const log = (message: string) => { process.stderr.write(`# ${message}\n`); };
  for (const workload of selectWorkloads(args.only)) {
    log(`${workload.name}: ${workload.description}`);
    try {
      const ctx = {
        quick: args.quick, log,
        ...(args.runs === undefined ? {} : { runs: args.runs }),
        ...(args.soakMinutes === undefined ? {} : { soakMinutes: args.soakMinutes }),
        ...(args.soakSizes === undefined ? {} : { soakSizes: args.soakSizes }),
      };
      report.results.push(...await workload.run(ctx));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`${workload.name} failed: ${message}`);
      report.errors.push({ workload: workload.name, message: message.split('\n')[0] ?? message });
    }
  }
  return report;
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  if (args.list) {
    for (const w of WORKLOADS) console.log(`${w.name.padEnd(14)} ${w.description}`);
    return;
  }
  const report = await runBench(args);
  console.log(formatTable(report));
  if (args.json) await writeFile(args.json, `${JSON.stringify(report, null, 2)}\n`);
  if (report.errors.length > 0) process.exitCode = 1;
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 2;
  });
}
