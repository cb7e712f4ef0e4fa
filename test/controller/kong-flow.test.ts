// Feature: Ingress and Service changes flow to Kong; nothing is pushed before
// the caches synced; an unchanged snapshot makes no Kong traffic; a gateway
// that was down is retried.
import { expect } from 'chai';
import { startKongDouble, type KongDouble } from '../kong-double/index.ts';
import { adminEndpointSlice, gatewayObjects, ingress, service } from './fixtures.ts';
import { startHarness, type Harness } from './harness.ts';

function routeHosts(kong: KongDouble): string[] {
  return kong.state.routes.flatMap((r) => (r.hosts as string[] | undefined) ?? []).sort();
}

function serviceHosts(kong: KongDouble): string[] {
  return kong.state.services.map((s) => `${String(s.host)}:${String(s.port)}`).sort();
}

describe('controller: changes flow to Kong (DB-less double)', () => {
  let kong: KongDouble;
  let h: Harness;

  beforeEach(async () => {
    kong = await startKongDouble({ mode: 'dbless' });
  });

  afterEach(async () => {
    await h.stop();
    await kong.close();
  });

  it('configures the gateway found through the admin Service EndpointSlice, then follows add, update and delete', async () => {
    h = await startHarness({ objects: [...gatewayObjects(kong.port), service('shop', 'web'), ingress('shop', 'web')] });
    await h.eventually(() => { expect(routeHosts(kong)).to.deep.equal(['web.example.com']); });
    expect(serviceHosts(kong)).to.deep.equal(['web.shop.svc.cluster.local:80']);

    h.cluster.apply(service('shop', 'api', 8080));
    h.cluster.apply(ingress('shop', 'api', { backend: { name: 'api', port: 8080 } }));
    await h.eventually(() => { expect(routeHosts(kong)).to.deep.equal(['api.example.com', 'web.example.com']); });

    h.cluster.apply(ingress('shop', 'web', { host: 'www.example.com' }));
    await h.eventually(() => { expect(routeHosts(kong)).to.deep.equal(['api.example.com', 'www.example.com']); });

    h.cluster.remove('Ingress', 'shop', 'api');
    await h.eventually(() => { expect(routeHosts(kong)).to.deep.equal(['www.example.com']); });
    expect(serviceHosts(kong)).to.deep.equal(['web.shop.svc.cluster.local:80']);
  });

  it('applies one change within about the holdoff', async () => {
    h = await startHarness({ objects: [...gatewayObjects(kong.port), service('shop', 'web'), ingress('shop', 'web')] });
    await h.eventually(() => { expect(routeHosts(kong)).to.have.length(1); });
    h.cluster.apply(ingress('shop', 'web', { host: 'fast.example.com' }));
    await h.eventually(() => { expect(routeHosts(kong)).to.deep.equal(['fast.example.com']); }, 300);
  });

  it('pushes nothing before every watch has synced once', async () => {
    const objects = [...gatewayObjects(kong.port), service('shop', 'web'), ingress('shop', 'web')];
    const { FakeCluster } = await import('../kube/fake-cluster.ts');
    const cluster = new FakeCluster();
    cluster.failStarts('Service', 3);
    h = await startHarness({ cluster, objects });
    await h.advance(1500);
    expect(kong.writes(), 'no push while the Service watch has not listed').to.have.length(0);
    expect(h.controller.readiness.isReady()).to.equal(false);
    await h.eventually(() => { expect(routeHosts(kong)).to.deep.equal(['web.example.com']); }, 20_000);
    expect(h.controller.readiness.isReady()).to.equal(true);
  });

  it('makes no Kong traffic when only unrelated objects or statuses change', async () => {
    h = await startHarness({ objects: [...gatewayObjects(kong.port), service('shop', 'web'), ingress('shop', 'web')] });
    await h.eventually(() => { expect(routeHosts(kong)).to.have.length(1); });
    await h.advance(2000);
    kong.clearRequests();
    // Status-only writes (ours or others') and gateway pod churn do not change the translation input.
    const current = h.cluster.get<ReturnType<typeof ingress>>('Ingress', 'shop', 'web');
    h.cluster.apply({ ...current, status: { loadBalancer: { ingress: [{ ip: '198.51.100.1' }] } } });
    h.cluster.apply({ ...service('shop', 'web'), status: { loadBalancer: {} } });
    await h.advance(2000);
    expect(kong.requests.map((r) => `${r.method} ${r.path}`)).to.deep.equal([]);
  });

  it('retries a gateway that was down, and reports not ready meanwhile', async () => {
    await kong.down();
    h = await startHarness({ objects: [...gatewayObjects(kong.port), service('shop', 'web'), ingress('shop', 'web')] });
    await h.eventually(() => { expect(h.controller.readiness.notReadyReason()).to.match(/sync failed|first sync/); });
    await h.advance(1000);
    expect(h.controller.readiness.isReady()).to.equal(false);
    await kong.up();
    await h.eventually(() => { expect(routeHosts(kong)).to.deep.equal(['web.example.com']); }, 30_000);
    await h.eventually(() => { expect(h.controller.readiness.isReady()).to.equal(true); });
  });

  it('re-pushes to a gateway that restarted empty in place (its endpoint turns not ready)', async () => {
    h = await startHarness({ objects: [...gatewayObjects(kong.port), service('shop', 'web'), ingress('shop', 'web')] });
    await h.eventually(() => { expect(routeHosts(kong)).to.have.length(1); });
    kong.restartEmpty();
    expect(routeHosts(kong)).to.deep.equal([]);
    // An empty DB-less Kong fails its readiness probe: the endpoint stays, not ready.
    h.cluster.apply(adminEndpointSlice(kong.port, false));
    await h.eventually(() => { expect(routeHosts(kong)).to.deep.equal(['web.example.com']); });
  });

  it('checks DB-less gateways every gateway-check period and re-pushes one that restarted empty', async () => {
    h = await startHarness({ objects: [...gatewayObjects(kong.port), service('shop', 'web'), ingress('shop', 'web')], kongAdminUrls: [kong.url], options: { dblessCheckMs: 10_000 } });
    await h.eventually(() => { expect(routeHosts(kong)).to.have.length(1); });
    await h.advance(12_000, 500);
    const writes = kong.writes().length;
    expect(kong.requests.filter((r) => r.path === '/status').length, 'the check reads /status').to.be.greaterThan(0);
    expect(writes, 'a healthy gateway is not pushed again').to.equal(1);
    kong.restartEmpty();
    await h.eventually(() => { expect(routeHosts(kong)).to.deep.equal(['web.example.com']); }, 12_000);
  });

  it('checks the gateways again after the resync period even without changes', async () => {
    h = await startHarness({ objects: [...gatewayObjects(kong.port), service('shop', 'web'), ingress('shop', 'web')], options: { resyncMs: 60_000 } });
    await h.eventually(() => { expect(routeHosts(kong)).to.have.length(1); });
    kong.restartEmpty();
    await h.advance(30_000, 500);
    expect(routeHosts(kong), 'no traffic before the period').to.deep.equal([]);
    await h.eventually(() => { expect(routeHosts(kong)).to.deep.equal(['web.example.com']); }, 40_000);
  });
});
