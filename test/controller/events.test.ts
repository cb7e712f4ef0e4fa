// Feature: a Warning Event on each object that failed translation or was
// rejected by Kong, not repeated on every sync, and a Normal Event when the
// object is configured again.
import { expect } from 'chai';
import FakeTimers from '@sinonjs/fake-timers';
import { EventRecorder } from '../../src/kube/events.ts';
import { FakeCluster } from '../kube/fake-cluster.ts';
import { silentLogger } from '../../src/observe/logger.ts';
import { startKongDouble, type KongDouble } from '../kong-double/index.ts';
import { gatewayObjects, ingress, service, serviceEndpoints } from './fixtures.ts';
import { controllerClock, startHarness, type Harness } from './harness.ts';
import { recordingKong } from './recording-kong.ts';

function eventsFor(cluster: FakeCluster, name: string) {
  return cluster.events.filter((e) => e.involvedObject.name === name).map((e) => ({ type: e.type, reason: e.reason, message: e.message ?? '' }));
}

describe('Events', () => {
  describe('EventRecorder', () => {
    it('sends an event once per dedup window and again after the target recovered', async () => {
      const cluster = new FakeCluster();
      const fake = FakeTimers.createClock(0);
      const recorder = new EventRecorder({ writer: cluster.writer, clock: controllerClock(fake), log: silentLogger(), instance: 'r1', dedupWindowMs: 60_000 });
      const target = { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'web', uid: 'u1' };
      expect(recorder.record(target, 'Warning', 'Bad', 'port 70000 is out of range')).to.equal(true);
      expect(recorder.record(target, 'Warning', 'Bad', 'port 70000 is out of range')).to.equal(false);
      expect(recorder.record(target, 'Warning', 'Bad', 'another message')).to.equal(true);
      recorder.reset(target);
      expect(recorder.record(target, 'Warning', 'Bad', 'port 70000 is out of range')).to.equal(true);
      fake.tick(61_000);
      expect(recorder.record(target, 'Warning', 'Bad', 'another message')).to.equal(true);
      await recorder.idle();
      expect(cluster.events).to.have.length(4);
      const [first] = cluster.events;
      expect(first?.metadata.namespace).to.equal('shop');
      expect(first?.involvedObject).to.deep.equal({ apiVersion: 'v1', kind: 'Service', name: 'web', namespace: 'shop', uid: 'u1' });
      expect(first?.reportingInstance).to.equal('r1');
    });

    it('retries an event whose write failed on the next occurrence', async () => {
      const cluster = new FakeCluster();
      const recorder = new EventRecorder({ writer: cluster.writer, clock: controllerClock(FakeTimers.createClock(0)), log: silentLogger(), instance: 'r1' });
      const target = { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'web' };
      cluster.failWrites('event', 1);
      recorder.record(target, 'Warning', 'Bad', 'x');
      await recorder.idle();
      expect(cluster.events).to.have.length(0);
      expect(recorder.record(target, 'Warning', 'Bad', 'x')).to.equal(true);
      await recorder.idle();
      expect(cluster.events).to.have.length(1);
    });

    it('puts events about cluster-scoped objects in the default namespace', async () => {
      const cluster = new FakeCluster();
      const recorder = new EventRecorder({ writer: cluster.writer, clock: controllerClock(FakeTimers.createClock(0)), log: silentLogger(), instance: 'r1' });
      recorder.record({ apiVersion: 'meshdoor.dev/v1alpha1', kind: 'MeshDoor', name: 'default' }, 'Warning', 'InvalidSpec', 'x');
      await recorder.idle();
      expect(cluster.events[0]?.metadata.namespace).to.equal('default');
      expect(cluster.events[0]?.involvedObject.namespace).to.equal(undefined);
    });
  });

  describe('controller', () => {
    let h: Harness;
    let kong: KongDouble | undefined;
    afterEach(async () => {
      await h.stop();
      await kong?.close();
      kong = undefined;
    });

    it('warns once about an Ingress whose backend is missing, and reports it configured once fixed', async () => {
      h = await startHarness({
        kong: recordingKong(), kongAdminUrls: ['http://127.0.0.1:1'],
        objects: [...gatewayObjects(1), service('shop', 'web'), serviceEndpoints('shop', 'web'), serviceEndpoints('shop', 'orders'), ingress('shop', 'web'), ingress('shop', 'orders', { backend: { name: 'orders', port: 8080 } })],
      });
      await h.eventually(() => { expect(eventsFor(h.cluster, 'orders')).to.have.length(1); });
      const [warning] = eventsFor(h.cluster, 'orders');
      expect(warning?.type).to.equal('Warning');
      expect(warning?.message).to.contain('orders');
      // More syncs (other changes) do not repeat it.
      h.cluster.apply(ingress('shop', 'web', { host: 'www.example.com' }));
      h.cluster.apply(ingress('shop', 'web', { host: 'www2.example.com' }));
      await h.advance(3000);
      expect(eventsFor(h.cluster, 'orders')).to.have.length(1);
      expect(eventsFor(h.cluster, 'web')).to.deep.equal([]);
      // The Service appears: the Ingress is configured again.
      h.cluster.apply(service('shop', 'orders', 8080));
      await h.eventually(() => {
        expect(eventsFor(h.cluster, 'orders').map((e) => `${e.type} ${e.reason}`)).to.deep.equal([`Warning ${warning?.reason ?? ''}`, 'Normal Configured']);
      });
    });

    it('warns about an object Kong rejected, naming it, while the rest is applied', async () => {
      kong = await startKongDouble({ mode: 'dbless' });
      kong.rejectEntity('shop.bad.80');
      h = await startHarness({
        objects: [...gatewayObjects(kong.port), service('shop', 'web'), serviceEndpoints('shop', 'web'), service('shop', 'bad'), ingress('shop', 'web'), ingress('shop', 'bad', { backend: { name: 'bad', port: 80 } })],
      });
      const double = kong;
      await h.eventually(() => {
        expect(double.state.routes.flatMap((r) => r.hosts as string[])).to.deep.equal(['web.example.com']);
      });
      const warned = (): string[] => h.cluster.events.filter((e) => e.type === 'Warning').map((e) => `${e.involvedObject.kind}/${e.involvedObject.name}`);
      // The gateway check (its own loop) may warn about the gateway first.
      await h.eventually(() => { expect(warned().some((w) => w.endsWith('/bad'))).to.equal(true); });
      expect(warned().some((w) => w.endsWith('/web'))).to.equal(false);
    });
  });
});
