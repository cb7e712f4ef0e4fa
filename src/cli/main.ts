// meshdoor command-line entry: dispatches to one command module per verb.
import process from 'node:process';

interface Command {
  summary: string;
  load: () => Promise<{ run(argv: string[]): Promise<number> }>;
}

const commands: Record<string, Command> = {
  translate: { summary: 'translate manifests to Kong declarative config (no cluster needed)', load: () => import('./translate-command.ts') },
  routes: { summary: 'show host + path -> Kong route -> backend for manifests', load: () => import('./routes-command.ts') },
  demo: { summary: 'translate the bundled examples and show their routes (npm start)', load: () => import('./demo-command.ts') },
  sync: { summary: 'converge Kong gateways with manifests', load: () => import('./sync-command.ts') },
  diff: { summary: 'show what a sync would change, without writing', load: () => import('./diff-command.ts') },
  controller: { summary: 'run the ingress controller against a cluster', load: () => import('./controller-command.ts') },
  version: { summary: 'print the meshdoor version (also --version)', load: () => Promise.resolve({ run: printVersion }) },
};

// Loaded on demand like the commands: observe/ also brings the logger and the
// metrics, which `meshdoor translate` never needs.
async function printVersion(): Promise<number> {
  const { versionLine } = await import('../observe/index.ts');
  process.stdout.write(`${versionLine()}\n`);
  return 0;
}

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(11)} ${c.summary}`);
  return ['usage: meshdoor <command> [options]', '', 'commands:', ...lines, '', 'Run `meshdoor <command> --help` for its options; `meshdoor --version` prints the version.'].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === '--help' || verb === '-h' || verb === 'help') {
    process.stdout.write(`${usage()}\n`);
    return verb === undefined ? 2 : 0;
  }
  if (verb === '--version' || verb === '-V') return printVersion();
  const command = commands[verb];
  if (!command) {
    process.stderr.write(`meshdoor: unknown command '${verb}'\n\n${usage()}\n`);
    return 2;
  }
  const module = await command.load();
  return module.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    process.stderr.write(`meshdoor: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
