import { expect } from 'chai';
import { KongClientPool } from '../../src/kong/client-pool.ts';
import { DbModeSyncEngine } from '../../src/kong/dbmode-engine.ts';
import { OWNERSHIP_TAG, kongEntityId, kongTargetId, type KongConfig } from '../../src/model/index.ts';
import type { SyncRequest } from '../../src/kong/sync-types.ts';
import type { Snapshot } from '../../src/translate/types.ts';
import { startKongDouble } from '../kong-double/index.ts';
import type { KongDouble } from '../kong-double/index.ts';
import { fastRetry, ingress, shopSnapshot, syncRequest } from './fixtures.ts';
import { makeTlsMaterial } from './tls-fixtures.ts';

async function admin(double: KongDouble, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${double.url}${path}`, {
    method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

function writesSummary(double: KongDouble): string[] {
  return double.writes().map((w) => `${w.method} ${w.path.split('/')[1] ?? ''}`).sort();
}

describe('DB-mode sync engine (against the Kong double)', () => {
  let double: KongDouble;
  let pool: KongClientPool;
  let engine: DbModeSyncEngine;
  let snapshot: Snapshot;
  let request: SyncRequest;

  beforeEach(async () => {
    double = await startKongDouble({ mode: 'db' });
    pool = new KongClientPool({ retry: fastRetry, timeoutMs: 2000 });
    engine = new DbModeSyncEngine({ clientFor: (t) => pool.get(t) });
    snapshot = shopSnapshot();
    request = syncRequest(() => snapshot, [double.url]);
  });
  afterEach(async () => {
    pool.close();
    await double.close();
  });

  it('creates every entity on the first sync, parents before children', async () => {
    const report = await engine.sync(request);
    expect(report.gateways[0]).to.include({ mode: 'db', status: 'pushed', created: 4, updated: 0, deleted: 0, writes: 4 });
    const order = double.writes().map((w) => w.path.split('/')[1]);
    expect(order.lastIndexOf('services')).to.be.lessThan(order.indexOf('routes'));
    expect(double.writes().every((w) => w.method === 'PUT')).to.equal(true);
    expect(double.state.routes.every((r) => (r.tags as string[]).includes(OWNERSHIP_TAG))).to.equal(true);
    expect(double.route({ host: 'api.example.com', path: '/v1/orders' }).service?.name).to.equal('shop.orders.80');
  });

  it('makes zero writes when nothing changed', async () => {
    await engine.sync(request);
    double.clearRequests();
    const report = await engine.sync(request);
    expect(report.gateways[0]).to.include({ status: 'skipped', created: 0, updated: 0, deleted: 0, writes: 0 });
    expect(double.writes()).to.deep.equal([]);
  });

  it('makes exactly the writes one changed Ingress needs', async () => {
    await engine.sync(request);
    double.clearRequests();
    snapshot = { ...snapshot, Ingress: snapshot.Ingress.map((i) => (i.metadata?.name === 'api' ? ingress('api', [{ host: 'api.example.com', path: '/v2', service: 'orders' }]) : i)) };
    const report = await engine.sync(request);
    expect(report.gateways[0]).to.include({ created: 0, updated: 1, deleted: 0, writes: 1 });
    expect(writesSummary(double)).to.deep.equal(['PUT routes']);
    expect(double.route({ host: 'api.example.com', path: '/v2/x' }).status).to.equal(200);
    expect(double.route({ host: 'api.example.com', path: '/v1/x' }).status).to.equal(404);
  });

  it('deletes the entities of a removed Ingress, children before parents', async () => {
    await engine.sync(request);
    double.clearRequests();
    snapshot = { ...snapshot, Ingress: snapshot.Ingress.filter((i) => i.metadata?.name !== 'api') };
    const report = await engine.sync(request);
    expect(report.gateways[0]).to.include({ created: 0, updated: 0, deleted: 2 });
    expect(double.writes().map((w) => `${w.method} ${w.path.split('/')[1] ?? ''}`)).to.deep.equal(['DELETE routes', 'DELETE services']);
    expect(double.state.services.map((s) => s.name)).to.deep.equal(['shop.frontend.80']);
  });

  it('repairs drift: an owned entity edited or deleted by someone else', async () => {
    await engine.sync(request);
    const route = double.state.routes.find((r) => r.name === 'shop.api.orders.api.example.com.80');
    const other = double.state.routes.find((r) => r.name === 'shop.web.frontend.shop.example.com.80');
    const desiredPaths = route?.paths;
    expect((await admin(double, 'PATCH', `/routes/${String(route?.id)}`, { paths: ['/hijacked'] })).status).to.equal(200);
    expect((await admin(double, 'DELETE', `/routes/${String(other?.id)}`)).status).to.equal(204);
    double.clearRequests();

    const report = await engine.sync(request);
    expect(report.gateways[0]).to.include({ created: 1, updated: 1, deleted: 0 });
    expect(double.state.routes.find((r) => r.id === route?.id)?.paths).to.deep.equal(desiredPaths);
    expect(double.state.routes).to.have.length(2);
  });

  it('never touches entities without the ownership tag', async () => {
    const foreignService = await admin(double, 'POST', '/services', { name: 'legacy', host: 'legacy.internal', tags: ['team:payments'] });
    const foreignRoute = await admin(double, 'POST', '/services/legacy/routes', { name: 'legacy-route', paths: ['/legacy'] });
    const before = JSON.stringify([foreignService.body, foreignRoute.body]);
    await engine.sync(request);
    snapshot = { ...snapshot, Ingress: [] };
    await engine.sync(request);

    expect(double.state.services.map((s) => s.name)).to.deep.equal(['legacy']);
    const after = JSON.stringify([double.state.services[0], double.state.routes[0]]);
    expect(after).to.equal(before);
    const foreignIds = [foreignService.body, foreignRoute.body].map((b) => String((b as { id: string }).id));
    expect(double.requests.filter((r) => foreignIds.some((id) => r.path.includes(id)))).to.deep.equal([]);
  });

  it('keeps a stale owned service that a foreign route still uses, and applies everything else', async () => {
    await engine.sync(request);
    const orders = double.state.services.find((s) => s.name === 'shop.orders.80');
    expect((await admin(double, 'POST', `/services/${String(orders?.id)}/routes`, { name: 'foreign', paths: ['/foreign'] })).status).to.equal(201);
    snapshot = { ...snapshot, Ingress: snapshot.Ingress.filter((i) => i.metadata?.name !== 'api') };
    const report = await engine.sync(request);
    expect(report.gateways[0]).to.include({ status: 'pushed', deleted: 1 });
    expect(report.rejected).to.deep.equal([]);
    expect(double.state.routes.map((r) => r.name).sort()).to.deep.equal(['foreign', 'shop.web.frontend.shop.example.com.80']);
    expect(double.state.services.map((s) => s.name).sort()).to.deep.equal(['shop.frontend.80', 'shop.orders.80']);
  });

  it('writes nothing when the tag-filtered listing fails, even with stale owned entities around', async () => {
    await admin(double, 'POST', '/services', { name: 'foreign', host: 'foreign.internal' });
    await engine.sync(request);
    snapshot = { ...snapshot, Ingress: [] };
    double.clearRequests();
    double.failNext(50, 500);

    const report = await engine.sync(request);
    expect(report.gateways[0]?.status).to.equal('failed');
    expect(report.gateways[0]?.error).to.contain('could not list meshdoor-owned entities');
    expect(double.writes()).to.deep.equal([]);
    expect(double.state.services).to.have.length(3);
  });

  it('writes nothing when Kong is unreachable at start, and converges once it is back', async () => {
    await admin(double, 'POST', '/services', { name: 'foreign', host: 'foreign.internal' });
    await double.down();
    const report = await engine.sync(request);
    expect(report.gateways[0]?.status).to.equal('failed');
    expect(report.retryAfterMs).to.be.a('number');
    await double.up();
    expect(double.writes()).to.have.length(1);

    const next = await engine.sync(request);
    expect(next.gateways[0]).to.include({ status: 'pushed', created: 4 });
    expect(double.state.services.map((s) => s.name)).to.include('foreign');
  });

  it('leaves out an object whose entity Kong rejects and applies the rest', async () => {
    snapshot = { ...snapshot, Ingress: [...snapshot.Ingress, ingress('broken', [{ host: 'bad.example.com', path: '/', service: 'orders' }])] };
    double.rejectEntity('shop.broken.orders.bad.example.com.80');
    const report = await engine.sync(request);

    expect(report.gateways[0]?.status).to.equal('pushed');
    expect(report.rejected.map((r) => `${r.object.kind}/${r.object.name} ${r.reason}`)).to.deep.equal(['Ingress/broken KongRejected']);
    expect(report.rejected[0]?.message).to.contain('name: rejected by the Kong test double');
    expect(double.state.routes.map((r) => r.name)).to.have.members(['shop.web.frontend.shop.example.com.80', 'shop.api.orders.api.example.com.80']);

    double.clearRequests();
    const again = await engine.sync(request);
    expect(again.gateways[0]?.status).to.equal('skipped');
    expect(again.rejected.map((r) => r.object.name)).to.deep.equal(['broken']);
    expect(double.writes()).to.deep.equal([]);
  });

  describe('upstreams, targets, certificates and SNIs', () => {
    const upstreamId = kongEntityId('upstreams', 'orders.shop.svc');
    const certId = kongEntityId('certificates', 'shop/tls');
    const tags = ['k8s-kind:Service', 'k8s-namespace:shop', 'k8s-name:orders', OWNERSHIP_TAG];
    const config = (targets: [string, number][], snis: string[]): KongConfig => ({
      _format_version: '3.0',
      services: [],
      upstreams: [{
        id: upstreamId, name: 'orders.shop.svc', algorithm: 'round-robin', tags,
        targets: targets.map(([target, weight]) => ({ id: kongTargetId(upstreamId, target), target, weight, tags })),
      }],
      certificates: [{
        id: certId, cert: pem.cert, key: pem.key, tags,
        snis: snis.map((name) => ({ id: kongEntityId('snis', name), name, tags })),
      }],
    });
    let current: KongConfig;
    let pem: { cert: string; key: string };
    before(function () {
      this.timeout(20_000);
      const tls = makeTlsMaterial();
      pem = { cert: tls.serverCert, key: tls.serverKey };
    });
    const handMade = (): SyncRequest => ({
      gateways: [{ url: double.url }],
      translate: () => ({ config: structuredClone(current), failures: [], configured: [] }),
    });

    it('creates targets through their upstream, updates and deletes them, and skips what is unchanged', async () => {
      current = config([['10.0.0.1', 100], ['10.0.0.2:8080', 100]], ['shop.example.com']);
      const first = await engine.sync(handMade());
      expect(first.gateways[0]).to.include({ status: 'pushed', created: 5 });
      expect(double.writes().filter((w) => w.path.endsWith('/targets')).map((w) => w.method)).to.deep.equal(['POST', 'POST']);
      // Kong stores `10.0.0.1` as `10.0.0.1:8000`; that is no change.
      double.clearRequests();
      expect((await engine.sync(handMade())).gateways[0]?.writes).to.equal(0);

      current = config([['10.0.0.2:8080', 50], ['10.0.0.3:8080', 100]], ['shop.example.com', 'www.shop.example.com']);
      double.clearRequests();
      const next = await engine.sync(handMade());
      expect(next.gateways[0]).to.include({ created: 2, updated: 1, deleted: 1 });
      expect(double.state.targets.map((t) => `${String(t.target)}=${String(t.weight)}`).sort()).to.deep.equal(['10.0.0.2:8080=50', '10.0.0.3:8080=100']);
      expect(double.state.snis.map((s) => s.name).sort()).to.deep.equal(['shop.example.com', 'www.shop.example.com']);
    });

    it('ignores a foreign target under an owned upstream (nested lists ignore tags)', async () => {
      current = config([['10.0.0.1:80', 100]], []);
      await engine.sync(handMade());
      const foreign = await admin(double, 'POST', `/upstreams/${upstreamId}/targets`, { target: '10.9.9.9:80' });
      expect(foreign.status).to.equal(201);
      double.clearRequests();
      current = config([], []);
      await engine.sync(handMade());
      expect(double.state.targets.map((t) => t.target)).to.deep.equal(['10.9.9.9:80']);
    });

    it('does not delete an owned upstream when that would cascade to a foreign target', async () => {
      current = config([['10.0.0.1:80', 100]], []);
      await engine.sync(handMade());
      await admin(double, 'POST', `/upstreams/${upstreamId}/targets`, { target: '10.9.9.9:80' });
      current = { ...config([], []), upstreams: [] };
      await engine.sync(handMade());
      expect(double.state.upstreams.map((u) => u.id)).to.deep.equal([upstreamId]);
      expect(double.state.targets.map((t) => t.target)).to.deep.equal(['10.9.9.9:80']);
    });
  });
});
