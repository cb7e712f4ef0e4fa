// Feature: supervised watches. A watch that errors is restarted with backoff
// and relists (objects deleted meanwhile disappear); a periodic relist guards
// against silent stalls; only referenced Secrets are watched; settings come
// from the MeshDoor and apply at run time.
import { expect } from 'chai';
import FakeTimers from '@sinonjs/fake-timers';
import type { V1Secret } from '@kubernetes/client-node';
import { FakeCluster } from '../kube/fake-cluster.ts';
import { SupervisedWatch } from '../../src/kube/supervised-watch.ts';
import { silentLogger } from '../../src/observe/logger.ts';
import { gatewayObjects, ingress, meshdoor, service, tlsSecret } from './fixtures.ts';
import { controllerClock, startHarness, type Harness } from './harness.ts';
import { recordingKong, type RecordingKong } from './recording-kong.ts';

describe('SupervisedWatch', () => {
  const timings = { backoffBaseMs: 1000, backoffMaxMs: 8000, relistMs: 60_000 };

  function setup() {
    const cluster = new FakeCluster();
    const fake = FakeTimers.createClock(0);
    let changes = 0;
    let restarts = 0;
    const watch = new SupervisedWatch({
      spec: { role: 'services', kind: 'Service', gate: 'hard' }, factory: cluster.watchFactory,
      clock: controllerClock(fake), log: silentLogger(), timings,
      onChange: () => { changes += 1; }, onRestart: () => { restarts += 1; },
    });
    return { cluster, fake, watch, counts: () => ({ changes, restarts }) };
  }

  const names = (w: SupervisedWatch) => w.store.list().map((o) => o.metadata?.name);

  it('restarts after an error, relists, and drops objects deleted while it was down', async () => {
    const { cluster, fake, watch, counts } = setup();
    cluster.apply(service('shop', 'a'));
    cluster.apply(service('shop', 'b'));
    watch.start();
    await fake.tickAsync(0);
    expect(watch.hasSynced()).to.equal(true);
    expect(names(watch)).to.deep.equal(['a', 'b']);

    cluster.breakWatches('Service');
    cluster.remove('Service', 'shop', 'a');
    cluster.apply(service('shop', 'c'));
    expect(names(watch), 'stale until the restart').to.deep.equal(['a', 'b']);
    await fake.tickAsync(1000);
    expect(names(watch)).to.deep.equal(['b', 'c']);
    expect(counts().restarts).to.equal(1);
    expect(cluster.liveWatches('Service')).to.have.length(1);
    await watch.stop();
  });

  it('backs off exponentially while listing keeps failing, and keeps the cache meanwhile', async () => {
    const { cluster, fake, watch } = setup();
    cluster.apply(service('shop', 'a'));
    watch.start();
    await fake.tickAsync(0);
    cluster.failStarts('Service', 3);
    cluster.breakWatches('Service');
    const lists = () => cluster.lists.get('Service') ?? 0;
    const before = lists();
    await fake.tickAsync(1000);
    expect(lists() - before).to.equal(1);
    await fake.tickAsync(2000);
    expect(lists() - before).to.equal(2);
    await fake.tickAsync(4000);
    expect(lists() - before).to.equal(3);
    expect(names(watch)).to.deep.equal(['a']);
    await fake.tickAsync(8000);
    expect(lists() - before).to.equal(4);
    expect(cluster.liveWatches('Service')).to.have.length(1);
    await watch.stop();
  });

  it('relists periodically, so a stalled watch cannot hide changes for long', async () => {
    const { cluster, fake, watch } = setup();
    watch.start();
    await fake.tickAsync(0);
    cluster.stallWatches('Service');
    cluster.apply(service('shop', 'late'));
    await fake.tickAsync(59_000);
    expect(names(watch)).to.deep.equal([]);
    await fake.tickAsync(1_000);
    expect(names(watch)).to.deep.equal(['late']);
    await watch.stop();
  });

  it('does not report a change when a relist finds the same objects', async () => {
    const { cluster, fake, watch, counts } = setup();
    cluster.apply(service('shop', 'a'));
    watch.start();
    await fake.tickAsync(0);
    const after = counts().changes;
    await fake.tickAsync(180_000);
    expect(cluster.lists.get('Service')).to.equal(4);
    expect(counts().changes).to.equal(after);
    await watch.stop();
  });
});

