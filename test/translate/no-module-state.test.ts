// What the translator remembers belongs to a translator instance (memory.ts):
// no file of the translator, of the Kong module (its rules, body writers and
// engines) or of the shared model keeps a cache, or anything reassignable, at
// module level: state lives in translator and engine instances. Constant tables (a Set of letters) are fine.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FOLDERS = ['src/translate', 'src/kong', 'src/model'];
const MODULE_STATE = /^(?:export )?(?:let|var) |^(?:export )?const \w+(?:: [^=]+)? = new (?:WeakMap|WeakSet|WeakRef|LRUCache)\b/;

function sourceFiles(folder: string): string[] {
  return readdirSync(path.join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => path.join(folder, file));
}

describe('translator state', () => {
  it('lives in translator instances, never at module level', () => {
    const found = FOLDERS.flatMap(sourceFiles).flatMap((file) => readFileSync(path.join(ROOT, file), 'utf8').split('\n')
      .map((line, i) => ({ line, where: `${file}:${i + 1}` }))
      .filter(({ line }) => MODULE_STATE.test(line))
      .map(({ line, where }) => `${where}: ${line.trim()}`));
    expect(sourceFiles('src/translate').length).to.be.greaterThan(20);
    expect(found).to.deep.equal([]);
  });
});
