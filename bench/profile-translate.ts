// Repeats whole-snapshot translation for a profile of the translator alone:
//   node --cpu-prof --cpu-prof-dir=prof --import tsx bench/profile-translate.ts [n=10000] [runs=10] [mode=cold]
//   node --import tsx bench/profile-summary.ts prof/<file>.cpuprofile
//   node --import tsx bench/profile-translate.ts 10000 1 cold --alloc   # who allocates, garbage included
// mode: cold (copies of every object and new settings each run, as the
// translate workload's "cold" row), fresh (copies and a new translator: its
// "new translator" row), replanned (same objects, new settings) or same (the
// same snapshot and settings object: the unchanged pass).
// With --alloc the last run is sampled by V8's heap profiler, objects the GC
// collected included, and the functions that allocated most are printed (for
// file:line figures, compile first: `compileEntry` in compile.ts).
import { Session } from 'node:inspector/promises';
import process from 'node:process';
import { DEFAULT_SETTINGS } from '../src/config/settings.ts';
import { replanningSettings } from './replanning-settings.ts';
import { createTranslator } from '../src/translate/index.ts';
import { collectGarbage, measureAllocation } from './allocation.ts';
import { generateCluster } from './generate.ts';

interface SampledNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SampledNode[];
}

const args = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const alloc = process.argv.includes('--alloc');
const n = Number(args[0] ?? 10000);
const runs = Number(args[1] ?? 10);
const mode = args[2] ?? 'cold';
const { snapshot } = generateCluster({ n });
const kept = createTranslator();
const sameSettings = { ...DEFAULT_SETTINGS };

function nextInput(): { input: typeof snapshot; settings: typeof DEFAULT_SETTINGS; translate: typeof kept.translate } {
  return {
    input: mode === 'cold' || mode === 'fresh' ? structuredClone(snapshot) : snapshot,
    settings: mode === 'same' ? sameSettings : replanningSettings(),
    translate: mode === 'fresh' ? createTranslator().translate : kept.translate,
  };
}

function frameName(node: SampledNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
}

function printAllocations(head: SampledNode): void {
  const self = new Map<string, number>();
  // A built-in (sort, Map.set) is named with the function that called it.
  const walk = (node: SampledNode, caller: string): void => {
    const name = node.callFrame.url === '' && caller !== '' ? `${frameName(node)} <- ${caller}` : frameName(node);
    self.set(name, (self.get(name) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child, node.callFrame.url === '' ? caller : frameName(node));
  };
  walk(head, '');
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`sampled allocation: ${(total / 2 ** 20).toFixed(1)} MiB; by allocating function:`);
  for (const [name, bytes] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) {
    console.log(`${(bytes / 2 ** 20).toFixed(1).padStart(8)} MiB  ${name}`);
  }
}

const samples: string[] = [];
for (let i = 0; i < runs; i += 1) {
  const { input, settings, translate } = nextInput();
  collectGarbage();
  // CPU time too (every thread of the process, GC helpers included): on a loaded host it moves less than wall time.
  const cpuBefore = process.cpuUsage();
  const { ms, allocatedBytes } = measureAllocation(() => translate(input, { settings }));
  const cpu = process.cpuUsage(cpuBefore);
  samples.push(`${ms.toFixed(0)} ms (cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)})/${(allocatedBytes / 2 ** 20).toFixed(0)} MiB`);
}
console.log(`translate N=${n} ${mode}: ${samples.join(', ')}`);
if (alloc) {
  const { input, settings, translate } = nextInput();
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  translate(input, { settings });
  const { profile } = await session.post('HeapProfiler.stopSampling');
  printAllocations(profile.head);
}
