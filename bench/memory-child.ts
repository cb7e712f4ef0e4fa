// The controller pipeline alone in a fresh process (spawned by the memory
// workload): load N generated Ingresses with their Services and Secrets, converge
// to the Kong double at the given URL, then report RSS and heap as one JSON line.
// Usage: node --expose-gc <memory-child.js compiled by workloads/memory.ts> <n> <kongUrl>
// (or: node --import tsx --expose-gc bench/memory-child.ts <n> <kongUrl>)
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { generateCluster } from './generate.ts';
import { benchMeshDoor, startInProcessController } from './in-process.ts';
import type { PostEvent } from './in-process.ts';
import { StaticWatch } from './static-watch.ts';
import { waitUntil } from './wait.ts';

const QUIET_MS = 3000;

export interface MemoryReport {
  n: number;
  /** Start of the process work to the last push answered. */
  convergeMs: number;
  pushes: number;
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  peakRssBytes: number;
  /**
   * RSS after a memory-reducing GC, which also unmaps the pages V8 pooled after
   * the sync's allocation burst: what an idle controller settles to once V8's
   * memory reducer runs (about two minutes later in a run with light allocation).
   */
  settledRssBytes: number;
  /**
   * Where the RSS after converging lives, as measured: anonymous and file-backed
   * resident memory (/proc), and V8's committed heap (not all of it resident).
   */
  rssParts: { anonymousBytes: number; fileBytes: number; v8HeapCommittedBytes: number };
}

function statusBytes(field: string, status = readFileSync('/proc/self/status', 'utf8')): number {
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

function peakRss(): number {
  return statusBytes('VmHWM');
}

function rssParts(heapCommittedBytes: number): MemoryReport['rssParts'] {
  const status = readFileSync('/proc/self/status', 'utf8');
  return { anonymousBytes: statusBytes('RssAnon', status), fileBytes: statusBytes('RssFile', status), v8HeapCommittedBytes: heapCommittedBytes };
}

type GcOptions = { type: 'major'; execution: 'sync'; flavor: 'regular' | 'last-resort' };

function fullGc(flavor: GcOptions['flavor']): void {
  const gc = (globalThis as { gc?: (options?: GcOptions) => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  gc({ type: 'major', execution: 'sync', flavor });
  gc({ type: 'major', execution: 'sync', flavor });
}

/**
 * N Ingresses with their Services and Secrets as a real API server serves them
 * (managedFields, last-applied annotation). Only the watch holds them: the
 * caches keep trimmed copies, and the untrimmed ones go once it is released.
 */
function appliedCluster(n: number): StaticWatch {
  const { snapshot } = generateCluster({ n, kubectlApplied: true });
  return new StaticWatch([benchMeshDoor(), ...snapshot.IngressClass, ...snapshot.Service, ...snapshot.Secret, ...snapshot.Ingress]);
}

async function main(): Promise<void> {
  const [nArg, kongUrl] = process.argv.slice(2);
  const n = Number(nArg);
  if (!kongUrl || !Number.isInteger(n)) throw new Error('usage: memory-child.ts <n> <kongUrl>');
  const started = performance.now();
  const watch = appliedCluster(n);
  const posts: PostEvent[] = [];
  const pipeline = await startInProcessController({
    watchFactory: watch.factory, kongUrl, holdoffMs: 100, maxDelayMs: 1000,
    onPost: (event) => { posts.push(event); },
    // A real controller's list responses are garbage once the caches hold their
    // trimmed copies, before the first push: drop the source's copies as soon as
    // the first push is answered, not after converging (its freed pages would
    // count against the controller). A watch started later would list nothing:
    // the run fails then.
    onPostDone: () => { watch.release(); },
  });
  // Converged: the last push was answered and nothing new was sent for a while
  // (the first pass may push before the Secret watches exist; a second one follows).
  const quietSince = (): number => posts.at(-1)?.doneAt ?? Number.POSITIVE_INFINITY;
  await waitUntil(() => performance.now() - quietSince() > QUIET_MS, 'a converged, quiet pipeline', 1_800_000, 50);
  const convergeMs = quietSince() - started;
  if (watch.startsAfterRelease > 0) throw new Error(`${watch.startsAfterRelease} watch(es) started after the first push: they listed nothing`);
  fullGc('regular');
  const usage = process.memoryUsage();
  const parts = rssParts(usage.heapTotal);
  fullGc('last-resort');
  const report: MemoryReport = {
    n, convergeMs, pushes: posts.length, rssBytes: usage.rss, heapUsedBytes: usage.heapUsed, heapTotalBytes: usage.heapTotal,
    externalBytes: usage.external, peakRssBytes: peakRss(), settledRssBytes: process.memoryUsage.rss(), rssParts: parts,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  await pipeline.stop();
}

main().then(() => process.exit(0), (error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
