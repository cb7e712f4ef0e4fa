// Comments and docs cite only files that exist in the repository: a reader (and
// a reviewer) can open every document the code relies on.
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { citationsIn, commentsOf, headingAnchor, headingAnchors } from './citations.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCANNED_DIRS = ['src', 'test', 'e2e', 'bench', 'scripts', 'deploy', 'docs', 'examples', 'bin'];
// Inputs and expected outputs of tests are data, not prose.
const DATA_DIRS = ['test/golden', 'test/translate/fixtures', 'test/kong-model/validate/testdata'];
const CODE = /\.(ts|js)$/;
const PROSE = /(\.md|\.ya?ml|\.tpl|\.txt|\.sh|Dockerfile)$/;

function repositoryFiles(): string[] {
  const top = readdirSync(ROOT).filter((name) => statSync(join(ROOT, name)).isFile());
  const nested = SCANNED_DIRS.filter((dir) => existsSync(join(ROOT, dir))).flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' }).map((entry) => posix.join(dir, entry.split('\\').join('/'))));
  return [...top, ...nested]
    .filter((path) => !path.includes('node_modules') && !DATA_DIRS.some((dir) => path.startsWith(`${dir}/`)))
    .filter((path) => (CODE.test(path) || PROSE.test(path)) && statSync(join(ROOT, path)).isFile());
}

function citedText(path: string): string {
  const text = readFileSync(join(ROOT, path), 'utf8');
  return CODE.test(path) ? commentsOf(path, text) : text;
}

const files = repositoryFiles();
const markdownNames = new Set(files.filter((f) => f.endsWith('.md')).map((f) => basename(f)));

/** Where a cited path points: from the repository root or from the citing file (only the latter for ./ and ../ forms). */
function resolveCited(from: string, cited: string): string | undefined {
  const candidates = cited.startsWith('.') ? [posix.join(posix.dirname(from), cited)] : [cited, posix.join(posix.dirname(from), cited)];
  return candidates.find((path) => existsSync(join(ROOT, path)));
}

describe('docs: citations', () => {
  it('finds repository paths, markdown names with anchors, and sections; ignores URLs', () => {
    const text = [
      '// Kong ids (see docs/kong-ids.md#the-key, kong-admin-api.md §4)',
      '// faked by test/kube/fake-cluster.ts; upstream: https://github.com/Kong/kong/blob/master/README.md',
      '// rules in src/kong/rules/, restart with kubectl rollout restart deploy/meshdoor',
    ].join('\n');
    expect(citationsIn(text)).to.deep.equal({
      citations: [
        { path: 'docs/kong-ids.md', anchor: 'the-key', line: 1 },
        { path: 'kong-admin-api.md', line: 1 },
        { path: 'test/kube/fake-cluster.ts', line: 2 },
        { path: 'src/kong/rules/', line: 3 },
      ],
      sections: [1],
    });
  });

  it('reads only the comments of code, where citations are prose', () => {
    const code = "import x from '../docs/a.md';\n// see docs/b.md\nconst s = 'docs/c.md'; /* and docs/d.md */\nfunction f() {\n  // before a brace: docs/e.md\n}\n";
    expect(citationsIn(commentsOf('x.ts', code)).citations.map((c) => `${c.path}:${c.line}`))
      .to.deep.equal(['docs/b.md:2', 'docs/d.md:3', 'docs/e.md:5']);
  });

  it('makes heading anchors the way GitHub does', () => {
    expect(headingAnchor('Priority: what Kong computes (3.x)')).to.equal('priority-what-kong-computes-3x');
    expect(headingAnchors('# Kong ids\n## The key\ntext\n')).to.deep.equal(new Set(['kong-ids', 'the-key']));
  });

  it('every path a comment or doc cites exists in the repository, and every anchor is a heading there', () => {
    const problems: string[] = [];
    for (const file of files) {
      const { citations, sections } = citationsIn(citedText(file));
      for (const line of sections) {
        problems.push(`${file}:${line}: '§' cites a section of a document outside the repository; cite a docs/ page and heading (docs/<page>.md#<heading>) instead`);
      }
      for (const { path, anchor, line } of citations) {
        const bare = !path.includes('/');
        const target = resolveCited(file, path);
        if (bare ? !markdownNames.has(path) : target === undefined) {
          problems.push(`${file}:${line}: cites ${path}, which is not in the repository; write what the code relies on in docs/ and cite that page, or drop the citation`);
        } else if (anchor !== undefined && target !== undefined && !headingAnchors(readFileSync(join(ROOT, target), 'utf8')).has(anchor)) {
          problems.push(`${file}:${line}: cites ${path}#${anchor}, but ${relative(ROOT, join(ROOT, target))} has no heading with that anchor`);
        }
      }
    }
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });
});
