// Feature: the leader writes status.loadBalancer of configured Ingresses of
// its class, once, only when it changed; other classes are never touched.
import { expect } from 'chai';
import type { V1Ingress } from '@kubernetes/client-node';
import { desiredLoadBalancerIngress, sameLoadBalancerIngress } from '../../src/kube/ingress-status.ts';
import { gatewayObjects, ingress, publishService, service } from './fixtures.ts';
import { startHarness, type Harness } from './harness.ts';
import { recordingKong } from './recording-kong.ts';

function statusWrites(h: Harness, name?: string) {
  return h.cluster.writes.filter((w) => w.op === 'ingressStatus' && (!name || w.name === name));
}

describe('Ingress status', () => {
  describe('desiredLoadBalancerIngress', () => {
    it('prefers static addresses, as IPs or hostnames', () => {
      expect(desiredLoadBalancerIngress(['lb.example.com', '192.0.2.1'], publishService())).to.deep.equal([{ ip: '192.0.2.1' }, { hostname: 'lb.example.com' }]);
    });

    it('uses the LoadBalancer ingress of the publish Service; nothing while it has none (never its ClusterIP)', () => {
      expect(desiredLoadBalancerIngress([], publishService('203.0.113.7'))).to.deep.equal([{ ip: '203.0.113.7' }]);
      const pending = { ...publishService(), status: { loadBalancer: {} } };
      expect(desiredLoadBalancerIngress([], pending)).to.deep.equal([]);
      const named = { ...publishService(), status: { loadBalancer: { ingress: [{ hostname: 'abc.elb.example.com' }] } } };
      expect(desiredLoadBalancerIngress([], named)).to.deep.equal([{ hostname: 'abc.elb.example.com' }]);
    });

    it('publishes the cluster IPs of a ClusterIP publish Service', () => {
      const clusterIp = { ...publishService(), spec: { ...publishService().spec, type: 'ClusterIP' } };
      expect(desiredLoadBalancerIngress([], clusterIp)).to.deep.equal([{ ip: '10.96.0.2' }]);
    });

    it('has nothing to publish without a Service or addresses, or for a headless Service', () => {
      expect(desiredLoadBalancerIngress([], undefined)).to.deep.equal([]);
      const headless = { ...service('kong', 'kong-proxy'), spec: { clusterIP: 'None', clusterIPs: ['None'] } };
      expect(desiredLoadBalancerIngress([], headless)).to.deep.equal([]);
    });

    it('compares address sets regardless of order', () => {
      expect(sameLoadBalancerIngress([{ ip: '1.1.1.1' }, { hostname: 'a' }], [{ hostname: 'a' }, { ip: '1.1.1.1' }])).to.equal(true);
      expect(sameLoadBalancerIngress([{ ip: '1.1.1.1' }], [{ ip: '1.1.1.2' }])).to.equal(false);
      expect(sameLoadBalancerIngress(undefined, [{ ip: '1.1.1.1' }])).to.equal(false);
    });
  });

  describe('controller', () => {
    let h: Harness;
    afterEach(async () => { await h.stop(); });

    const objects = () => [
      ...gatewayObjects(1), service('shop', 'web'),
      ingress('shop', 'web'),
      ingress('shop', 'other-class', { className: 'nginx' }),
      ingress('shop', 'broken', { backend: { name: 'missing', port: 80 } }),
    ];

    it('writes the publish address once, only for configured Ingresses of its class', async () => {
      h = await startHarness({ kong: recordingKong(), kongAdminUrls: ['http://127.0.0.1:1'], objects: objects() });
      await h.eventually(() => { expect(statusWrites(h)).to.have.length(1); });
      await h.advance(3000);
      expect(statusWrites(h).map((w) => w.name)).to.deep.equal(['web']);
      expect(h.cluster.get<V1Ingress>('Ingress', 'shop', 'web')?.status?.loadBalancer?.ingress).to.deep.equal([{ ip: '203.0.113.10' }]);
      expect(h.cluster.get<V1Ingress>('Ingress', 'shop', 'other-class')?.status).to.equal(undefined);
      expect(h.cluster.get<V1Ingress>('Ingress', 'shop', 'broken')?.status).to.equal(undefined);
    });

    it('follows the publish Service address, and repairs a status someone else overwrote', async () => {
      h = await startHarness({ kong: recordingKong(), kongAdminUrls: ['http://127.0.0.1:1'], objects: objects() });
      await h.eventually(() => { expect(statusWrites(h)).to.have.length(1); });
      h.cluster.apply(publishService('203.0.113.99'));
      await h.eventually(() => {
        expect(h.cluster.get<V1Ingress>('Ingress', 'shop', 'web')?.status?.loadBalancer?.ingress).to.deep.equal([{ ip: '203.0.113.99' }]);
      });
      const current = h.cluster.get<V1Ingress>('Ingress', 'shop', 'web');
      h.cluster.apply({ ...current, status: { loadBalancer: { ingress: [{ ip: '192.0.2.66' }] } } });
      await h.eventually(() => {
        expect(h.cluster.get<V1Ingress>('Ingress', 'shop', 'web')?.status?.loadBalancer?.ingress).to.deep.equal([{ ip: '203.0.113.99' }]);
      });
      expect(statusWrites(h)).to.have.length(3);
    });

    it('uses --publish-status-address over the Service', async () => {
      h = await startHarness({
        kong: recordingKong(), kongAdminUrls: ['http://127.0.0.1:1'], objects: objects(),
        options: { publishStatusAddresses: ['ingress.example.com'] },
      });
      await h.eventually(() => {
        expect(h.cluster.get<V1Ingress>('Ingress', 'shop', 'web')?.status?.loadBalancer?.ingress).to.deep.equal([{ hostname: 'ingress.example.com' }]);
      });
    });

    it('does not write status while the Kong sync fails', async () => {
      const kong = recordingKong();
      kong.failNext(1000);
      h = await startHarness({ kong, kongAdminUrls: ['http://127.0.0.1:1'], objects: objects() });
      await h.eventually(() => { expect(kong.syncs.length).to.be.greaterThan(1); });
      expect(statusWrites(h)).to.have.length(0);
    });
  });
});
