// Two controller replicas: one leader (Lease + metric), the other takes over
// when the leader is killed, and keeps writing status afterwards.
import { expect } from 'chai';
import { startEnvironment, expectRoutedTo } from './harness/environment.ts';
import type { Environment } from './harness/environment.ts';
import { eventually } from './harness/eventually.ts';
import { httpGet } from './harness/http.ts';
import { ingressAddresses, lease } from './harness/kube-reads.ts';
import type { ControllerProcess } from './harness/meshdoor-processes.ts';

const LEASE = 'meshdoor-default';

async function leaderMetric(controller: ControllerProcess): Promise<number | undefined> {
  const res = await httpGet(`${controller.metricsUrl}/metrics`).catch(() => undefined);
  const line = res?.body.split('\n').find((l) => l.startsWith('meshdoor_leader '));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}

async function holder(env: Environment): Promise<{ identity: string; transitions: number }> {
  const current = await lease(env.cluster, LEASE);
  return { identity: current?.spec?.holderIdentity ?? '', transitions: current?.spec?.leaseTransitions ?? 0 };
}

/** The replica named in the Lease (identities are `<name>_<random>`). */
async function leaderOf(env: Environment): Promise<ControllerProcess> {
  const { identity } = await holder(env);
  const leader = env.controllers.find((c) => c.process.running && identity.startsWith(`${c.name}_`));
  if (!leader) throw new Error(`no running replica holds the Lease (holder '${identity}')`);
  return leader;
}

describe('two controller replicas: leader election', function () {
  let env: Environment;

  before(async function () {
    env = await startEnvironment({ replicas: 2 });
    await env.setPublishAddress('203.0.113.20');
    await env.apply(`
apiVersion: v1
kind: Service
metadata: { name: web, namespace: default }
spec:
  ports: [{ port: 80 }]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web, namespace: default }
spec:
  ingressClassName: kong
  rules:
    - http:
        paths:
          - { path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }
`);
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(env.logs());
  });

  after(async function () {
    await env?.stop();
  });

  it('elects exactly one leader, named in the Lease and in its metrics', async function () {
    const leader = await eventually(() => leaderOf(env), { message: 'no leader' });
    await eventually(async () => {
      const metrics = await Promise.all(env.controllers.map(leaderMetric));
      expect(metrics.filter((m) => m === 1)).to.have.length(1);
      expect(await leaderMetric(leader)).to.equal(1);
    }, { message: 'leader metric' });
    await expectRoutedTo(env, { path: '/' }, 'web.default.svc.cluster.local:80');
    await eventually(async () => {
      expect(await ingressAddresses(env.cluster, 'default', 'web')).to.deep.equal(['203.0.113.20']);
    });
  });

  it('hands over when the leader is killed, and the new leader writes status', async function () {
    const old = await leaderOf(env);
    const before = await holder(env);
    await old.process.kill();
    const successor = await eventually(() => leaderOf(env), { timeoutMs: 45_000, message: 'no hand-over' });
    expect(successor.name).to.not.equal(old.name);
    expect((await holder(env)).transitions).to.equal(before.transitions + 1);
    await eventually(async () => { expect(await leaderMetric(successor)).to.equal(1); });

    await env.setPublishAddress('203.0.113.21');
    await eventually(async () => {
      expect(await ingressAddresses(env.cluster, 'default', 'web')).to.deep.equal(['203.0.113.21']);
    }, { message: 'status not updated by the new leader' });
  });

  it('releases the Lease on a graceful stop, so a standby takes over without waiting for expiry', async function () {
    await env.startController();
    const current = await leaderOf(env);
    await current.process.stop('SIGTERM', 10_000);
    const started = Date.now();
    const next = await eventually(() => leaderOf(env), { timeoutMs: 30_000, message: 'no hand-over after release' });
    expect(next.name).to.not.equal(current.name);
    // Well under the 15 s lease duration a killed leader leaves behind.
    expect(Date.now() - started).to.be.lessThan(12_000);
  });

  it('made no request that the shipped RBAC refuses', async function () {
    expect(await env.forbiddenControllerRequests()).to.deep.equal([]);
  });
});
