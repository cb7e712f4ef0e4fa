// What Kong rejects is left out at the finest grain its answer allows (a path,
// not the route or the Ingress), and remembered per entity content so later
// changes cost one POST /config, also for a fresh engine given the memory.
import type { V1Ingress } from '@kubernetes/client-node';
import { expect } from 'chai';
import { KongClientPool } from '../../src/kong/client-pool.ts';
import { DblessSyncEngine } from '../../src/kong/dbless-engine.ts';
import { RejectionMemory } from '../../src/kong/rejection-memory.ts';
import { exclusionKeys, rejectionsFromFlattened } from '../../src/kong/rejections.ts';
import type { Snapshot } from '../../src/translate/types.ts';
import { startKongDouble, type KongDouble } from '../kong-double/index.ts';
import { fastRetry, ingress, service, shopSnapshot, syncRequest } from './fixtures.ts';

/** An Ingress with one host and several ImplementationSpecific paths to one Service. */
function multiPath(name: string, host: string, paths: string[]): V1Ingress {
  const base = ingress(name, [{ host, path: '/', service: 'orders' }]);
  const rule = base.spec?.rules?.[0];
  if (rule?.http) rule.http.paths = paths.map((path) => ({ path, pathType: 'ImplementationSpecific', backend: { service: { name: 'orders', port: { number: 80 } } } }));
  return base;
}

const ROUTE = 'shop.multi.orders.multi.example.com.80';

describe('Kong rejections: finest grain and one POST per change (DB-less double)', () => {
  let double: KongDouble;
  let pool: KongClientPool;
  let snapshot: Snapshot;

  const configPosts = (): number => double.writes().filter((r) => r.path === '/config').length;
  const engine = (rejections?: RejectionMemory): DblessSyncEngine =>
    new DblessSyncEngine({ clientFor: (t) => pool.get(t), ...(rejections ? { rejections } : {}) });
  const withIngress = (ing: V1Ingress): Snapshot => ({ ...shopSnapshot(), Ingress: [...shopSnapshot().Ingress, ing], Service: [service('frontend'), service('orders')] });
  const served = (path: string): boolean => double.route({ host: 'multi.example.com', path }).status === 200;

  beforeEach(async () => {
    double = await startKongDouble({ mode: 'dbless' });
    pool = new KongClientPool({ retry: fastRetry, timeoutMs: 2000 });
    snapshot = shopSnapshot();
  });
  afterEach(async () => {
    pool.close();
    await double.close();
  });

  it('leaves out only the path Kong names (paths.N), keeping the route and its name for the neighbours', async () => {
    snapshot = withIngress(multiPath('multi', 'multi.example.com', ['/a', '/bad', '/c']));
    double.rejectPath('/bad');
    const report = await engine().sync(syncRequest(() => snapshot, [double.url]));

    expect(report.gateways[0]?.status).to.equal('pushed');
    expect(configPosts()).to.equal(2);
    const route = double.state.routes.find((r) => r.name === ROUTE);
    expect(route?.paths).to.deep.equal(['/a', '/c']);
    expect(served('/a/x') && served('/c')).to.equal(true);
    expect(served('/bad')).to.equal(false);
    expect(report.rejected).to.have.length(1);
    expect(report.rejected[0]?.object).to.deep.include({ kind: 'Ingress', name: 'multi' });
    expect(report.rejected[0]?.message).to.contain('paths.2').and.contain('/bad');
    expect(report.applied.configured.map((o) => o.name)).to.include('multi');
  });

  it('splits a route Kong refuses as a whole to find the path, then serves the rest under the route\'s own name', async () => {
    // As Kong's router refuses a regex it cannot compile (recorded rt-regex-00): the whole route, no path named.
    snapshot = withIngress(multiPath('multi', 'multi.example.com', ['/a', '/b', '/c']));
    double.rejectRouteWithPath('/b');
    const report = await engine().sync(syncRequest(() => snapshot, [double.url]));

    expect(report.gateways[0]?.status).to.equal('pushed');
    expect(configPosts(), '400 whole route, 400 split piece, 201').to.equal(3);
    expect(double.state.routes.find((r) => r.name === ROUTE)?.paths).to.deep.equal(['/a', '/c']);
    expect(double.state.routes.filter((r) => String(r.name).startsWith(`${ROUTE}.`))).to.deep.equal([]);
    expect(report.rejected[0]?.message).to.contain('Router Expression failed validation');
  });

  it('pushes once per change while a rejected object exists, and once more only when that object changes', async () => {
    snapshot = withIngress(multiPath('multi', 'multi.example.com', ['/a', '/bad']));
    double.rejectPath('/bad');
    const e = engine();
    const request = syncRequest(() => snapshot, [double.url]);
    await e.sync(request);
    expect(configPosts()).to.equal(2);

    double.clearRequests();
    snapshot = { ...snapshot, Ingress: [...snapshot.Ingress, ingress('extra', [{ host: 'extra.example.com', path: '/', service: 'orders' }])] };
    const next = await e.sync(request);
    expect(next.gateways[0]?.status).to.equal('pushed');
    expect(configPosts(), 'one POST: the rejected path is left out up front').to.equal(1);
    expect(next.rejected.map((r) => r.object.name)).to.deep.equal(['multi']);
    expect(double.route({ host: 'extra.example.com', path: '/' }).status).to.equal(200);

    double.clearRequests();
    const edited = multiPath('multi', 'multi.example.com', ['/a', '/bad', '/d']);
    snapshot = { ...snapshot, Ingress: snapshot.Ingress.map((i) => (i.metadata?.name === 'multi' ? edited : i)) };
    await e.sync(request);
    expect(configPosts(), 'the edited object is tried again').to.equal(2);
  });

  it('needs one POST after a restart when the memory is handed over (as the MeshDoor status keeps it)', async () => {
    snapshot = withIngress(multiPath('multi', 'multi.example.com', ['/a', '/bad']));
    double.rejectPath('/bad');
    const first = engine();
    await first.sync(syncRequest(() => snapshot, [double.url]));
    const kept = JSON.parse(JSON.stringify(first.rejections.entries())) as ReturnType<RejectionMemory['entries']>;

    double.restartEmpty();
    double.clearRequests();
    const seeded = new RejectionMemory();
    seeded.seed(kept);
    const report = await engine(seeded).sync(syncRequest(() => snapshot, [double.url]));
    expect(report.gateways[0]?.status).to.equal('pushed');
    expect(configPosts()).to.equal(1);
    expect(served('/a')).to.equal(true);
  });

  it('tries a remembered rejection again on a gateway of another Kong version', async () => {
    snapshot = withIngress(multiPath('multi', 'multi.example.com', ['/a', '/bad']));
    double.rejectPath('/bad');
    const e = engine();
    const request = syncRequest(() => snapshot, [double.url]);
    const translate = (exclude: ReadonlySet<string>) => request.translate(exclude);
    await e.syncGateway({ url: double.url }, translate, '3.9.1');
    expect(e.rejections.entries().map((r) => r.kongVersion)).to.deep.equal(['3.9.1']);
    double.restartEmpty();
    double.clearRequests();
    await e.syncGateway({ url: double.url }, translate, '3.9.1');
    expect(configPosts(), 'same version: left out up front').to.equal(1);
    double.restartEmpty();
    double.clearRequests();
    await e.syncGateway({ url: double.url }, translate, '3.10.0');
    expect(configPosts(), 'another version: tried again').to.equal(2);
  });

  it('reports the configuration_hash Kong shows, also for an empty config (all zeros)', async () => {
    snapshot = { ...snapshot, Ingress: [] };
    const report = await engine().sync(syncRequest(() => snapshot, [double.url]));
    expect(report.gateways[0]?.configHash).to.equal('00000000000000000000000000000000');
    snapshot = shopSnapshot();
    const full = await engine().sync(syncRequest(() => snapshot, [double.url]));
    expect(full.gateways[0]?.configHash).to.equal(double.configurationHash());
  });

  it('reports no hash for a gateway it could not reach', async () => {
    await double.down();
    const report = await new DblessSyncEngine({ clientFor: (t) => new KongClientPool({ retry: { retries: 0 }, timeoutMs: 500 }).get(t) })
      .sync(syncRequest(() => snapshot, [double.url]));
    expect(report.gateways[0]?.status).to.equal('failed');
    expect(report.gateways[0]?.configHash).to.equal(undefined);
  });
});

