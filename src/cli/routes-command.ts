// `meshdoor routes`: which host + path goes to which Kong route and backend.
import process from 'node:process';
import { createTranslator, type RouteSummary } from '../translate/index.ts';
import { loadTranslationInput } from './manifests.ts';
import { parseCommonArgs, renderFailures, withUsage } from './translate-command.ts';

const USAGE = `usage: meshdoor routes -f <file|dir> [-f ...] [--meshdoor <name>]

Shows, for manifests, each host and path with its Kong route and backend:
the Kubernetes Service and port, and where Kong sends the traffic; when routes
carry Kong plugins (konghq.com/plugins on the Ingress or Service), their names.

  -f, --filename <path>   manifest file or directory (recursive); repeatable
      --meshdoor <name>   the MeshDoor in the manifests whose settings apply
  -h, --help              show this help

Exit codes: 0 the input could be read, 1 it could not be, 2 usage error.`;

const HEADINGS = ['HOST', 'PATH', 'TYPE', 'ROUTE', 'BACKEND'] as const;

function rowCells(row: RouteSummary, withPlugins: boolean): string[] {
  const cells = [row.host, row.path, row.type, row.route, `${row.service} -> ${row.target}`];
  return withPlugins ? [...cells, row.plugins ?? '-'] : cells;
}

/** A plain-text table, columns separated by two spaces; a PLUGINS column when some route has plugins. */
export function renderRoutesTable(rows: readonly RouteSummary[]): string {
  if (rows.length === 0) return 'no routes\n';
  const withPlugins = rows.some((row) => row.plugins !== undefined);
  const headings: string[] = withPlugins ? [...HEADINGS, 'PLUGINS'] : [...HEADINGS];
  const lines = [headings, ...rows.map((row) => rowCells(row, withPlugins))];
  const widths = headings.map((_h, column) => Math.max(...lines.map((cells) => (cells[column] ?? '').length)));
  return lines
    .map((cells) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  '))
    .map((line) => `${line}\n`)
    .join('');
}

async function runRoutes(argv: string[]): Promise<number> {
  const options = parseCommonArgs(argv);
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (options.files.length === 0) {
    process.stderr.write(`meshdoor: no input; give manifests with -f <file|dir>\n\n${USAGE}\n`);
    return 2;
  }
  const { snapshot, settings, locations } = await loadTranslationInput(options.files, options.meshdoor);
  const result = createTranslator().translateDetailed(snapshot, { settings });
  process.stdout.write(renderRoutesTable(result.routes));
  if (result.failures.length > 0) process.stdout.write(`\nfailures:\n${renderFailures(result.failures, locations)}`);
  return 0;
}

export function run(argv: string[]): Promise<number> {
  return withUsage(USAGE, argv, runRoutes);
}
