// Feature: the MeshDoor status and the health endpoints tell operators what
// the bridge is doing; readiness follows the last sync and is never latched.
import { expect } from 'chai';
import { desiredMeshDoorStatus } from '../../src/controller/meshdoor-status.ts';
import { Readiness } from '../../src/controller/readiness.ts';
import { startHealthServer } from '../../src/observe/health-server.ts';
import { Metrics } from '../../src/observe/metrics.ts';
import { gatewayObjects, ingress, service, serviceEndpoints } from './fixtures.ts';
import { startHarness, type Harness } from './harness.ts';
import { recordingKong } from './recording-kong.ts';
import type { MeshDoorStatus } from '../../src/controller/meshdoor-status.ts';

const pods = { total: 2, withSidecar: 2, withoutSidecar: [] };
const ok = { status: 'True' as const, reason: 'Ok', message: 'fine' };

describe('MeshDoor status (pure)', () => {
  it('bounds the failing-objects list but counts them all', () => {
    const failures = Array.from({ length: 80 }, (_, i) => ({ object: { kind: 'Ingress' as const, namespace: 'a', name: `i${i}` }, reason: 'PathConflict' as const, message: 'm' }));
    const status = desiredMeshDoorStatus({ previous: undefined, now: 0, synced: ok, gatewayInMesh: ok, gateways: 1, pods, failures });
    expect(status.failingObjects).to.have.length(50);
    expect(status.failingObjectCount).to.equal(80);
  });

  it('keeps a condition\'s transition time while it does not change', () => {
    const first = desiredMeshDoorStatus({ previous: undefined, now: 1000, synced: ok, gatewayInMesh: ok, gateways: 1, pods, failures: [] });
    const same = desiredMeshDoorStatus({ previous: first, now: 9000, synced: ok, gatewayInMesh: ok, gateways: 1, pods, failures: [] });
    expect(same.conditions.map((c) => c.lastTransitionTime)).to.deep.equal(first.conditions.map((c) => c.lastTransitionTime));
    const failed = desiredMeshDoorStatus({ previous: first, now: 9000, synced: { status: 'False', reason: 'SyncFailed', message: 'x' }, gatewayInMesh: ok, gateways: 1, pods, failures: [] });
    const synced = failed.conditions.find((c) => c.type === 'Synced');
    expect(synced?.lastTransitionTime).to.equal(new Date(9000).toISOString());
    expect(failed.conditions.find((c) => c.type === 'Ready')).to.include({ status: 'False', reason: 'NotSynced' });
  });
});

describe('controller: MeshDoor status', () => {
  let h: Harness;
  afterEach(async () => { await h.stop(); });

  function status(): Partial<MeshDoorStatus> {
    return h.cluster.get<{ kind: string; status?: Partial<MeshDoorStatus> }>('MeshDoor', undefined, 'default')?.status ?? {};
  }

  it('reports conditions, counts, hash, last sync and failing objects', async () => {
    h = await startHarness({
      kong: recordingKong(), kongAdminUrls: ['http://127.0.0.1:1'],
      objects: [...gatewayObjects(1), service('shop', 'web'), serviceEndpoints('shop', 'web'), ingress('shop', 'web'), ingress('shop', 'api', { path: '/api' }), ingress('shop', 'lost', { backend: { name: 'nope', port: 80 } })],
    });
    await h.eventually(() => { expect(status().conditions?.find((c) => c.type === 'Ready')?.status).to.equal('True'); });
    const s = status();
    expect(s.conditions?.find((c) => c.type === 'Synced')).to.include({ status: 'True', reason: 'SyncedWithFailures' });
    expect(s.conditions?.find((c) => c.type === 'GatewayInMesh')).to.include({ status: 'True', reason: 'SidecarsReady' });
    expect(s.routes).to.equal(2);
    expect(s.services).to.equal(1);
    expect(s.gateways).to.equal(1);
    expect(s.configHash).to.match(/^[0-9a-f]{64}$/);
    expect(s.lastSyncTime).to.be.a('string');
    expect(s.failingObjects?.map((f) => `${f.kind}/${f.name}`)).to.deep.equal(['Ingress/lost']);
    expect(s.sidecars).to.equal('2/2');
    // Let in-flight passes settle (a loaded machine may still be finishing one), then expect silence.
    await h.advance(3000);
    const writes = h.cluster.writes.filter((w) => w.op === 'meshdoorStatus').length;
    await h.advance(3000);
    expect(h.cluster.writes.filter((w) => w.op === 'meshdoorStatus').length, 'no rewrite when nothing changed').to.equal(writes);
  });

  it('says when there is no gateway to configure', async () => {
    h = await startHarness({ kong: recordingKong(), objects: [...gatewayObjects(1).filter((o) => o.kind !== 'EndpointSlice'), service('shop', 'web'), ingress('shop', 'web')] });
    await h.eventually(() => { expect(status().conditions?.find((c) => c.type === 'Synced')).to.include({ status: 'False', reason: 'NoGateways' }); });
    expect(h.controller.readiness.isReady(), 'ready: nothing to push to yet').to.equal(true);
  });
});

describe('readiness', () => {
  it('is not ready before caches sync, nor after a failed sync, and recovers (never latched)', () => {
    const r = new Readiness();
    expect(r.notReadyReason()).to.match(/caches not synced/);
    r.update({ cachesSynced: true, pushing: true, gateways: 1 });
    expect(r.notReadyReason()).to.equal('first sync pending');
    r.update({ lastSyncOk: true });
    expect(r.isReady()).to.equal(true);
    r.update({ lastSyncOk: false, lastError: 'gateway down' });
    expect(r.notReadyReason()).to.equal('last sync failed: gateway down');
    r.update({ lastSyncOk: true });
    expect(r.isReady()).to.equal(true);
  });

  it('follows the controller through a failing and recovering sync', async () => {
    const kong = recordingKong();
    const h = await startHarness({ kong, kongAdminUrls: ['http://127.0.0.1:1'], objects: [...gatewayObjects(1), service('shop', 'web'), ingress('shop', 'web')] });
    try {
      await h.eventually(() => { expect(h.controller.readiness.isReady()).to.equal(true); });
      kong.failNext(2);
      h.cluster.apply(ingress('shop', 'web', { host: 'x.example.com' }));
      await h.eventually(() => { expect(h.controller.readiness.notReadyReason()).to.match(/last sync failed/); });
      await h.eventually(() => { expect(h.controller.readiness.isReady()).to.equal(true); }, 20_000);
    } finally {
      await h.stop();
    }
  });
});

describe('health server', () => {
  it('serves /healthz, /readyz and /metrics', async () => {
    const readiness = new Readiness();
    const metrics = new Metrics();
    metrics.syncCount.inc({ result: 'ok' });
    const server = await startHealthServer({ port: 0, host: '127.0.0.1', readiness, registry: metrics.registry });
    try {
      const get = async (path: string) => {
        const res = await fetch(`http://127.0.0.1:${server.port}${path}`);
        return { status: res.status, body: await res.text() };
      };
      expect(await get('/healthz')).to.deep.equal({ status: 200, body: 'ok\n' });
      expect((await get('/readyz')).status).to.equal(503);
      readiness.update({ cachesSynced: true });
      expect((await get('/readyz')).status).to.equal(200);
      const m = await get('/metrics');
      expect(m.body).to.contain('meshdoor_sync_total{result="ok"} 1');
      expect(m.body).to.contain('meshdoor_config_pushes_total');
      expect((await get('/nope')).status).to.equal(404);
    } finally {
      await server.close();
    }
  });
});
