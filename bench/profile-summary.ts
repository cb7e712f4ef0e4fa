// Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the
// most self time and the most total time, as % of the profile.
// Usage: node --import tsx bench/profile-summary.ts <file.cpuprofile> [top=25] [filter]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

export interface FunctionCost {
  name: string;
  selfPct: number;
  totalPct: number;
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url ? path.relative(process.cwd(), url.replace(/^file:\/\//, '')) : '(native)';
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
}

/** Self and total % per function (summed over call sites; recursion counted once). */
export function summarizeProfile(profile: Profile): FunctionCost[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  for (const sample of profile.samples) {
    const leaf = byId.get(sample);
    if (!leaf) continue;
    self.set(label(leaf), (self.get(label(leaf)) ?? 0) + 1);
    const seen = new Set<string>();
    for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id);
      if (node) seen.add(label(node));
    }
    for (const name of seen) total.set(name, (total.get(name) ?? 0) + 1);
  }
  const count = profile.samples.length || 1;
  return [...total.keys()].map((name) => ({
    name, selfPct: (100 * (self.get(name) ?? 0)) / count, totalPct: (100 * (total.get(name) ?? 0)) / count,
  }));
}

function main(): void {
  const [file, topArg, filter] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top] [filter]');
  const top = Number(topArg ?? 25);
  const costs = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as Profile)
    .filter((c) => !filter || c.name.includes(filter));
  const show = (title: string, key: 'selfPct' | 'totalPct') => {
    console.log(`\n${title}`);
    for (const c of [...costs].sort((a, b) => b[key] - a[key]).slice(0, top)) {
      console.log(`${c.selfPct.toFixed(1).padStart(6)}% self ${c.totalPct.toFixed(1).padStart(6)}% total  ${c.name}`);
    }
  };
  show('by self time', 'selfPct');
  show('by total time', 'totalPct');
}

if (import.meta.main) main();
