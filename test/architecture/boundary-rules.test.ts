// The module rules (scripts/boundaries) on small synthetic repositories: each
// rule must catch what it forbids, name the file, the import, the rule and the
// fix, and let through what it allows.
import { expect } from 'chai';
import { buildImportGraph, importSpecifiers } from '../../scripts/boundaries/import-graph.ts';
import { judge, type PendingViolation, type Repository } from '../../scripts/boundaries/pending.ts';
import {
  cyclicComponents, deepImports, moduleCycles, moduleGraph, productImportsOfTestCode, unreachableFromProduct,
} from '../../scripts/boundaries/rules.ts';

function graph(files: Record<string, string>): ReturnType<typeof buildImportGraph> {
  return buildImportGraph(new Map(Object.entries(files)));
}

/** A repository whose every file is an entry: only the import rules speak. */
function repository(files: Record<string, string>): Repository {
  return { files: Object.keys(files), edges: graph(files), entries: Object.keys(files) };
}

describe('boundaries: reading imports', () => {
  it('finds static, type-only, re-export and dynamic imports with their lines', () => {
    const text = [
      "import { a } from './a.ts';",
      "import type { B } from '../b/index.ts';",
      "export { c } from './c.ts';",
      "const d = await import('./d.ts');",
    ].join('\n');
    expect(importSpecifiers(text)).to.deep.equal([
      { specifier: './a.ts', line: 1 }, { specifier: '../b/index.ts', line: 2 },
      { specifier: './c.ts', line: 3 }, { specifier: './d.ts', line: 4 },
    ]);
  });

  it('ignores import-like text in comments and strings', () => {
    const text = "// import { x } from '../kong/ids.ts';\nconst s = \"import y from '../kube/clock.ts'\";\n";
    expect(importSpecifiers(text)).to.deep.equal([]);
  });

  it('resolves relative specifiers and leaves packages and builtins out of the graph', () => {
    const edges = graph({ 'src/a/x.ts': "import fs from 'node:fs';\nimport yaml from 'yaml';\nimport { y } from '../b/sub/y.ts';" });
    expect(edges.map((e) => e.to)).to.deep.equal(['src/b/sub/y.ts']);
  });
});

describe('boundaries: deep-import', () => {
  it('fails an import of another module that bypasses its index.ts, naming file, import, rule and fix', () => {
    const [violation, ...rest] = deepImports(graph({ 'src/controller/step.ts': "\nimport { clock } from '../kube/clock.ts';" }));
    expect(rest).to.deep.equal([]);
    expect(violation?.message).to.equal(
      "src/controller/step.ts:2 imports '../kube/clock.ts': deep-import (module controller reaches into module kube's internals). "
      + "Fix: export what controller needs from src/kube/index.ts and import '../kube/index.ts'.");
  });

  it('counts a sub-folder as part of its module: src/kong/rules is kong internals from outside, free inside', () => {
    const edges = graph({
      'src/translate/paths.ts': "import { checkRouteRegex } from '../kong/rules/index.ts';",
      'src/kong/declarative.ts': "import { normalizeUri } from './rules/uri.ts';",
    });
    expect(deepImports(edges).map((v) => v.file)).to.deep.equal(['src/translate/paths.ts']);
  });

  it('allows imports through the entry, inside a module, and from tests and benchmarks into anything', () => {
    const edges = graph({
      'src/controller/step.ts': "import { clock } from '../kube/index.ts';\nimport { x } from './x.ts';",
      'test/kube/clock.test.ts': "import { clock } from '../../src/kube/clock.ts';",
      'bench/main.ts': "import { translate } from '../src/translate/whole-pass.ts';",
    });
    expect(deepImports(edges)).to.deep.equal([]);
  });
});

describe('boundaries: product-imports-test-code', () => {
  for (const root of ['test', 'e2e', 'bench']) {
    it(`fails src/ importing ${root}/`, () => {
      const violations = productImportsOfTestCode(graph({ 'src/kube/store.ts': `import { gc } from '../../${root}/support/gc.ts';` }));
      expect(violations.map((v) => v.rule)).to.deep.equal(['product-imports-test-code']);
      expect(violations[0]?.message).to.contain(`src/kube/store.ts:1 imports '../../${root}/support/gc.ts'`)
        .and.to.contain(`Fix: move the code the product needs from ${root}/ into src/`);
    });
  }

  it('allows tests importing tests and src/ importing src/', () => {
    const edges = graph({ 'test/a.test.ts': "import { h } from './harness.ts';", 'src/a/x.ts': "import { y } from './y.ts';" });
    expect(productImportsOfTestCode(edges)).to.deep.equal([]);
  });
});

