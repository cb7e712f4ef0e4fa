// The offline commands on input a newcomer gets wrong: every skipped document
// and suspicious annotation is reported on stderr with file and document index,
// `-f -` reads standard input, duplicates are an error, and malformed shapes give
// a field error instead of a JavaScript one.
import { expect } from 'chai';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { annotationProblems, shapeProblem, skipReason } from '../../src/cli/manifest-checks.ts';
import { runCli } from './run-cli.ts';

const SERVED = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: a
  annotations: {konghq.com/strip_path: "true", konghq.com/connect-timeout: "5"}
spec: {ingressClassName: kong, rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]}
`;

const INPUT = [
  'apiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata: {name: old}\n',
  'apiVersion: networking.k8s.io/v1\nkind: Ingres\nmetadata: {name: typo}\n',
  'metadata: {name: nokind}\n',
  SERVED,
  'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: shape}\nspec: {rules: "notalist"}\n',
  'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: other}\nspec: {ingressClassName: nginx, rules: []}\n',
].join('---\n');

describe('offline CLI input checks', function () {
  this.timeout(60_000);

  it('reads -f - from standard input and warns, with document index, about every skipped document and suspicious annotation', async () => {
    const r = await runCli(['translate', '-f', '-'], { stdin: INPUT });
    expect(r.code, r.stderr).to.equal(0);
    const lines = r.stderr.trim().split('\n');
    const expected = [
      'warning: <stdin> (document 1): Ingress old skipped: Ingress networking.k8s.io/v1beta1 is not read: meshdoor reads Ingress networking.k8s.io/v1',
      'warning: <stdin> (document 2): Ingres typo skipped: kind Ingres is not one meshdoor reads (did you mean Ingress?)',
      'warning: <stdin> (document 3): (no kind) nokind skipped: it has no kind',
      'warning: <stdin> (document 4): Ingress default/a: unknown annotation konghq.com/strip_path (did you mean konghq.com/strip-path?); ignored',
      'warning: <stdin> (document 4): Ingress default/a: annotation konghq.com/connect-timeout belongs on the Service, not on an Ingress; ignored here',
      'warning: <stdin> (document 5): Ingress default/shape: spec.rules must be a list (got "notalist"); skipped',
      'warning: Ingress default/other skipped: its class nginx is not the one meshdoor serves (kong)',
      '<stdin> (document 4): Ingress default/a: ServiceNotFound: Service default/web does not exist',
    ];
    expect(lines).to.deep.equal(expected);
    expect(r.stdout).to.include('_format_version');
  });

  it('names file and document of an object defined twice, and exits non-zero', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'meshdoor-offline-'));
    const file = path.join(dir, 'dup.yaml');
    await writeFile(file, `${SERVED}---\n${SERVED}`);
    const r = await runCli(['translate', '-f', file]);
    expect(r.code).to.equal(1);
    expect(r.stderr.trim().split('\n').at(-1)).to.equal(`meshdoor: ${file} (document 2): Ingress default/a is defined twice (first in ${file} (document 1)); keep one of them`);
  });

  it('names file and document of invalid YAML', async () => {
    const r = await runCli(['routes', '-f', '-'], { stdin: `${SERVED}---\nkind: [unclosed\n` });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/^meshdoor: <stdin> \(document 2\): invalid YAML/);
  });

  describe('checks', () => {
    it('skip reasons', () => {
      expect(skipReason('networking.k8s.io/v1', 'Ingress')).to.equal(undefined);
      expect(skipReason('v1', 'Servce')).to.include('did you mean Service?');
      expect(skipReason(undefined, undefined)).to.equal('it has no kind');
    });

    it('shapes of every nested list the translator walks', () => {
      const ingress = (spec: unknown) => shapeProblem('Ingress', { metadata: { name: 'x' }, spec });
      expect(ingress({ rules: [{ http: { paths: 'x' } }] })).to.equal('spec.rules[0].http.paths must be a list (got "x")');
      expect(ingress({ rules: [{ http: { paths: [{ backend: 3 }] } }] })).to.equal('spec.rules[0].http.paths[0].backend must be an object (got 3)');
      expect(ingress({ tls: [{ hosts: 'a.com' }] })).to.equal('spec.tls[0].hosts must be a list (got "a.com")');
      expect(shapeProblem('Service', { spec: { ports: 80 } })).to.equal('spec.ports must be a list (got 80)');
      expect(ingress({ rules: [] })).to.equal(undefined);
    });

    it('annotations on the wrong object', () => {
      expect(annotationProblems('Service', { 'konghq.com/strip-path': 'true' })).to.deep.equal(['annotation konghq.com/strip-path belongs on the Ingress, not on a Service; ignored here']);
      expect(annotationProblems('Ingress', { 'konghq.com/headers.x-a': 'b', 'example.com/x': 'y' })).to.deep.equal([]);
    });
  });
});
