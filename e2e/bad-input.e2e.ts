// Broken Ingresses are reported (Warning Event + MeshDoor status) and left
// out, while a good Ingress applied in the same `kubectl apply` is routed.
import { expect } from 'chai';
import { startEnvironment, expectNotRouted, expectRoutedTo } from './harness/environment.ts';
import type { Environment } from './harness/environment.ts';
import { eventually } from './harness/eventually.ts';
import { meshdoorStatus, warningEvents } from './harness/kube-reads.ts';
import { hostIngressYaml } from './harness/manifests.ts';

const ingress = (name: string, service: string, extra = ''): string =>
  hostIngressYaml({ name, namespace: 'shop', service, metadataExtra: extra });

const MANIFESTS = [
  'apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n',
  'apiVersion: v1\nkind: Service\nmetadata: { name: web, namespace: shop }\nspec:\n  ports: [{ port: 80 }]\n',
  'apiVersion: v1\nkind: Service\nmetadata: { name: elsewhere, namespace: shop }\nspec:\n  type: ExternalName\n  externalName: www.example.org\n',
  ingress('good', 'web'),
  ingress('bad-annotation', 'web', '  annotations:\n    konghq.com/protocols: "carrier-pigeon"'),
  ingress('missing-service', 'nowhere'),
  ingress('not-mesh', 'elsewhere'),
].join('---\n');

const BAD = [
  { name: 'bad-annotation', reason: /annotation/i },
  { name: 'missing-service', reason: /not ?found|missing/i },
  { name: 'not-mesh', reason: /external ?name/i },
];

describe('bad input next to good input', function () {
  let env: Environment;

  before(async function () {
    env = await startEnvironment();
    await env.apply(MANIFESTS);
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(env.logs());
  });

  after(async function () {
    await env?.stop();
  });

  it('routes the good Ingress', async function () {
    await expectRoutedTo(env, { host: 'good.example.com', path: '/' }, 'web.shop.svc.cluster.local:80');
  });

  for (const bad of BAD) {
    it(`leaves ${bad.name} out of Kong`, async function () {
      await expectNotRouted(env, { host: `${bad.name}.example.com`, path: '/' }, 5_000);
    });

    it(`gives ${bad.name} a Warning Event`, async function () {
      await eventually(async () => {
        const events = await warningEvents(env.cluster, 'shop', { kind: 'Ingress', name: bad.name });
        expect(events, 'no Warning Event').to.not.be.empty;
        expect(events.map((e) => `${e.reason ?? ''} ${e.message ?? ''}`).join('\n')).to.match(bad.reason);
      });
    });

    it(`lists ${bad.name} among the MeshDoor's failing objects`, async function () {
      await eventually(async () => {
        const failing = (await meshdoorStatus(env.cluster)).failingObjects ?? [];
        const entry = failing.find((f) => f.kind === 'Ingress' && f.namespace === 'shop' && f.name === bad.name);
        expect(entry, JSON.stringify(failing)).to.not.equal(undefined);
        expect(`${entry?.reason ?? ''} ${entry?.message ?? ''}`).to.match(bad.reason);
      });
    });
  }

  it('keeps the good Ingress routed and out of the failing objects', async function () {
    const failing = (await meshdoorStatus(env.cluster)).failingObjects ?? [];
    const ingresses = failing.filter((f) => f.kind === 'Ingress').map((f) => f.name).sort();
    expect(ingresses).to.deep.equal(BAD.map((b) => b.name).sort());
    await expectRoutedTo(env, { host: 'good.example.com', path: '/' }, 'web.shop.svc.cluster.local:80');
  });

  it('routes an Ingress once its problem is fixed', async function () {
    await env.apply('apiVersion: v1\nkind: Service\nmetadata: { name: nowhere, namespace: shop }\nspec:\n  ports: [{ port: 80 }]\n');
    await expectRoutedTo(env, { host: 'missing-service.example.com', path: '/' }, 'nowhere.shop.svc.cluster.local:80');
    await eventually(async () => {
      const failing = (await meshdoorStatus(env.cluster)).failingObjects ?? [];
      expect(failing.map((f) => f.name)).to.not.include('missing-service');
    });
  });

  it('made no request that the shipped RBAC refuses', async function () {
    expect(await env.forbiddenControllerRequests()).to.deep.equal([]);
  });
});