describe('exclusionKeys (pure)', () => {
  const tags = ['k8s-kind:Ingress', 'k8s-name:multi', 'k8s-namespace:shop'];
  const rejection = (errors: { type: 'field' | 'entity'; field?: string; message: string }[], paths = ['/a', '/b']) =>
    rejectionsFromFlattened([{ entity_type: 'route', entity_name: 'r', entity_tags: tags, entity: { name: 'r', paths }, errors }])[0]!;

  it('names the paths of paths.N errors', () => {
    expect(exclusionKeys(rejection([{ type: 'field', field: 'paths.2', message: 'x' }]), new Set())).to.deep.equal(['Ingress/shop/multi#path:/b']);
  });
  it('names the route for another field', () => {
    expect(exclusionKeys(rejection([{ type: 'field', field: 'hosts.1', message: 'x' }]), new Set())).to.deep.equal(['Ingress/shop/multi#route:r']);
  });
  it('asks for a split on an entity error, then names every path of a split piece', () => {
    const entity = rejection([{ type: 'entity', message: 'Router Expression failed validation' }]);
    expect(exclusionKeys(entity, new Set())).to.deep.equal(['Ingress/shop/multi#split:r']);
    expect(exclusionKeys(entity, new Set(['Ingress/shop/multi#split:r']))).to.deep.equal(['Ingress/shop/multi#path:/a', 'Ingress/shop/multi#path:/b']);
  });
  it('names the whole object for a Service', () => {
    const [svc] = rejectionsFromFlattened([{ entity_type: 'service', entity_name: 's', entity_tags: ['k8s-kind:Service', 'k8s-name:orders', 'k8s-namespace:shop'], errors: [{ type: 'field', field: 'port', message: 'x' }] }]);
    expect(exclusionKeys(svc!, new Set())).to.deep.equal(['Service/shop/orders']);
  });
});
