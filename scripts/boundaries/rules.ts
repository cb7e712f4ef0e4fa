// The module rules of src/, as pure functions over an import graph.
// A module is a top-level folder src/<m>/ (src/kong/rules is part of kong) whose
// one public entry is src/<m>/index.ts. Rules:
// - module-cycle: no import cycle between modules (ESM evaluates a cycle in an
//   order nobody chose, and two modules in a cycle can only change together);
// - deep-import: another module is imported only through its index.ts;
// - product-imports-test-code: nothing under src/ imports test/, e2e/ or bench/;
// - unreachable-from-product: every file under src/ is imported, directly or
//   not, by the product's entry: what only tests use lives under test/.
// Tests and benchmarks may import anything, internals included.
import { posix } from 'node:path';
import type { ImportEdge } from './import-graph.ts';

export type RuleName = 'module-cycle' | 'deep-import' | 'product-imports-test-code' | 'unreachable-from-product';

export interface Violation {
  rule: RuleName;
  /** The file that breaks the rule (for a cycle: the importer of its first step). */
  file: string;
  /** The import that breaks the rule (for a cycle: its first step); none for an unreachable file. */
  edge?: ImportEdge;
  /** The modules concerned: importer and imported, or every module of the cycle, sorted. */
  modules: string[];
  /** One paragraph naming the file, the import, the rule and the fix. */
  message: string;
}

const TEST_CODE_ROOTS = ['test', 'e2e', 'bench'];

/** The module a repository path belongs to, or undefined outside src/<m>/. */
export function moduleOf(path: string): string | undefined {
  return /^src\/([^/]+)\/./.exec(path)?.[1];
}

export function entryOf(module: string): string {
  return `src/${module}/index.ts`;
}

function where(edge: ImportEdge): string {
  return `${edge.from}:${edge.line} imports '${edge.specifier}'`;
}

function relativeSpecifier(from: string, to: string): string {
  const path = posix.relative(posix.dirname(from), to);
  return path.startsWith('.') ? path : `./${path}`;
}

/** Rule deep-import: an import into another module that bypasses its index.ts. */
export function deepImports(edges: readonly ImportEdge[]): Violation[] {
  return edges.flatMap((edge) => {
    const from = moduleOf(edge.from);
    const to = moduleOf(edge.to);
    if (from === undefined || to === undefined || from === to || edge.to === entryOf(to)) return [];
    const message = `${where(edge)}: deep-import (module ${from} reaches into module ${to}'s internals). `
      + `Fix: export what ${from} needs from ${entryOf(to)} and import '${relativeSpecifier(edge.from, entryOf(to))}'.`;
    return [{ rule: 'deep-import' as const, file: edge.from, edge, modules: [from, to], message }];
  });
}

/** Rule product-imports-test-code: src/ importing test/, e2e/ or bench/. */
export function productImportsOfTestCode(edges: readonly ImportEdge[]): Violation[] {
  return edges.flatMap((edge) => {
    const root = edge.to.split('/')[0] ?? '';
    if (!edge.from.startsWith('src/') || !TEST_CODE_ROOTS.includes(root)) return [];
    const module = moduleOf(edge.from) ?? 'src';
    const message = `${where(edge)}: product-imports-test-code (src/ holds only what the controller and CLI run). `
      + `Fix: move the code the product needs from ${root}/ into src/, or move ${edge.from} out of src/ if only tests use it.`;
    return [{ rule: 'product-imports-test-code' as const, file: edge.from, edge, modules: [module], message }];
  });
}

/** module → module → the first import that makes the dependency. */
export type ModuleGraph = Map<string, Map<string, ImportEdge>>;

/** The dependencies between src/ modules, one example import per pair. */
export function moduleGraph(edges: readonly ImportEdge[]): ModuleGraph {
  const graph: ModuleGraph = new Map();
  for (const edge of edges) {
    const from = moduleOf(edge.from);
    const to = moduleOf(edge.to);
    if (from === undefined) continue;
    const targets = graph.get(from) ?? new Map<string, ImportEdge>();
    graph.set(from, targets);
    if (to !== undefined && to !== from && !targets.has(to)) targets.set(to, edge);
  }
  return graph;
}

/** Strongly connected components with more than one module (Tarjan), each sorted. */
export function cyclicComponents(graph: ModuleGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    for (const next of [...(graph.get(node)?.keys() ?? [])].sort()) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (stack.includes(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    for (let top = stack.pop(); top !== undefined; top = top === node ? undefined : stack.pop()) component.push(top);
    if (component.length > 1) components.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return components;
}

/** A shortest cycle through the first module of a component, as the imports that form it. */
function cycleThrough(graph: ModuleGraph, component: readonly string[]): ImportEdge[] {
  const start = component[0]!;
  const cameFrom = new Map<string, ImportEdge>();
  const queue = [start];
  for (let node = queue.shift(); node !== undefined; node = queue.shift()) {
    for (const [next, edge] of [...(graph.get(node) ?? [])].sort(([a], [b]) => a.localeCompare(b))) {
      if (!component.includes(next) || cameFrom.has(next)) continue;
      cameFrom.set(next, edge);
      if (next === start) return stepsBack(cameFrom, start);
      queue.push(next);
    }
  }
  throw new Error(`no cycle through ${start} in component ${component.join(', ')}`);
}

function stepsBack(cameFrom: Map<string, ImportEdge>, start: string): ImportEdge[] {
  const steps: ImportEdge[] = [];
  let node = start;
  do {
    const edge = cameFrom.get(node)!;
    steps.unshift(edge);
    node = moduleOf(edge.from)!;
  } while (node !== start);
  return steps;
}

/** Rule module-cycle: one violation per group of modules that import each other. */
export function moduleCycles(edges: readonly ImportEdge[]): Violation[] {
  const graph = moduleGraph(edges);
  return cyclicComponents(graph).map((modules) => {
    const steps = cycleThrough(graph, modules);
    const path = [...steps.map((step) => moduleOf(step.from)!), modules[0]!].join(' → ');
    const inside = modules.flatMap((from) => [...(graph.get(from) ?? [])]
      .filter(([to]) => modules.includes(to))
      .map(([to, edge]) => `${from} → ${to} (${edge.from}:${edge.line})`));
    const message = `module-cycle among ${modules.join(', ')}, e.g. ${path}: ${steps.map(where).join('; ')}. `
      + `Their dependencies on each other: ${inside.join(', ')}. `
      + 'Fix: move what both sides need into a module they can both import (types, ids, failure records), or drop one direction.';
    return { rule: 'module-cycle' as const, file: steps[0]!.from, edge: steps[0]!, modules, message };
  });
}

/** Rule unreachable-from-product: files under src/ that no import chain from the product's entries reaches. */
export function unreachableFromProduct(files: readonly string[], edges: readonly ImportEdge[], entries: readonly string[]): Violation[] {
  const importsOf = new Map<string, string[]>();
  for (const edge of edges) importsOf.set(edge.from, [...(importsOf.get(edge.from) ?? []), edge.to]);
  const reached = new Set<string>();
  for (let queue = [...entries], file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (reached.has(file)) continue;
    reached.add(file);
    queue.push(...(importsOf.get(file) ?? []));
  }
  return files.filter((file) => file.startsWith('src/') && !reached.has(file)).map((file) => ({
    rule: 'unreachable-from-product' as const,
    file,
    modules: [moduleOf(file) ?? 'src'],
    message: `${file}: unreachable-from-product (no import chain from ${entries.join(', ')} reaches it; src/ holds only what the product runs). `
      + 'Fix: move it under test/ at the same path if only tests use it, or delete it.',
  }));
}