describe('controller: watches', () => {
  let h: Harness;
  let kong: RecordingKong;
  afterEach(async () => { await h.stop(); });

  const lastHosts = () => kong.syncs.at(-1)?.applied.config.services.flatMap((s) => s.routes.flatMap((r) => r.hosts ?? [])).sort();

  it('keeps flowing to Kong after the Ingress watch broke', async () => {
    kong = recordingKong();
    h = await startHarness({ kong, kongAdminUrls: ['http://127.0.0.1:1'], objects: [...gatewayObjects(1), service('shop', 'web'), ingress('shop', 'web')] });
    await h.eventually(() => { expect(lastHosts()).to.deep.equal(['web.example.com']); });
    h.cluster.breakWatches('Ingress');
    h.cluster.apply(ingress('shop', 'web2'));
    await h.eventually(() => { expect(lastHosts()).to.deep.equal(['web.example.com', 'web2.example.com']); });
    expect(await h.metrics.watchRestarts.get().then((m) => m.values.find((v) => v.labels.role === 'ingresses')?.value)).to.equal(1);
  });

  it('watches TLS Secrets once per namespace with referenced ones, caching only those referenced', async () => {
    kong = recordingKong();
    h = await startHarness({
      kong, kongAdminUrls: ['http://127.0.0.1:1'],
      objects: [
        ...gatewayObjects(1), service('shop', 'web'),
        ingress('shop', 'web', { tlsSecret: 'web-tls' }),
        ingress('shop', 'other', { className: 'nginx', tlsSecret: 'other-tls' }),
        ingress('blog', 'a', { host: 'a.example.com', tlsSecret: 'a-tls' }), ingress('blog', 'b', { host: 'b.example.com', tlsSecret: 'b-tls' }),
        tlsSecret('shop', 'web-tls'), tlsSecret('shop', 'other-tls'), tlsSecret('shop', 'unrelated'), tlsSecret('blog', 'a-tls'), tlsSecret('blog', 'b-tls'),
      ],
    });
    const secretWatches = () => h.cluster.liveWatches('Secret').map((s) => `${s.namespace ?? '*'}:${s.fieldSelector ?? ''}`).sort();
    const cached = () => h.controller.cachedObjects('secrets').map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`);
    await h.eventually(() => { expect(secretWatches()).to.deep.equal(['blog:type=kubernetes.io/tls', 'shop:type=kubernetes.io/tls']); });
    await h.eventually(() => { expect(cached()).to.deep.equal(['blog/a-tls', 'blog/b-tls', 'shop/web-tls']); });
    await h.eventually(() => { expect(kong.syncs.length).to.be.greaterThan(0); });
    h.cluster.apply(tlsSecret('shop', 'another'));
    await h.advance(100);
    expect(cached(), 'an unreferenced Secret arriving is dropped').to.deep.equal(['blog/a-tls', 'blog/b-tls', 'shop/web-tls']);

    h.cluster.apply(ingress('shop', 'web', { tlsSecret: 'web-tls-2' }));
    h.cluster.apply(tlsSecret('shop', 'web-tls-2'));
    await h.eventually(() => { expect(cached()).to.deep.equal(['blog/a-tls', 'blog/b-tls', 'shop/web-tls-2']); });
    expect(secretWatches()).to.deep.equal(['blog:type=kubernetes.io/tls', 'shop:type=kubernetes.io/tls']);
    h.cluster.remove('Ingress', 'blog', 'a');
    h.cluster.remove('Ingress', 'blog', 'b');
    await h.eventually(() => { expect(secretWatches()).to.deep.equal(['shop:type=kubernetes.io/tls']); });
    h.cluster.remove('Ingress', 'shop', 'web');
    await h.eventually(() => { expect(secretWatches()).to.deep.equal([]); });
  });

  it('limits namespaced watches to --watch-namespace', async () => {
    kong = recordingKong();
    h = await startHarness({
      kong, kongAdminUrls: ['http://127.0.0.1:1'], options: { watchNamespaces: ['shop'] },
      objects: [...gatewayObjects(1), service('shop', 'web'), ingress('shop', 'web'), service('blog', 'web'), ingress('blog', 'blog', { host: 'blog.example.com' })],
    });
    await h.eventually(() => { expect(lastHosts()).to.deep.equal(['web.example.com']); });
    const ingressWatches = h.cluster.liveWatches('Ingress').map((s) => s.namespace);
    expect(ingressWatches).to.deep.equal(['shop']);
  });

  it('applies MeshDoor edits at run time (ingress class)', async () => {
    kong = recordingKong();
    h = await startHarness({
      kong, kongAdminUrls: ['http://127.0.0.1:1'],
      objects: [...gatewayObjects(1), service('shop', 'web'), ingress('shop', 'web'), ingress('shop', 'internal', { className: 'internal' })],
    });
    await h.eventually(() => { expect(lastHosts()).to.deep.equal(['web.example.com']); });
    h.cluster.apply(meshdoor({ ingressClass: 'internal' }));
    await h.eventually(() => { expect(lastHosts()).to.deep.equal(['internal.example.com']); });
  });

  it('keeps the last good settings when the MeshDoor spec is invalid, and says why', async () => {
    kong = recordingKong();
    h = await startHarness({ kong, kongAdminUrls: ['http://127.0.0.1:1'], objects: [...gatewayObjects(1), service('shop', 'web'), ingress('shop', 'web')] });
    await h.eventually(() => { expect(lastHosts()).to.deep.equal(['web.example.com']); });
    h.cluster.apply(meshdoor({ upstreamMode: 'carrier-pigeon' }));
    await h.eventually(() => {
      const status = h.cluster.get<{ status?: { conditions?: { type: string; reason: string }[] } } & V1Secret>('MeshDoor', undefined, 'default')?.status;
      expect(status?.conditions?.find((c) => c.type === 'Ready')?.reason).to.equal('InvalidSpec');
    });
    expect(h.cluster.events.some((e) => e.reason === 'InvalidSpec' && (e.message ?? '').includes('upstreamMode'))).to.equal(true);
    expect(lastHosts()).to.deep.equal(['web.example.com']);
  });

  it('pushes nothing while the MeshDoor is absent and is not ready, saying which one and the fix; serves once it exists', async () => {
    kong = recordingKong();
    h = await startHarness({ kong, kongAdminUrls: ['http://127.0.0.1:1'], objects: [...gatewayObjects(1).filter((o) => o.kind !== 'MeshDoor'), service('shop', 'web'), ingress('shop', 'web')] });
    await h.eventually(() => { expect(h.controller.readiness.notReadyReason()).to.include('MeshDoor "default" does not exist'); });
    await h.advance(2000);
    expect(kong.syncs, 'no default settings pushed').to.deep.equal([]);
    h.cluster.apply(meshdoor());
    await h.eventually(() => { expect(lastHosts()).to.deep.equal(['web.example.com']); });
    await h.eventually(() => { expect(h.controller.readiness.notReadyReason() ?? '').to.not.include('does not exist'); });
  });
});
