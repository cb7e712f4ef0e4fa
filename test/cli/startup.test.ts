// `meshdoor controller` refuses to start with one line naming the problem and
// the fix: no kubeconfig, an unknown --context, an API server that does not
// answer, a missing CRD or MeshDoor (the last two against a fake API here; the
// e2e suite checks them on a real kube-apiserver).
import { expect } from 'chai';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { preflight, type PreflightApi } from '../../src/kube/preflight.ts';
import { runCli } from './run-cli.ts';

const KUBECONFIG = (server: string) => `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "${server}" } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: dev, context: { cluster: c, user: u } }]
current-context: dev
`;

function expectOneLine(stderr: string, ...parts: string[]): void {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).to.have.length(1);
  for (const part of parts) expect(lines[0]).to.include(part);
}

describe('controller start-up errors (CLI)', function () {
  this.timeout(60_000);
  let dir: string;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'meshdoor-startup-'));
    // Port 1 on loopback: nothing listens there.
    await writeFile(path.join(dir, 'kubeconfig'), KUBECONFIG('https://127.0.0.1:1'));
  });

  it('no kubeconfig and not in a cluster', async () => {
    const r = await runCli(['controller', '--no-leader-elect'], { env: { KUBECONFIG: '', HOME: dir, KUBERNETES_SERVICE_HOST: '' } });
    expect(r.code).to.equal(1);
    expectOneLine(r.stderr, 'no kubeconfig found and not running in a cluster', '--kubeconfig');
  });

  it('a KUBECONFIG naming a file that does not exist', async () => {
    const r = await runCli(['controller'], { env: { KUBECONFIG: path.join(dir, 'absent'), HOME: dir } });
    expect(r.code).to.equal(1);
    expectOneLine(r.stderr, 'cannot read the kubeconfig named by KUBECONFIG', 'absent');
  });

  it('a --kubeconfig file that does not exist', async () => {
    const r = await runCli(['controller', '--kubeconfig', path.join(dir, 'nope')]);
    expect(r.code).to.equal(1);
    expectOneLine(r.stderr, 'cannot read kubeconfig', 'nope');
  });

  it('an unknown --context, listing the known ones', async () => {
    const r = await runCli(['controller', '--kubeconfig', path.join(dir, 'kubeconfig'), '--context', 'prod']);
    expect(r.code).to.equal(1);
    expectOneLine(r.stderr, 'context "prod" is not in the kubeconfig', 'known: dev');
  });

  it('an API server that does not answer', async () => {
    const r = await runCli(['controller', '--kubeconfig', path.join(dir, 'kubeconfig')]);
    expect(r.code).to.equal(1);
    expectOneLine(r.stderr, 'cannot reach the Kubernetes API server at https://127.0.0.1:1', '--kubeconfig / --context');
  });
});

describe('controller preflight', () => {
  const api = (resources: string[], names: string[]): PreflightApi => ({
    server: 'https://k8s.example:6443',
    meshdoorResources: () => Promise.resolve(resources),
    meshdoorsNamed: () => Promise.resolve(names),
  });

  it('says the CRD is missing and how to install it', async () => {
    const notFound = Object.assign(new Error('HTTP-Code: 404'), { code: 404 });
    const err = await preflight({ ...api([], []), meshdoorResources: () => Promise.reject(notFound) }, 'default').catch((e: unknown) => e as Error);
    expect(err).to.be.instanceOf(Error);
    expect((err as Error).message).to.include('MeshDoor CRD').and.include('kubectl apply --server-side -k deploy/crds/');
  });

  it('says the named MeshDoor is missing and what to do', async () => {
    const err = await preflight(api(['meshdoors', 'meshdoors/status'], []), 'edge').catch((e: unknown) => e as Error);
    expect((err as Error).message).to.include('MeshDoor "edge" does not exist').and.include('--meshdoor');
  });

  it('names RBAC on a 403', async () => {
    const forbidden = Object.assign(new Error('HTTP-Code: 403'), { code: 403 });
    const err = await preflight({ ...api([], []), meshdoorResources: () => Promise.reject(forbidden) }, 'default').catch((e: unknown) => e as Error);
    expect((err as Error).message).to.include('refused access (403)').and.include('RBAC');
  });

  it('waits out a 429 from a CRD whose storage is still initializing', async () => {
    let calls = 0;
    const busy = Object.assign(new Error('HTTP-Code: 429'), { code: 429 });
    const flaky = { ...api(['meshdoors'], ['default']), meshdoorsNamed: () => (calls++ === 0 ? Promise.reject(busy) : Promise.resolve(['default'])) };
    await preflight(flaky, 'default');
    expect(calls).to.equal(2);
  });

  it('passes when the CRD and the MeshDoor exist', async () => {
    await preflight(api(['meshdoors'], ['default']), 'default');
  });
});
