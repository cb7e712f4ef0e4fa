// The checker as `npm test` runs it: exit status and messages on a small
// repository written to a temporary folder.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'check-boundaries.ts');

function check(files: Record<string, string>, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const root = mkdtempSync(join(tmpdir(), 'boundaries-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, ...args, root], { encoding: 'utf8' });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe('check-boundaries (the command)', function () {
  this.timeout(30000);
  const repository = {
    'src/cli/main.ts': "import { clock } from '../kube/clock.ts';\n",
    'src/kube/clock.ts': 'export const clock = 1;\n',
  };

  it('exits 1 and names the file, the import, the rule and the fix', () => {
    const { status, stderr } = check(repository);
    expect(status).to.equal(1);
    expect(stderr).to.contain("error: src/cli/main.ts:1 imports '../kube/clock.ts': deep-import")
      .and.to.contain("import '../kube/index.ts'");
  });

  it('prints the module graph with --graph', () => {
    const { status, stdout } = check(repository, '--graph');
    expect(status).to.equal(0);
    expect(stdout.trim().split('\n')).to.deep.equal(['flowchart LR', '  cli --> kube']);
  });
});
