// Feature: Lease-based leader election compatible with client-go. Two
// replicas: one leads and writes; when it stops it releases the Lease and the
// other takes over at once; a crashed leader is replaced after the lease
// duration; 409 conflicts are handled.
import { expect } from 'chai';
import FakeTimers from '@sinonjs/fake-timers';
import { V1MicroTime, type V1Lease } from '@kubernetes/client-node';
import { decideLeaseAction, LeaderElector } from '../../src/kube/leader-election.ts';
import { FakeCluster } from '../kube/fake-cluster.ts';
import { silentLogger } from '../../src/observe/logger.ts';
import { gatewayObjects, ingress, service } from './fixtures.ts';
import { controllerClock, startHarness, type Harness, type TestClock } from './harness.ts';
import { recordingKong, type RecordingKong } from './recording-kong.ts';

function lease(spec: V1Lease['spec']): V1Lease {
  return { metadata: { name: 'meshdoor-default', namespace: 'kong', resourceVersion: '7' }, spec };
}

describe('decideLeaseAction (client-go tryAcquireOrRenew)', () => {
  const now = 1_000_000;

  it('creates a missing lease with 6-digit MicroTime stamps', () => {
    const d = decideLeaseAction({ lease: undefined, me: 'a', now, observedTime: now, leaseDurationSeconds: 15 });
    expect(d.action).to.equal('create');
    if (d.action !== 'create') return;
    expect(d.spec).to.include({ holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 });
    expect(d.spec.renewTime).to.be.instanceOf(V1MicroTime);
    expect(JSON.stringify(d.spec.renewTime)).to.match(/\.\d{6}Z"$/);
  });

  it('waits while another holder\'s lease is still valid, judged from when it was observed', () => {
    const held = lease({ holderIdentity: 'b', leaseDurationSeconds: 15, leaseTransitions: 3 });
    expect(decideLeaseAction({ lease: held, me: 'a', now, observedTime: now - 14_000, leaseDurationSeconds: 15 }))
      .to.deep.equal({ action: 'wait', holder: 'b', expiresInMs: 1000 });
  });

  it('takes over an expired or released lease, counting the transition', () => {
    const held = lease({ holderIdentity: 'b', leaseDurationSeconds: 15, leaseTransitions: 3 });
    const d = decideLeaseAction({ lease: held, me: 'a', now, observedTime: now - 15_000, leaseDurationSeconds: 15 });
    expect(d).to.include({ action: 'update', takeover: true });
    expect(d.action === 'update' && d.spec).to.include({ holderIdentity: 'a', leaseTransitions: 4 });
    const released = lease({ holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 4 });
    expect(decideLeaseAction({ lease: released, me: 'a', now, observedTime: now, leaseDurationSeconds: 15 }).action).to.equal('update');
  });

  it('renews its own lease keeping acquireTime and transitions', () => {
    const mine = lease({ holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 2, acquireTime: '2026-01-01T00:00:00.000000Z' as unknown as V1MicroTime });
    const d = decideLeaseAction({ lease: mine, me: 'a', now, observedTime: now, leaseDurationSeconds: 15 });
    expect(d).to.include({ action: 'update', takeover: false });
    expect(d.action === 'update' && d.spec).to.include({ leaseTransitions: 2, acquireTime: '2026-01-01T00:00:00.000000Z' });
  });
});

describe('LeaderElector', () => {
  function elector(cluster: FakeCluster, fake: TestClock, identity: string) {
    return new LeaderElector({
      api: cluster.leaseApi, namespace: 'kong', name: 'meshdoor-default', identity,
      clock: controllerClock(fake), log: silentLogger(), random: () => 0,
    });
  }

  it('lets exactly one of two candidates lead, and hands over at once on release', async () => {
    const cluster = new FakeCluster();
    const fake = FakeTimers.createClock(1_000_000);
    const a = elector(cluster, fake, 'a');
    const b = elector(cluster, fake, 'b');
    a.start();
    await fake.tickAsync(10);
    b.start();
    await fake.tickAsync(10_000);
    expect([a.isLeader(), b.isLeader()]).to.deep.equal([true, false]);
    expect(cluster.readLease('kong', 'meshdoor-default')?.spec?.holderIdentity).to.equal('a');
    await a.stop();
    expect(a.isLeader()).to.equal(false);
    const released = cluster.readLease('kong', 'meshdoor-default')?.spec;
    expect(released).to.include({ holderIdentity: '', leaseDurationSeconds: 1 });
    await fake.tickAsync(2500);
    expect(b.isLeader(), 'b takes over within one retry period').to.equal(true);
    expect(cluster.readLease('kong', 'meshdoor-default')?.spec).to.include({ holderIdentity: 'b', leaseTransitions: 1 });
    await b.stop();
  });

  it('a leader that cannot renew steps down after the renew deadline; leadership resumes once the API answers', async () => {
    const cluster = new FakeCluster();
    const fake = FakeTimers.createClock(1_000_000);
    const a = elector(cluster, fake, 'a');
    const b = elector(cluster, fake, 'b');
    a.start();
    await fake.tickAsync(10);
    b.start();
    await fake.tickAsync(5000);
    // a's API calls start failing (partition): it can no longer renew.
    cluster.failWrites('lease', 1_000_000);
    await fake.tickAsync(5_000);
    expect(a.isLeader(), 'still within the renew deadline').to.equal(true);
    await fake.tickAsync(5_000);
    expect(a.isLeader(), 'stepped down after the renew deadline (10 s)').to.equal(false);
    cluster.failWrites('lease', 0);
    await fake.tickAsync(20_000);
    expect([a.isLeader(), b.isLeader()].filter(Boolean)).to.have.length(1);
    await a.stop();
    await b.stop();
  });

  it('replaces a crashed leader only after the lease duration, measured on its own clock', async () => {
    const cluster = new FakeCluster();
    const fake = FakeTimers.createClock(1_000_000);
    let aDead = false;
    const deadable = {
      get: (ns: string, n: string) => (aDead ? Promise.reject(new Error('gone')) : cluster.leaseApi.get(ns, n)),
      create: (ns: string, l: V1Lease) => (aDead ? Promise.reject(new Error('gone')) : cluster.leaseApi.create(ns, l)),
      replace: (ns: string, n: string, l: V1Lease) => (aDead ? Promise.reject(new Error('gone')) : cluster.leaseApi.replace(ns, n, l)),
    };
    const a = new LeaderElector({ api: deadable, namespace: 'kong', name: 'meshdoor-default', identity: 'a', clock: controllerClock(fake), log: silentLogger(), random: () => 0 });
    const b = elector(cluster, fake, 'b');
    a.start();
    await fake.tickAsync(10);
    b.start();
    await fake.tickAsync(6_000);
    const lastRenew = cluster.readLease('kong', 'meshdoor-default')?.spec?.renewTime;
    aDead = true;
    await fake.tickAsync(12_000);
    expect(cluster.readLease('kong', 'meshdoor-default')?.spec?.renewTime, 'nobody wrote yet').to.equal(lastRenew);
    expect(b.isLeader()).to.equal(false);
    await fake.tickAsync(6_000);
    expect(b.isLeader(), 'b took over once 15 s passed without a change').to.equal(true);
    expect(cluster.readLease('kong', 'meshdoor-default')?.spec).to.include({ holderIdentity: 'b', leaseTransitions: 1 });
    aDead = false;
    await fake.tickAsync(4_000);
    expect(a.isLeader(), 'the old leader does not claim it back').to.equal(false);
    await b.stop();
    await a.stop();
  });

  it('loses a write race with a 409 and does not claim leadership', async () => {
    const cluster = new FakeCluster();
    const fake = FakeTimers.createClock(1_000_000);
    const a = elector(cluster, fake, 'a');
    const b = elector(cluster, fake, 'b');
    a.start();
    b.start();
    await fake.tickAsync(10);
    expect([a.isLeader(), b.isLeader()].filter(Boolean)).to.have.length(1);
    await fake.tickAsync(60_000);
    expect([a.isLeader(), b.isLeader()].filter(Boolean)).to.have.length(1);
    await a.stop();
    await b.stop();
  });
});

describe('controller: two replicas', () => {
  let first: Harness;
  let second: Harness;
  let kong1: RecordingKong;
  let kong2: RecordingKong;

  afterEach(async () => {
    await first.stop();
    await second.stop();
  });

  async function startPair(mode: 'dbless' | 'db') {
    const cluster = new FakeCluster();
    const clock = FakeTimers.createClock(1_700_000_000_000);
    kong1 = recordingKong(mode);
    kong2 = recordingKong(mode);
    const objects = [...gatewayObjects(1), service('shop', 'web'), ingress('shop', 'web')];
    first = await startHarness({ cluster, clock, objects, kong: kong1, kongAdminUrls: ['http://127.0.0.1:1'], leaderElection: true, identity: 'one' });
    await first.advance(100);
    second = await startHarness({ cluster, clock, kong: kong2, kongAdminUrls: ['http://127.0.0.1:1'], leaderElection: true, identity: 'two' });
    return cluster;
  }

  it('only the leader writes status and pushes in DB mode; the other takes over when it shuts down', async () => {
    const cluster = await startPair('db');
    await first.eventually(() => { expect(cluster.writes.filter((w) => w.op === 'ingressStatus')).to.have.length(1); });
    await first.advance(3000);
    expect(first.controller.isLeader()).to.equal(true);
    expect(second.controller.isLeader()).to.equal(false);
    expect(kong2.syncs, 'the follower never pushes in DB mode').to.have.length(0);
    expect(second.controller.readiness.isReady(), 'a warm follower is ready').to.equal(true);

    await first.stop();
    // Released on shutdown: empty, or already the standby's (the fake clock has not moved, so it
    // cannot have waited for the Lease to expire).
    expect(cluster.readLease('kong', 'meshdoor-default')?.spec?.holderIdentity, 'released on shutdown').to.be.oneOf(['', 'two']);
    await second.eventually(() => { expect(second.controller.isLeader()).to.equal(true); }, 5000);
    await second.eventually(() => { expect(kong2.syncs.length).to.be.greaterThan(0); });
    cluster.apply(ingress('shop', 'web', { host: 'moved.example.com' }));
    await second.eventually(() => {
      expect(kong2.syncs.at(-1)?.applied.config.services[0]?.routes[0]?.hosts).to.deep.equal(['moved.example.com']);
    });
  });

  it('in DB-less mode every replica pushes, but only the leader writes', async () => {
    const cluster = await startPair('dbless');
    await first.eventually(() => {
      expect(kong1.syncs.length).to.be.greaterThan(0);
      expect(kong2.syncs.length).to.be.greaterThan(0);
    });
    await first.advance(3000);
    expect(cluster.writes.filter((w) => w.op === 'ingressStatus')).to.have.length(1);
    expect(cluster.writes.filter((w) => w.op === 'meshdoorStatus').length).to.be.greaterThan(0);
    expect([first.controller.isLeader(), second.controller.isLeader()]).to.deep.equal([true, false]);
  });
});