describe('boundaries: module-cycle', () => {
  it('fails two modules importing each other, even through their entries', () => {
    const violations = moduleCycles(graph({
      'src/kong/engine.ts': "import type { Snapshot } from '../translate/index.ts';",
      'src/translate/assemble.ts': "import { kongEntityId } from '../kong/index.ts';",
    }));
    expect(violations.map((v) => v.modules)).to.deep.equal([['kong', 'translate']]);
    expect(violations[0]?.message).to.contain('module-cycle among kong, translate, e.g. kong → translate → kong')
      .and.to.contain("src/kong/engine.ts:1 imports '../translate/index.ts'")
      .and.to.contain("src/translate/assemble.ts:1 imports '../kong/index.ts'")
      .and.to.contain('Fix: ');
  });

  it('finds a longer cycle and reports it once, with every module in it', () => {
    const violations = moduleCycles(graph({
      'src/a/x.ts': "import '../b/index.ts';",
      'src/b/x.ts': "import '../c/index.ts';",
      'src/c/x.ts': "import '../a/index.ts';\nimport '../d/index.ts';",
      'src/d/x.ts': '',
    }));
    expect(violations.map((v) => v.modules)).to.deep.equal([['a', 'b', 'c']]);
    expect(violations[0]?.message).to.contain('e.g. a → b → c → a');
  });

  it('passes an acyclic graph, and imports inside one module never make a cycle', () => {
    const edges = graph({
      'src/a/x.ts': "import './y.ts';\nimport '../b/index.ts';",
      'src/a/y.ts': "import './x.ts';",
      'src/b/index.ts': "import '../c/index.ts';",
    });
    expect(moduleCycles(edges)).to.deep.equal([]);
    expect(cyclicComponents(moduleGraph(edges))).to.deep.equal([]);
  });
});

describe('boundaries: unreachable-from-product', () => {
  const files = {
    'src/cli/main.ts': "import { run } from '../controller/index.ts';\nconst cmd = await import('./demo.ts');",
    'src/controller/index.ts': "export { run } from './run.ts';",
    'src/controller/run.ts': '',
    'src/cli/demo.ts': '',
    'src/kube/fake-cluster.ts': "import { run } from '../controller/index.ts';",
    'test/kube/store.test.ts': "import '../kube/fake-cluster.ts';",
  };

  it('fails a file under src/ that only tests import, naming it and the fix', () => {
    const violations = unreachableFromProduct(Object.keys(files), graph(files), ['src/cli/main.ts']);
    expect(violations.map((v) => v.message)).to.deep.equal([
      'src/kube/fake-cluster.ts: unreachable-from-product (no import chain from src/cli/main.ts reaches it; src/ holds only what the product runs). '
      + 'Fix: move it under test/ at the same path if only tests use it, or delete it.',
    ]);
  });

  it('passes once the file lives under test/', () => {
    const { 'src/kube/fake-cluster.ts': moved, ...rest } = files;
    const after = { ...rest, 'test/kube/fake-cluster.ts': moved };
    expect(unreachableFromProduct(Object.keys(after), graph(after), ['src/cli/main.ts'])).to.deep.equal([]);
  });
});

describe('boundaries: pending violations', () => {
  const kongTranslate: PendingViolation = { rule: 'module-cycle', from: 'kong', to: 'translate', why: 'test' };
  const cycleThroughKong = {
    'src/kong/engine.ts': "import '../translate/index.ts';",
    'src/translate/context.ts': "import '../config/index.ts';",
    'src/config/settings.ts': "import '../kong/index.ts';",
  };

  it('tolerates the cycles that exist only through a pending dependency, and prints them', () => {
    const verdict = judge(repository(cycleThroughKong), [kongTranslate]);
    expect(verdict.failing).to.deep.equal([]);
    expect(verdict.tolerated.map((v) => v.modules)).to.deep.equal([['config', 'kong', 'translate']]);
    expect(verdict.stale).to.deep.equal([]);
  });

  it('still fails a cycle that does not go through the pending dependency', () => {
    const verdict = judge(repository({ ...cycleThroughKong, 'src/kube/x.ts': "import '../mesh/index.ts';", 'src/mesh/x.ts': "import '../kube/index.ts';" }), [kongTranslate]);
    expect(verdict.failing.map((v) => v.modules)).to.deep.equal([['kube', 'mesh']]);
  });

  it('tolerates deep imports only from the pending module', () => {
    const pending: PendingViolation[] = [{ rule: 'deep-import', from: 'translate', why: 'test' }];
    const verdict = judge(repository({
      'src/translate/x.ts': "import '../kong/ids.ts';",
      'src/controller/x.ts': "import '../kong/ids.ts';",
    }), pending);
    expect(verdict.failing.map((v) => v.file)).to.deep.equal(['src/controller/x.ts']);
    expect(verdict.tolerated.map((v) => v.file)).to.deep.equal(['src/translate/x.ts']);
  });

  it('tolerates unreachable files only in the pending module, until they are wired in', () => {
    const pending: PendingViolation[] = [{ rule: 'unreachable-from-product', from: 'plugins', why: 'test' }];
    const files = { 'src/cli/main.ts': '', 'src/plugins/index.ts': '', 'src/kong/orphan.ts': '' };
    const unwired = judge({ files: Object.keys(files), edges: graph(files), entries: ['src/cli/main.ts'] }, pending);
    expect(unwired.failing.map((v) => v.file)).to.deep.equal(['src/kong/orphan.ts']);
    expect(unwired.tolerated.map((v) => v.file)).to.deep.equal(['src/plugins/index.ts']);
    const wiredFiles = { ...files, 'src/cli/main.ts': "import '../plugins/index.ts';" };
    const wired = judge({ files: Object.keys(wiredFiles), edges: graph(wiredFiles), entries: ['src/cli/main.ts'] }, pending);
    expect(wired.stale).to.deep.equal(pending);
  });

  it('reports an entry that is no longer needed, so it gets deleted', () => {
    const deepTranslate: PendingViolation = { rule: 'deep-import', from: 'translate', why: 'test' };
    const verdict = judge(repository({ 'src/kong/engine.ts': "import '../translate/index.ts';" }), [kongTranslate, deepTranslate]);
    expect(verdict.failing).to.deep.equal([]);
    expect(verdict.stale).to.deep.equal([kongTranslate, deepTranslate]);
  });
});
