// Faults on every side of the controller: Kong down and back, Kong restarted
// empty, the controller killed and restarted, kube-apiserver restarted.
import { expect } from 'chai';
import { startEnvironment, expectNotRouted, expectRefilled, expectRoutedTo, waitReady } from './harness/environment.ts';
import type { Environment } from './harness/environment.ts';
import { eventually } from './harness/eventually.ts';
import { httpGet } from './harness/http.ts';
import { EMPTY_CONFIG_HASH } from './harness/kong-double-client.ts';
import { meshdoorStatus } from './harness/kube-reads.ts';
import { hostIngressYaml } from './harness/manifests.ts';

const SEEDED = 15;

function ingressYaml(name: string): string {
  return `
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: apps }
spec:
  ports: [{ name: http, port: 80 }]
---${hostIngressYaml({ name, namespace: 'apps', service: name })}`;
}

const backendOf = (name: string): string => `${name}.apps.svc.cluster.local:80`;

describe('faults: Kong, the controller and kube-apiserver going away', function () {
  let env: Environment;
  let apiserverRestart: { from: number; to: number } | undefined;

  before(async function () {
    env = await startEnvironment();
    const seeded = Array.from({ length: SEEDED }, (_, i) => ingressYaml(`seed-${i}`));
    await env.apply(['apiVersion: v1\nkind: Namespace\nmetadata: { name: apps }\n', ...seeded].join('---\n'));
    await expectRoutedTo(env, { host: `seed-${SEEDED - 1}.example.com`, path: '/' }, backendOf(`seed-${SEEDED - 1}`));
    await waitReady(env.controller);
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(env.logs());
  });

  after(async function () {
    await env?.stop();
  });

  it('Kong down for a while: not ready meanwhile, then converges with the change made during the outage', async function () {
    await env.double.setFaults({ reset: true });
    await env.apply(ingressYaml('during-outage'));
    await eventually(async () => {
      const res = await httpGet(`${env.controller.metricsUrl}/readyz`);
      expect(res.status, res.body).to.equal(503);
    }, { message: 'controller stayed ready while Kong was down' });
    await env.double.clearFaults();
    await expectRoutedTo(env, { host: 'during-outage.example.com', path: '/' }, backendOf('during-outage'), 60_000);
    await expectRoutedTo(env, { host: 'seed-0.example.com', path: '/' }, backendOf('seed-0'));
    await waitReady(env.controller);
  });

  it('Kong restarted with an empty config: the controller pushes it again', async function () {
    // Only pushes after the restart count (were the old process kept).
    await env.double.clearRequests();
    await env.restartKong();
    // The new process starts empty, and the controller may refill it before any
    // read here: what shows the refill is a push the new process accepted.
    await expectRefilled(env);
    await expectRoutedTo(env, { host: 'during-outage.example.com', path: '/' }, backendOf('during-outage'), 60_000);
    await expectRoutedTo(env, { host: 'seed-0.example.com', path: '/' }, backendOf('seed-0'));
  });

  it('controller killed and restarted: no push before its caches sync, the same config hash', async function () {
    const before = await env.double.state();
    expect(before.configuration_hash).to.not.equal(EMPTY_CONFIG_HASH);
    // The status written for the config Kong holds now (same route count).
    const routesInKong = (before.entities.routes ?? []).length;
    const computedBefore = await eventually(async () => {
      const status = await meshdoorStatus(env.cluster);
      expect(status.routes).to.equal(routesInKong);
      expect(status.configHash, 'MeshDoor status has no configHash').to.be.a('string');
      return status.configHash;
    });
    const pushedBefore = await env.double.configPushes();
    const lastSize = pushedBefore.at(-1)?.bytes;
    expect(lastSize, 'no push seen before the kill').to.be.a('number');

    await env.controller.process.kill();
    await env.double.clearRequests();
    // Forget the hash in the MeshDoor status, so only the new process can put it back.
    await env.cluster.kubectl(['patch', 'meshdoors.meshdoor.dev', 'default', '--subresource=status', '--type=merge', '-p', '{"status":{"configHash":"stale"}}']);
    const restarted = await env.startController();
    await waitReady(restarted);

    // The restarted controller did talk to Kong. A push made before every
    // watch had listed would carry a partial config: another size than the full
    // one, and another hash. (Usually there is no push at all: the gateway
    // already reports the hash of the config the controller computes.)
    expect(await env.double.requests(), 'the restarted controller never called Kong').to.not.be.empty;
    const pushedAfter = await env.double.configPushes();
    expect(pushedAfter.map((p) => p.bytes).filter((b) => b !== lastSize), 'pushes of another size').to.deep.equal([]);
    expect((await env.double.state()).configuration_hash).to.equal(before.configuration_hash);
    // The new process computed the very same config from the same cluster state.
    await eventually(async () => {
      expect((await meshdoorStatus(env.cluster)).configHash).to.equal(computedBefore);
    }, { message: 'the restarted controller did not report the same config hash' });
    await expectRoutedTo(env, { host: 'seed-3.example.com', path: '/' }, backendOf('seed-3'));
  });

  it('controller down while an Ingress is deleted: the restarted one removes the route', async function () {
    await env.controller.process.kill();
    await env.cluster.kubectl(['delete', 'ingress', 'seed-1', '-n', 'apps']);
    const restarted = await env.startController();
    await expectNotRouted(env, { host: 'seed-1.example.com', path: '/' });
    await waitReady(restarted);
  });

  it('kube-apiserver restarted: watches resume and later changes still arrive', async function () {
    const from = Date.now();
    await env.cluster.restartApiserver();
    // Until its RBAC informers sync, a restarted kube-apiserver refuses every request.
    apiserverRestart = { from, to: Date.now() + 15_000 };
    await env.apply(ingressYaml('after-restart'));
    await expectRoutedTo(env, { host: 'after-restart.example.com', path: '/' }, backendOf('after-restart'), 90_000);
    await env.cluster.kubectl(['delete', 'ingress', 'seed-2', '-n', 'apps']);
    await expectNotRouted(env, { host: 'seed-2.example.com', path: '/' }, 90_000);
  });

  it('made no request that the shipped RBAC refuses', async function () {
    expect(await env.forbiddenControllerRequests(apiserverRestart ? [apiserverRestart] : [])).to.deep.equal([]);
  });
});
