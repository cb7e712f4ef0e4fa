// The harness itself: a real control plane comes up with RBAC and token
// authentication, ServiceAccount tokens work, the audit log records who did
// what, and stop() leaves no process behind.
import { expect } from 'chai';
import process from 'node:process';
import { existsSync } from 'node:fs';
import { startCluster } from './harness/cluster.ts';
import type { Cluster } from './harness/cluster.ts';
import { auditEventsFor } from './harness/audit.ts';
import { eventually } from './harness/eventually.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('e2e harness: a real kube-apiserver on loopback', function () {
  let cluster: Cluster;

  before(async function () {
    cluster = await startCluster();
  });

  after(async function () {
    await cluster?.stop();
  });

  it('serves the API over TLS to the admin kubeconfig', async function () {
    const { stdout } = await cluster.kubectl(['version', '-o', 'json']);
    const version = JSON.parse(stdout) as { serverVersion: { gitVersion: string } };
    expect(version.serverVersion.gitVersion).to.match(/^v1\.\d+\.\d+/);
  });

  it('authorizes ServiceAccounts with RBAC only (no rule, no access)', async function () {
    await cluster.kubectl(['create', 'namespace', 'harness']);
    await cluster.kubectl(['create', 'serviceaccount', 'reader', '-n', 'harness']);
    await cluster.kubectl(['create', 'role', 'cm-reader', '-n', 'harness', '--verb=get,list', '--resource=configmaps']);
    await cluster.kubectl(['create', 'rolebinding', 'cm-reader', '-n', 'harness', '--role=cm-reader', '--serviceaccount=harness:reader']);
    const token = await cluster.createServiceAccountToken('harness', 'reader');
    const kubeconfig = await cluster.kubeconfigFor(token, 'reader');

    const allowed = await cluster.kubectl(['get', 'configmaps', '-n', 'harness'], { kubeconfig });
    expect(allowed.code).to.equal(0);
    const denied = await cluster.kubectl(['get', 'secrets', '-n', 'harness'], { kubeconfig, allowFailure: true });
    expect(denied.code).to.not.equal(0);
    expect(denied.stderr).to.match(/forbidden/i);
  });

  it('records ServiceAccount requests in the audit log, denied ones included', async function () {
    await eventually(async () => {
      const events = await cluster.auditEvents();
      const secrets = auditEventsFor(events, { username: 'system:serviceaccount:harness:reader', resource: 'secrets' });
      expect(secrets.map((e) => e.responseStatus?.code)).to.include(403);
    }, { timeoutMs: 10_000 });
  });

  it('restarts kube-apiserver on the same address with the data kept', async function () {
    await cluster.restartApiserver();
    const sa = await cluster.getJson(['serviceaccount', 'reader', '-n', 'harness']);
    expect(sa).to.not.equal(undefined);
  });

  it('stop() ends every process and removes its directory', async function () {
    const pids = ['etcd', 'kube-apiserver'].map((name) => cluster.process(name)?.pid ?? -1);
    await cluster.stop();
    expect(pids.filter(alive)).to.deep.equal([]);
    expect(existsSync(cluster.dir)).to.equal(false);
  });
});
