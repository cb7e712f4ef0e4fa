// One memory child at one size, as the memory workload runs it, its report printed
// as JSON: for comparing a change without the whole workload (minutes per row).
// Usage: node --import tsx bench/memory-one.ts [n=10000] [--container-512mi] [--plain-node]
import process from 'node:process';
import { startKongDouble } from '../test/kong-double/index.ts';
import { CONTAINER_512MI_V8, childCommand } from './child-process.ts';
import { imageRuntime, PLAIN_NODE } from './image-runtime.ts';
import { runMemoryChild } from './workloads/memory.ts';

const MIB = 2 ** 20;
const n = Number(process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? 10000);
const image = imageRuntime();
const runtime = process.argv.includes('--plain-node') ? PLAIN_NODE
  : process.argv.includes('--container-512mi') ? { ...image, nodeFlags: [...image.nodeFlags, ...CONTAINER_512MI_V8] } : image;
const cmd = await childCommand('bench/memory-child.ts');
const double = await startKongDouble({ mode: 'dbless', configLimitBytes: 1024 * MIB });
try {
  const report = await runMemoryChild(cmd, n, double, runtime);
  const mib = (bytes: number) => Math.round(bytes / MIB);
  const { rssParts: parts } = report;
  console.log(JSON.stringify({ n, ...(runtime.missingPreload ? { missingPreload: runtime.missingPreload } : {}), convergeS: Math.round(report.convergeMs / 100) / 10, pushes: report.pushes, rss: mib(report.rssBytes), settled: mib(report.settledRssBytes), peak: mib(report.peakRssBytes), heapUsed: mib(report.heapUsedBytes), heapCommitted: mib(parts.v8HeapCommittedBytes), anonymous: mib(parts.anonymousBytes), file: mib(parts.fileBytes), external: mib(report.externalBytes) }));
} finally {
  await double.close();
  await cmd.cleanup();
}
