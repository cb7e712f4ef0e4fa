// `meshdoor demo` (npm start): translate the bundled examples and show their routes.
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { createTranslator } from '../translate/index.ts';
import { loadTranslationInput } from './manifests.ts';
import { renderRoutesTable } from './routes-command.ts';
import { renderConfig, renderFailures } from './translate-command.ts';

/** The package's examples/ directory, wherever the process was started from. */
export function examplesDir(): string {
  return fileURLToPath(new URL('../../examples/', import.meta.url));
}

function heading(title: string): string {
  return `\n=== ${title} ===\n\n`;
}

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write('usage: meshdoor demo\n\nTranslates the bundled examples/ (single zone and multi-zone) and shows their routes.\n\nExit codes: 0 done, 1 the examples could not be read, 2 usage error.\n');
    return 0;
  }
  if (argv.length > 0) {
    process.stderr.write(`meshdoor: demo takes no arguments (got ${argv.join(' ')})\n`);
    return 2;
  }
  const dir = examplesDir();
  const { snapshot, settings } = await loadTranslationInput([dir]);
  const result = createTranslator().translateDetailed(snapshot, { settings });
  const out = [
    heading('meshdoor translate -f examples/   (Kong declarative config)'),
    renderConfig(result.config, 'yaml'),
    heading('meshdoor routes -f examples/'),
    renderRoutesTable(result.routes),
  ];
  if (result.failures.length > 0) out.push(heading('failures'), renderFailures(result.failures));
  process.stdout.write(out.join(''));
  return 0;
}
