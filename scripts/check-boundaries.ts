// Checks the module rules of src/ (scripts/boundaries/rules.ts) and exits 1 on
// a violation. `--graph` prints the module graph as a Mermaid flowchart instead.
// Usage: node --import tsx scripts/check-boundaries.ts [--graph] [repository root]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildImportGraph, type ImportEdge } from './boundaries/import-graph.ts';
import { judge, PENDING, type Verdict } from './boundaries/pending.ts';
import { moduleGraph, type ModuleGraph } from './boundaries/rules.ts';

function readSources(root: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })) {
    const path = `src/${entry.split('\\').join('/')}`;
    if (path.endsWith('.ts')) files.set(path, readFileSync(join(root, path), 'utf8'));
  }
  return files;
}

export function mermaid(graph: ModuleGraph): string {
  const lines = ['flowchart LR'];
  for (const [from, targets] of [...graph].sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = [...targets.keys()].sort();
    lines.push(...(sorted.length === 0 ? [`  ${from}`] : sorted.map((to) => `  ${from} --> ${to}`)));
  }
  return lines.join('\n');
}

function summary(edges: readonly ImportEdge[], verdict: Verdict): string {
  const graph = moduleGraph(edges);
  const all = [...verdict.failing, ...verdict.tolerated];
  const count = (rule: string): number => all.filter((v) => v.rule === rule).length;
  const dependencies = [...graph.values()].reduce((sum, targets) => sum + targets.size, 0);
  return `boundaries: ${graph.size} modules, ${dependencies} module dependencies, ${edges.length} imports inside src/; `
    + `${count('module-cycle')} module cycles, ${count('deep-import')} deep imports, `
    + `${count('product-imports-test-code')} imports of test code from src/, `
    + `${count('unreachable-from-product')} files in src/ the product never runs `
    + `(${verdict.failing.length} failing, ${verdict.tolerated.length} pending)`;
}

function report(verdict: Verdict): void {
  for (const v of verdict.tolerated) console.log(`pending: ${v.message}`);
  for (const v of verdict.failing) console.error(`error: ${v.message}`);
  for (const p of verdict.stale) {
    console.error(`error: the pending ${p.rule} entry for ${p.from} → ${p.to ?? 'any module'} is not needed any more: delete it from scripts/boundaries/pending.ts.`);
  }
}

// bin/meshdoor.js runs the CLI's main, which imports every command.
const PRODUCT_ENTRIES = ['src/cli/main.ts'];

function main(argv: readonly string[]): number {
  const root = argv.find((arg) => !arg.startsWith('--')) ?? '.';
  const sources = readSources(root);
  const edges = buildImportGraph(sources);
  if (argv.includes('--graph')) {
    console.log(mermaid(moduleGraph(edges)));
    return 0;
  }
  const verdict = judge({ files: [...sources.keys()], edges, entries: PRODUCT_ENTRIES }, PENDING);
  report(verdict);
  console.log(summary(edges, verdict));
  return verdict.failing.length + verdict.stale.length === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
