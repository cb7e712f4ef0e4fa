// Feature: convergence with Kong (DB-less double). One bad edit does not take
// down what worked (last valid version per object, else only the bad path is
// left out); a change while a rejected object exists costs one POST, also
// after a restart; the status says what Kong holds; an emptied or returning
// gateway is noticed by the /status poll.
import type { KubernetesObject, V1Ingress } from '@kubernetes/client-node';
import { expect } from 'chai';
import type { MeshDoorStatus } from '../../src/controller/meshdoor-status.ts';
import { FakeCluster } from '../kube/fake-cluster.ts';
import { startKongDouble, type KongDouble } from '../kong-double/index.ts';
import { gatewayObjects, ingress, meshdoor, service, serviceEndpoints } from './fixtures.ts';
import { startHarness, type Harness, type HarnessOptions } from './harness.ts';

/** `shop/multi` on multi.example.com: Prefix paths to Service web. */
function multi(paths: string[], annotations: Record<string, string> = {}): V1Ingress {
  const base = ingress('shop', 'multi', { host: 'multi.example.com' });
  base.metadata = { ...base.metadata, annotations };
  const rule = base.spec?.rules?.[0];
  if (rule?.http) rule.http.paths = paths.map((path) => ({ path, pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }));
  return base;
}

function status(h: Harness): Partial<MeshDoorStatus> {
  return h.cluster.get<KubernetesObject & { status?: Partial<MeshDoorStatus> }>('MeshDoor', undefined, 'default')?.status ?? {};
}

const served = (kong: KongDouble, path: string, host = 'multi.example.com'): boolean => kong.route({ host, path }).status === 200;
const configPosts = (kong: KongDouble): number => kong.writes().filter((r) => r.path === '/config').length;

