// Workload: the instructions and simulated cache misses of one steady cold
// translation, counted by valgrind's cachegrind. Wall and CPU time on a shared
// host move by a third within an hour; these counts repeat within about 2 %
// (five runs of one version: 708 to 719 M instructions at 10k), so versions
// further apart than that can be told apart on any host.
// V8 runs single-threaded and predictable (its GC on the measuring thread,
// fixed hash and random seeds). The simulated last-level cache is 2 MiB, an L2
// of this kind of machine: a miss there is a trip to the shared cache or memory.
// Skipped, with a log line, where valgrind is not installed.
import { execFile } from 'node:child_process';
import process from 'node:process';
import { promisify } from 'node:util';
import { childCommand } from '../child-process.ts';
import type { ChildCommand } from '../child-process.ts';
import { row } from '../report.ts';
import type { ResultRow } from '../report.ts';
import { summarize } from '../stats.ts';
import { runsOr } from '../workload.ts';
import type { Workload, WorkloadContext } from '../workload.ts';

const run = promisify(execFile);
const MILLION = 1e6;
const L2_LIKE_CACHE = '--LL=2097152,16,64';
const DETERMINISTIC_V8 = ['--single-threaded', '--predictable', '--hash-seed=1', '--random-seed=1', '--expose-gc'];

interface Counts { instructions: number; l1DataMisses: number; l2DataMisses: number }

/** The totals valgrind prints on stderr ("==pid== I   refs:      1,234"). */
export function parseCachegrindTotals(stderr: string): Counts {
  const total = (label: string): number => {
    const match = new RegExp(`==\\d+== ${label.replace(' ', '\\s+')}:\\s+([\\d,]+)`).exec(stderr);
    if (!match?.[1]) throw new Error(`cachegrind printed no '${label}' total`);
    return Number(match[1].replaceAll(',', ''));
  };
  return { instructions: total('I refs'), l1DataMisses: total('D1 misses'), l2DataMisses: total('LLd misses') };
}

async function countRun(cmd: ChildCommand, n: number, what: 'pass' | 'setup'): Promise<Counts> {
  const args = ['--tool=cachegrind', '--cache-sim=yes', L2_LIKE_CACHE, '--cachegrind-out-file=/dev/null', process.execPath, ...DETERMINISTIC_V8, ...cmd.loader, cmd.file, String(n), what];
  const { stderr } = await run('valgrind', args, { maxBuffer: 16 * 2 ** 20 });
  return parseCachegrindTotals(stderr);
}

/** One pass's counts: the run with it less the run without (run side by side: the counts do not depend on timing). */
async function countPass(cmd: ChildCommand, n: number): Promise<Counts> {
  const [withPass, setupOnly] = await Promise.all([countRun(cmd, n, 'pass'), countRun(cmd, n, 'setup')]);
  return {
    instructions: withPass.instructions - setupOnly.instructions,
    l1DataMisses: withPass.l1DataMisses - setupOnly.l1DataMisses,
    l2DataMisses: withPass.l2DataMisses - setupOnly.l2DataMisses,
  };
}

async function hasValgrind(): Promise<boolean> {
  try {
    await run('valgrind', ['--version']);
    return true;
  } catch {
    return false;
  }
}

async function measureSize(ctx: WorkloadContext, cmd: ChildCommand, n: number): Promise<ResultRow[]> {
  const samples: Counts[] = [];
  for (let i = 0; i < runsOr(ctx, 1); i += 1) samples.push(await countPass(cmd, n));
  const note = 'one cold translation (copies of every object, settings re-read) after three, under cachegrind: V8 single-threaded and predictable';
  return [
    row({ workload: 'instructions', n, metric: 'instructions, cold', unit: 'M', summary: summarize(samples.map((s) => s.instructions / MILLION)), note }),
    row({ workload: 'instructions', n, metric: 'L1 data misses, cold', unit: 'M', summary: summarize(samples.map((s) => s.l1DataMisses / MILLION)) }),
    row({ workload: 'instructions', n, metric: '2 MiB cache data misses, cold', unit: 'M', summary: summarize(samples.map((s) => s.l2DataMisses / MILLION)), note: 'misses of a simulated 2 MiB last-level cache: trips past this machine\'s L2' }),
  ];
}

export const instructionsWorkload: Workload = {
  name: 'instructions',
  description: 'instructions and cache misses of one cold translation, counted by valgrind (repeatable where time is not)',
  async run(ctx) {
    if (!(await hasValgrind())) {
      ctx.log('instructions: skipped, valgrind is not installed (apt-get install valgrind)');
      return [];
    }
    const cmd = await childCommand('bench/instructions-child.ts');
    try {
      const rows: ResultRow[] = [];
      for (const n of ctx.quick ? [100] : [10000]) rows.push(...await measureSize(ctx, cmd, n));
      return rows;
    } finally {
      await cmd.cleanup();
    }
  },
};
