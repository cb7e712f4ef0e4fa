// `meshdoor diff`: what `meshdoor sync` would change on each gateway, entity
// by entity, without writing anything.
import process from 'node:process';
import { parseArgs } from 'node:util';
import type { EntityChange } from '../kong/index.ts';
import { entityLabel } from '../kong/index.ts';
import { redactUrl } from '../kong/index.ts';
import { diffGateway } from '../kong/index.ts';
import type { GatewayDiff } from '../kong/index.ts';
import { AutoSyncEngine } from '../kong/index.ts';
import { createTranslator, formatFailure } from '../translate/index.ts';
import { gatewaySchemas } from './plugin-schemas.ts';
import { commandTargets, KONG_OPTIONS, kongCommandOptions, translationInput, withKongUsage } from './sync-command.ts';
import { schemaSkippedNote } from './translate-command.ts';

const USAGE = `usage: meshdoor diff -f <file|dir> --kong-admin-url <url> [--kong-admin-url <url> ...] [options]

Shows what \`meshdoor sync\` would change on each gateway, one line per entity:
  + created   ~ updated (with the fields that differ)   - deleted
DB mode compares with the entities tagged managed-by:meshdoor; DB-less compares
with the gateway's whole config (GET /config), which a push replaces.

Options are those of \`meshdoor sync\` (except --once); nothing is written.

Exit codes (as \`kubectl diff\`):
  0  no differences
  1  differences found
  2  usage error (bad flags, no input)
  3  a gateway could not be read (unreachable, refused, mode not readable)`;

export const DIFF_EXIT = { same: 0, different: 1, usage: 2, unreadable: 3 } as const;

const SIGN: Record<EntityChange['action'], string> = { create: '+', update: '~', delete: '-' };

export function renderChange(change: EntityChange): string {
  const fields = change.fields && change.fields.length > 0 ? ` (fields: ${change.fields.join(', ')})` : '';
  return `${SIGN[change.action]} ${entityLabel(change.entity)}${fields}`;
}

export function renderGatewayDiff(url: string, diff: GatewayDiff): string {
  const count = (action: EntityChange['action']): number => diff.changes.filter((c) => c.action === action).length;
  const lines = [`${redactUrl(url)} (${diff.mode}):`, ...diff.changes.map((c) => `  ${renderChange(c)}`)];
  lines.push(`  ${count('create')} to create, ${count('update')} to update, ${count('delete')} to delete, ${diff.unchanged} unchanged`);
  return `${lines.join('\n')}\n`;
}

async function runDiff(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: KONG_OPTIONS });
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const options = await kongCommandOptions(values);
  const engine = new AutoSyncEngine({ client: options.client, mode: options.mode });
  try {
    const { snapshot, settings } = await translationInput(options, engine);
    const schemas = await gatewaySchemas(engine, commandTargets(options), snapshot);
    const result = createTranslator().translate(snapshot, { settings, pluginSchemas: schemas.lookup });
    let failed = false;
    let different = false;
    for (const target of commandTargets(options)) {
      try {
        const { mode } = await engine.detect(target);
        const diff = await diffGateway(engine.clientFor(target), result.config, mode);
        if (diff.changes.length > 0) different = true;
        process.stdout.write(renderGatewayDiff(redactUrl(target.url), diff));
      } catch (err) {
        failed = true;
        process.stderr.write(`meshdoor: ${redactUrl(target.url)}: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
    process.stderr.write(result.failures.map((f) => `${formatFailure(f)}\n`).join(''));
    const note = schemas.offline ? schemaSkippedNote(result.config) : undefined;
    if (note !== undefined) process.stderr.write(note);
    if (failed) return DIFF_EXIT.unreadable;
    return different ? DIFF_EXIT.different : DIFF_EXIT.same;
  } finally {
    engine.close();
  }
}

export function run(argv: string[]): Promise<number> {
  return withKongUsage(USAGE, argv, runDiff);
}