describe('controller: convergence with Kong (DB-less double)', () => {
  let kong: KongDouble;
  let h: Harness | undefined;

  beforeEach(async () => {
    kong = await startKongDouble({ mode: 'dbless' });
  });
  afterEach(async () => {
    await h?.stop();
    h = undefined;
    await kong.close();
  });

  const start = async (objects: KubernetesObject[], o: HarnessOptions = {}): Promise<Harness> => {
    h = await startHarness({ objects: [...gatewayObjects(kong.port), service('shop', 'web'), serviceEndpoints('shop', 'web'), ...objects], options: { gatewayPollMs: 1000 }, ...o });
    return h;
  };

  describe('last valid version per object', () => {
    it('keeps serving what worked when an edit adds a path Kong rejects, reports it, and one POST per change after that', async () => {
      const c = await start([multi(['/a', '/c'])]);
      await c.eventually(() => { expect(served(kong, '/a') && served(kong, '/c')).to.equal(true); });

      kong.rejectPath('/bad/');
      c.cluster.apply(multi(['/a', '/c', '/bad', '/new']));
      await c.eventually(() => {
        const entry = status(c).failingObjects?.find((f) => f.name === 'multi');
        expect(entry?.reason).to.equal('ServingLastValid');
        expect(entry?.message).to.contain('Kong rejected').and.contain('still serving its last valid version').and.contain('multi.example.com/a');
      });
      expect(served(kong, '/a') && served(kong, '/c'), 'the last valid version is served').to.equal(true);
      expect(served(kong, '/new'), 'the new version is not (it is invalid as a whole)').to.equal(false);
      expect(status(c).failingObjectCount).to.equal(1);
      expect(c.cluster.events.filter((e) => e.involvedObject.name === 'multi').map((e) => e.reason)).to.include('ServingLastValid');
      expect(c.cluster.get<V1Ingress>('Ingress', 'shop', 'multi')?.status?.loadBalancer?.ingress, 'still served: keeps its address').to.have.length(1);

      kong.clearRequests();
      c.cluster.apply(ingress('shop', 'other'));
      await c.eventually(() => { expect(served(kong, '/', 'other.example.com')).to.equal(true); });
      expect(configPosts(kong), 'one POST for a change while the rejected object exists').to.equal(1);
      expect(served(kong, '/a')).to.equal(true);

      c.cluster.remove('Ingress', 'shop', 'multi');
      await c.eventually(() => { expect(served(kong, '/a')).to.equal(false); });
      await c.eventually(() => { expect(status(c).failingObjects).to.deep.equal([]); });
      expect(status(c).kongRejections, 'a deleted object\'s rejection is not kept').to.equal(undefined);
      expect(status(c).lastValid).to.equal(undefined);
    });

    it('keeps serving the last valid version when an edit fails translation', async () => {
      const c = await start([multi(['/a'])]);
      await c.eventually(() => { expect(served(kong, '/a')).to.equal(true); });
      c.cluster.apply(multi(['/a', '/b'], { 'konghq.com/strip-path': 'maybe' }));
      await c.eventually(() => {
        const entry = status(c).failingObjects?.find((f) => f.name === 'multi');
        expect(entry?.reason).to.equal('ServingLastValid');
        expect(entry?.message).to.contain('InvalidAnnotation');
      });
      expect(served(kong, '/a')).to.equal(true);
      expect(served(kong, '/b')).to.equal(false);
    });

    it('with spec.serveLastValid false leaves out only the rejected path; its neighbours stay served', async () => {
      const c = await start([meshdoor({ serveLastValid: false }), multi(['/a', '/c'])]);
      await c.eventually(() => { expect(served(kong, '/a')).to.equal(true); });
      kong.rejectPath('/bad/');
      c.cluster.apply(multi(['/a', '/c', '/bad', '/new']));
      await c.eventually(() => { expect(served(kong, '/new')).to.equal(true); });
      expect(served(kong, '/a') && served(kong, '/c')).to.equal(true);
      expect(served(kong, '/bad')).to.equal(false);
      await c.eventually(() => {
        const entry = status(c).failingObjects?.find((f) => f.name === 'multi');
        expect(entry?.reason).to.equal('KongRejected');
        expect(entry?.message).to.contain('/bad/');
      });
      expect(kong.state.routes.map((r) => r.name)).to.include('shop.multi.web.multi.example.com.80');
    });
  });

  it('needs one POST after a controller restart: what Kong rejected is kept in the MeshDoor status', async () => {
    kong.rejectPath('/bad/');
    const cluster = new FakeCluster();
    const first = await start([multi(['/a', '/bad'])], { cluster });
    await first.eventually(() => { expect(status(first).kongRejections).to.have.length(1); });
    expect(served(kong, '/a')).to.equal(true);
    await first.stop();
    h = undefined;

    kong.restartEmpty();
    kong.clearRequests();
    const second = await startHarness({ cluster, options: { gatewayPollMs: 1000 } });
    h = second;
    await second.eventually(() => { expect(served(kong, '/a')).to.equal(true); });
    expect(configPosts(kong)).to.equal(1);
  });

  it('serves the last valid version after a restart too, and a replica that is not the leader serves the same', async () => {
    const cluster = new FakeCluster();
    const first = await start([multi(['/a', '/c'])], { cluster });
    await first.eventually(() => { expect(served(kong, '/a')).to.equal(true); });
    kong.rejectPath('/bad/');
    cluster.apply(multi(['/a', '/c', '/bad', '/new']));
    await first.eventually(() => { expect(status(first).lastValid?.map((e) => e.object.metadata?.name)).to.deep.equal(['multi']); });
    await first.stop();
    h = undefined;

    kong.restartEmpty();
    kong.clearRequests();
    const second = await startHarness({ cluster, options: { gatewayPollMs: 1000 } });
    h = second;
    await second.eventually(() => { expect(served(kong, '/a')).to.equal(true); });
    expect(served(kong, '/new'), 'still the last valid version').to.equal(false);
    expect(configPosts(kong)).to.equal(1);
    await second.stop();
    h = undefined;

    // A follower (not the leader) that never saw the valid version takes it from the status.
    kong.restartEmpty();
    const heldSince = new Date(1_700_000_000_000).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
    await cluster.leaseApi.create('kong', {
      apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'meshdoor-default', namespace: 'kong' },
      spec: { holderIdentity: 'the-leader', leaseDurationSeconds: 3600, acquireTime: heldSince as never, renewTime: heldSince as never },
    });
    const follower = await startHarness({ cluster, leaderElection: true, identity: 'follower', options: { gatewayPollMs: 1000 } });
    h = follower;
    await follower.eventually(() => { expect(served(kong, '/a')).to.equal(true); });
    expect(served(kong, '/new')).to.equal(false);
    expect(follower.controller.isLeader()).to.equal(false);
  });

  describe('status matches Kong', () => {
    it('shows the configuration_hash Kong reports and the counts it holds; no local hash while Kong is down', async () => {
      const c = await start([multi(['/a', '/c'])], { options: { gatewayPollMs: 0 } });
      await c.eventually(() => { expect(status(c).configHash).to.equal(kong.configurationHash()); });
      expect(status(c)).to.include({ routes: 1, services: 1, desiredRoutes: 1, desiredServices: 1 });

      await kong.down();
      c.cluster.apply(ingress('shop', 'other'));
      await c.eventually(() => { expect(status(c).conditions?.find((x) => x.type === 'Synced')?.status).to.equal('False'); }, 20_000);
      expect(status(c).configHash, 'no hash while no gateway answers').to.equal(undefined);
      expect(status(c)).to.include({ routes: 1, desiredRoutes: 2 });
      await kong.up();
      await c.eventually(() => { expect(status(c).configHash).to.equal(kong.configurationHash()); }, 20_000);
      expect(status(c)).to.include({ routes: 2, desiredRoutes: 2 });
    });

    it('takes the load-balancer address from an Ingress none of whose paths is served, and gives it back', async () => {
      const c = await start([ingress('shop', 'lone', { path: '/only' })]);
      const address = (): unknown[] | undefined => c.cluster.get<V1Ingress>('Ingress', 'shop', 'lone')?.status?.loadBalancer?.ingress;
      await c.eventually(() => { expect(address()).to.have.length(1); });
      c.cluster.apply(ingress('shop', 'lone', { path: '/only', backend: { name: 'missing', port: 80 } }));
      c.cluster.apply(meshdoor({ serveLastValid: false }));
      await c.eventually(() => { expect(address() ?? []).to.have.length(0); });
      c.cluster.apply(ingress('shop', 'lone', { path: '/only' }));
      await c.eventually(() => { expect(address()).to.have.length(1); });
    });

    it('reports a backend Service with no ready endpoints (Warning Event, NoReadyEndpoints entry naming it), until one is ready', async () => {
      const c = await start([service('shop', 'cold'), serviceEndpoints('shop', 'cold', false), ingress('shop', 'cold', { backend: { name: 'cold', port: 80 } })]);
      await c.eventually(() => {
        const entry = status(c).failingObjects?.find((f) => f.reason === 'NoReadyEndpoints');
        expect(entry).to.include({ kind: 'Service', namespace: 'shop', name: 'cold' });
        expect(entry?.message).to.contain('Service shop/cold has 1 endpoint(s), none ready');
      });
      expect(served(kong, '/', 'cold.example.com'), 'still configured: Kong has the route').to.equal(true);
      expect(c.cluster.events.filter((e) => e.involvedObject.name === 'cold' && e.involvedObject.kind === 'Service').map((e) => `${e.type} ${e.reason}`)).to.deep.equal(['Warning NoReadyEndpoints']);
      c.cluster.apply(serviceEndpoints('shop', 'cold', true));
      await c.eventually(() => { expect(status(c).failingObjects).to.deep.equal([]); });
    });

    it('is READY with Kong given by URL and no gateway Deployment to manage', async () => {
      const objects = [meshdoor({ kongAdmin: { urls: [kong.url] } }), ...gatewayObjects(kong.port).filter((o) => !['Deployment', 'Pod', 'EndpointSlice', 'MeshDoor'].includes(o.kind ?? ''))];
      h = await startHarness({ objects: [...objects, service('shop', 'web'), ingress('shop', 'web')] });
      const c = h;
      await c.eventually(() => {
        const ready = status(c).conditions?.find((x) => x.type === 'Ready');
        expect(ready?.status).to.equal('True');
        expect(ready?.message).to.contain('no gateway Deployment is managed');
      });
      expect(status(c).conditions?.find((x) => x.type === 'GatewayInMesh')?.status).to.not.equal('True');
    });
  });

  describe('gateway /status poll', () => {
    it('refills a gateway that restarted empty within a few poll periods (and not without the poll)', async () => {
      const c = await start([multi(['/a'])], { options: { gatewayPollMs: 1000, dblessCheckMs: 60_000 } });
      await c.eventually(() => { expect(served(kong, '/a')).to.equal(true); });
      await c.advance(1000);
      kong.restartEmpty();
      await c.eventually(() => { expect(served(kong, '/a')).to.equal(true); }, 5000);
    });

    it('without the poll, an emptied gateway waits for the check period', async () => {
      const c = await start([multi(['/a'])], { options: { gatewayPollMs: 0, dblessCheckMs: 60_000 } });
      await c.eventually(() => { expect(served(kong, '/a')).to.equal(true); });
      await c.advance(1000);
      kong.restartEmpty();
      await c.advance(5000);
      expect(served(kong, '/a')).to.equal(false);
    });

    it('finds a gateway back from an outage within a few seconds, however long it was down', async () => {
      const c = await start([multi(['/a'])]);
      await c.eventually(() => { expect(served(kong, '/a')).to.equal(true); });
      await kong.down();
      c.cluster.apply(multi(['/a', '/b']));
      await c.advance(60_000, 500);
      await kong.up();
      kong.restartEmpty();
      await c.eventually(() => { expect(served(kong, '/b')).to.equal(true); }, 5000);
    });
  });
});
