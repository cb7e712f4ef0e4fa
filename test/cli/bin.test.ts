// bin/meshdoor.js: the Node.js version check comes before anything else, a
// checkout runs its sources (never a stale dist/), and the version is printed.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BIN, runCli } from './run-cli.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

/** A Node.js older than 22.19 on this machine (e.g. the distribution's), if any. */
function oldNode(): string | undefined {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node']) {
    try {
      const version = execFileSync(candidate, ['--version'], { encoding: 'utf8' }).trim();
      const [major = 0, minor = 0] = version.slice(1).split('.').map(Number);
      if (major < 22 || (major === 22 && minor < 19)) return candidate;
    } catch {
      // not installed there
    }
  }
  return undefined;
}

describe('bin/meshdoor.js', function () {
  this.timeout(60_000);

  it('on a Node.js older than 22.19, prints one line naming the required version and exits non-zero, for every command', async function () {
    const node = oldNode();
    if (!node) this.skip(); // no older Node.js on this machine to try it with
    for (const args of [['controller', '--help'], ['translate', '-f', 'examples/'], ['--version']]) {
      const r = await runCli(args, { node });
      expect(r.code, args.join(' ')).to.equal(1);
      expect(r.stdout).to.equal('');
      expect(r.stderr.trim().split('\n')).to.have.length(1);
      expect(r.stderr).to.match(/needs Node\.js >= 22\.19 \(this is v\d+/);
    }
  });

  it('states the minimum Node.js version of package.json "engines"', async () => {
    const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    const bin = await readFile(BIN, 'utf8');
    const [, major, minor] = /MIN_NODE = \[(\d+), (\d+)\]/.exec(bin) ?? [];
    expect(pkg.engines.node).to.equal(`>=${major}.${minor}`);
  });

  it('runs the sources in a checkout even when an older dist/ exists', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'meshdoor-bin-'));
    await cp(path.join(ROOT, 'bin'), path.join(dir, 'bin'), { recursive: true });
    await cp(path.join(ROOT, 'src'), path.join(dir, 'src'), { recursive: true });
    await cp(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
    await symlink(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    await mkdir(path.join(dir, 'dist', 'cli'), { recursive: true });
    await writeFile(path.join(dir, 'dist', 'cli', 'main.js'), 'process.stdout.write("stale build\\n");\n');
    const r = await runCli(['--version'], { bin: path.join(dir, 'bin', 'meshdoor.js') });
    expect(r.stdout).to.not.include('stale build');
    expect(r.stdout).to.match(/^meshdoor \d+\.\d+\.\d+/);
  });

  it('prints its version for --version and `version`, the one of package.json', async () => {
    const { version } = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const args of [['--version'], ['version']]) {
      const r = await runCli(args);
      expect(r.code).to.equal(0);
      expect(r.stdout).to.match(new RegExp(`^meshdoor ${version.replace(/\./g, '\\.')} \\(node v`));
    }
  });
});
