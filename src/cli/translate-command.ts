// `meshdoor translate`: manifests → Kong declarative config on stdout,
// failures on stderr. No cluster, no Kong needed.
import process from 'node:process';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { objectKey, type KongConfig } from '../model/index.ts';
import { createTranslator, formatFailure } from '../translate/index.ts';
import type { TranslationFailure } from '../translate/index.ts';
import { loadTranslationInput } from './manifests.ts';
import { YAML_OPTIONS, yamlListItem } from './yaml-writer.ts';

const USAGE = `usage: meshdoor translate -f <file|dir> [-f ...] [-o yaml|json] [--meshdoor <name>]

Translates Ingresses (with their Services, EndpointSlices, Secrets, IngressClasses,
KongPlugins, KongClusterPlugins, KongConsumers and MeshDoor) from manifests into a
Kong declarative config (decK format 3.0). Without a gateway, plugin configurations
are checked for structure only (stderr says so, naming the plugins).

  -f, --filename <path>   manifest file or directory (recursive: .yaml .yml .json), or - for
                          standard input; repeatable
  -o, --output <format>   yaml (default) or json
      --meshdoor <name>   the MeshDoor in the manifests whose settings apply
  -h, --help              show this help

Failures go to stderr, each after the file and document it came from, as do
warnings for every document skipped (a kind or apiVersion meshdoor does not read,
an Ingress of another class) and for annotations that look like meshdoor's but
are unknown or belong on the other object. Two objects with the same kind,
namespace and name are an error.

Exit codes: 0 the input could be read (objects that failed translation are
listed on stderr), 1 the input could not be read, 2 usage error.`;

export type OutputFormat = 'yaml' | 'json';

/**
 * The YAML of `config` one top-level entity at a time: the same text as one
 * stringify of the whole config (nothing is wider than a line, so an entity's
 * text does not depend on where it stands), without building a document of
 * every entity at once, which at 20k Ingresses added hundreds of MiB.
 */
function* yamlChunks(config: KongConfig): Generator<string> {
  for (const [key, value] of Object.entries(config) as [string, unknown][]) {
    if (!Array.isArray(value) || value.length === 0) {
      yield stringify({ [key]: value }, YAML_OPTIONS);
      continue;
    }
    yield `${key}:\n`;
    for (const item of value as readonly unknown[]) yield yamlListItem(item);
  }
}

/** The config as decK-compatible YAML, or JSON, in pieces to write one after the other. */
export function renderConfigChunks(config: KongConfig, format: OutputFormat): Iterable<string> {
  return format === 'json' ? [`${JSON.stringify(config, null, 2)}\n`] : yamlChunks(config);
}

/** The config as decK-compatible YAML, or JSON. */
export function renderConfig(config: KongConfig, format: OutputFormat): string {
  return [...renderConfigChunks(config, format)].join('');
}

/** One line per failure, after the file and document the object came from when known. */
export function renderFailures(failures: readonly TranslationFailure[], locations: ReadonlyMap<string, string> = new Map()): string {
  return failures.map((failure) => {
    const where = locations.get(objectKey(failure.object));
    return `${where ? `${where}: ` : ''}${formatFailure(failure)}\n`;
  }).join('');
}

/**
 * Offline there is no gateway to give the plugin schemas: one line naming the
 * plugins whose configuration was checked for structure only (none: undefined).
 */
export function schemaSkippedNote(config: KongConfig): string | undefined {
  const names = [...new Set((config.plugins ?? []).map((p) => p.name))].sort();
  if (names.length === 0) return undefined;
  return `meshdoor: plugin schema check skipped (no gateway gave the plugin schemas): the configurations of ${names.join(', ')} were checked for structure only; Kong may still refuse a value\n`;
}

export interface CommonOptions {
  files: string[];
  meshdoor?: string;
  help: boolean;
}

/** Parses `-f`/`--meshdoor`/`--help` plus extra options; throws a usage error (message only). */
export function parseCommonArgs(argv: string[], extra: Record<string, { type: 'string'; short?: string }> = {}): CommonOptions & { values: Record<string, unknown> } {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    strict: true,
    options: {
      filename: { type: 'string', short: 'f', multiple: true },
      meshdoor: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      ...extra,
    },
  });
  const files = (values.filename) ?? [];
  const options: CommonOptions & { values: Record<string, unknown> } = { files, help: values.help === true, values };
  if (typeof values.meshdoor === 'string') options.meshdoor = values.meshdoor;
  return options;
}

/** Runs a command body; usage mistakes print the usage and exit 2. */
export async function withUsage(usage: string, argv: string[], body: (argv: string[]) => Promise<number>): Promise<number> {
  try {
    return await body(argv);
  } catch (err) {
    if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`meshdoor: ${err.message}\n\n${usage}\n`);
      return 2;
    }
    throw err;
  }
}

async function runTranslate(argv: string[]): Promise<number> {
  const options = parseCommonArgs(argv, { output: { type: 'string', short: 'o' } });
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const format = (options.values.output as string | undefined) ?? 'yaml';
  if (format !== 'yaml' && format !== 'json') {
    process.stderr.write(`meshdoor: --output must be yaml or json, not '${format}'\n`);
    return 2;
  }
  if (options.files.length === 0) {
    process.stderr.write(`meshdoor: no input; give manifests with -f <file|dir>\n\n${USAGE}\n`);
    return 2;
  }
  const { snapshot, settings, locations } = await loadTranslationInput(options.files, options.meshdoor);
  const result = createTranslator().translate(snapshot, { settings });
  for (const chunk of renderConfigChunks(result.config, format)) process.stdout.write(chunk);
  process.stderr.write(renderFailures(result.failures, locations));
  const note = schemaSkippedNote(result.config);
  if (note !== undefined) process.stderr.write(note);
  return 0;
}

export function run(argv: string[]): Promise<number> {
  return withUsage(USAGE, argv, runTranslate);
}
