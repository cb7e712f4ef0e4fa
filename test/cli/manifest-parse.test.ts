import { expect } from 'chai';
import { loadAll } from 'js-yaml';
import { documentIndexAt, parseManifestDocuments } from '../../src/cli/manifest-parse.ts';

const INGRESS = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n';

function parseError(text: string): string {
  try {
    parseManifestDocuments('in.yaml', text);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a parse error');
}

describe('parseManifestDocuments', () => {
  it('reads every document in order, an empty one as null', () => {
    expect(parseManifestDocuments('in.yaml', `${INGRESS}---\n---\nkind: Service\n`)).to.deep.equal([
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web' } }, null, { kind: 'Service' },
    ]);
  });

  it('reads YAML 1.2 core scalars as the `yaml` package does: dates and yes/no stay strings', () => {
    expect(parseManifestDocuments('in.yaml', 'a: 2024-01-01\nb: yes\nc: 010\nd: 0o10\ne: "80"\nf: ~\n')).to.deep.equal([
      { a: '2024-01-01', b: 'yes', c: 10, d: 8, e: '80', f: null },
    ]);
  });

  it('reads a JSON file as one document, and a YAML flow mapping that is not JSON as YAML', () => {
    expect(parseManifestDocuments('in.json', ' {"kind": "List", "items": [{"kind": "Service"}]}\n')).to.deep.equal([{ kind: 'List', items: [{ kind: 'Service' }] }]);
    expect(parseManifestDocuments('in.yaml', '{kind: Service}\n')).to.deep.equal([{ kind: 'Service' }]);
  });

  it('names source, document, line and column of invalid YAML, with the lines around it', () => {
    const message = parseError(`${INGRESS}---\nkind: Service\nspec:\n  a: 1\n b: 2\n`);
    expect(message).to.match(/^in\.yaml \(document 2\): invalid YAML: bad indentation of a mapping entry at line 9, column 2:\n/);
    expect(message).to.contain(' 9 |  b: 2');
  });

  it('names the line and column of broken JSON through the YAML reader', () => {
    expect(parseError('{"kind": "Service",\n "spec": [1, }\n')).to.match(/^in\.yaml \(document 1\): invalid YAML: .* at line 2, column \d+/);
  });

  it('reads a document at a time exactly what one read of the whole text gives', () => {
    const texts = [
      `# preamble\n${INGRESS}---\nkind: Service\n`,
      `---\n${INGRESS}--- # a comment\nkind: Service\n---\n`,
      '--- {kind: Service}\n--- [1, 2]\n---\n',
      'a: |\n  ---\n  text\nb: 1\n---\nc: 2\n...\n---\nd: 3\n',
      '\uFEFFkind: Service\r\n---\r\nkind: Ingress\r\n',
      '%YAML 1.2\n---\nkind: Service\n',
      '',
      '# only a comment\n',
    ];
    for (const text of texts) expect(parseManifestDocuments('in.yaml', text), JSON.stringify(text)).to.deep.equal(loadAll(text));
  });

  it('names the line in the whole file of an error in a later document', () => {
    const message = parseError(`${INGRESS}---\n${INGRESS}---\nkind: [\n`);
    expect(message).to.match(/^in\.yaml \(document 3\): invalid YAML: .* at line 1[0-2], column \d+/);
  });

  it('refuses duplicate keys, as the API server does', () => {
    expect(parseError('kind: Service\nkind: Ingress\n')).to.match(/^in\.yaml \(document 1\): invalid YAML: duplicated mapping key at line 2, column 1/);
  });
});

describe('documentIndexAt', () => {
  it('counts `---` lines, the first one only when something came before it', () => {
    const implicit = 'a: 1\n---\nb: 2\n--- # third\nc: 3\n';
    expect(documentIndexAt(implicit, implicit.indexOf('a:'))).to.equal(0);
    expect(documentIndexAt(implicit, implicit.indexOf('b:'))).to.equal(1);
    expect(documentIndexAt(implicit, implicit.indexOf('c:'))).to.equal(2);
    const explicit = '# comment\n%YAML 1.2\n---\na: 1\n---\nb: 2\n';
    expect(documentIndexAt(explicit, explicit.indexOf('a:'))).to.equal(0);
    expect(documentIndexAt(explicit, explicit.indexOf('b:'))).to.equal(1);
  });

  it('does not take a PEM line or an indented `---` for a document start', () => {
    const text = 'data: |\n  -----BEGIN CERTIFICATE-----\n  ---\nkind: Secret\n';
    expect(documentIndexAt(text, text.indexOf('kind'))).to.equal(0);
  });
});
