// Violations known and tolerated for now, printed on every run. Each entry must
// still be needed: once the code is fixed the checker asks to delete it.
import { deepImports, moduleCycles, moduleOf, productImportsOfTestCode, unreachableFromProduct, type Violation } from './rules.ts';
import type { ImportEdge } from './import-graph.ts';

export interface PendingViolation {
  /**
   * module-cycle: the dependency from → to is left out of the cycle search; deep-import: the deep imports
   * from → to (any module if no `to`) are tolerated; unreachable-from-product: module `from`'s files
   * may be unreachable (built ahead of the change that wires them in).
   */
  rule: 'module-cycle' | 'deep-import' | 'unreachable-from-product';
  from: string;
  to?: string;
  why: string;
}

export const PENDING: readonly PendingViolation[] = [];

export interface Verdict {
  failing: Violation[];
  /** What the pending entries let through, to print. */
  tolerated: Violation[];
  /** Entries that are not needed any more: the fix landed, delete them. */
  stale: PendingViolation[];
}

function covers(pending: PendingViolation, edge: ImportEdge): boolean {
  return moduleOf(edge.from) === pending.from && (pending.to === undefined || moduleOf(edge.to) === pending.to);
}

function cyclesKey(cycles: readonly Violation[]): string {
  return cycles.map((c) => c.modules.join()).join(' | ');
}

export interface Repository {
  /** Every source file under src/, repository-relative. */
  files: readonly string[];
  edges: readonly ImportEdge[];
  /** The files the product starts from (the CLI's main). */
  entries: readonly string[];
}

/** The rules' verdict on a repository's import graph, with the pending entries applied. */
export function judge({ files, edges, entries }: Repository, pending: readonly PendingViolation[]): Verdict {
  const without = (entries: readonly PendingViolation[]): ImportEdge[] =>
    edges.filter((edge) => !entries.some((p) => covers(p, edge)));
  const ignoredDependencies = pending.filter((p) => p.rule === 'module-cycle');
  const allCycles = moduleCycles(edges);
  const cycles = moduleCycles(without(ignoredDependencies));
  const failingKeys = new Set(cycles.map((c) => c.modules.join()));
  const deep = deepImports(edges);
  const tolerates = (p: PendingViolation) => (v: Violation): boolean => p.rule === 'deep-import' && v.edge !== undefined && covers(p, v.edge);
  const isPendingDeep = (v: Violation): boolean => pending.some((p) => tolerates(p)(v));
  const unreachable = unreachableFromProduct(files, edges, entries);
  const isPendingUnreachable = (p: PendingViolation) => (v: Violation): boolean =>
    p.rule === 'unreachable-from-product' && v.modules[0] === p.from;
  // A left-out dependency is needed while leaving it out changes the cycles found.
  const needed = (p: PendingViolation): boolean => {
    if (p.rule === 'module-cycle') return cyclesKey(moduleCycles(without([p]))) !== cyclesKey(allCycles);
    return p.rule === 'deep-import' ? deep.some(tolerates(p)) : unreachable.some(isPendingUnreachable(p));
  };
  const pendingUnreachable = (v: Violation): boolean => pending.some((p) => isPendingUnreachable(p)(v));
  return {
    failing: [
      ...cycles, ...deep.filter((v) => !isPendingDeep(v)), ...productImportsOfTestCode(edges),
      ...unreachable.filter((v) => !pendingUnreachable(v)),
    ],
    tolerated: [
      ...allCycles.filter((c) => !failingKeys.has(c.modules.join())), ...deep.filter(isPendingDeep),
      ...unreachable.filter(pendingUnreachable),
    ],
    stale: pending.filter((p) => !needed(p)),
  };
}
