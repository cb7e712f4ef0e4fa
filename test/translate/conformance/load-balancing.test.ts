// Port of features/load_balancing.feature: 100 requests to a default backend
// scaled to 10 replicas must reach all 10 pods.
import { expect } from 'chai';
import type { V1EndpointSlice } from '@kubernetes/client-node';
import { FLAVORS, ingressFrom, NAMESPACE, scenario } from './harness.ts';

const INGRESS = `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: load-balancing
spec:
  defaultBackend:
    service:
      name: echo-service
      port:
        number: 8080
`;

const PODS = Array.from({ length: 10 }, (_v, i) => `10.244.0.${i + 10}`);

const SLICE: V1EndpointSlice = {
  metadata: { name: 'echo-service-x1', namespace: NAMESPACE, labels: { 'kubernetes.io/service-name': 'echo-service' } },
  addressType: 'IPv4',
  ports: [{ port: 3000 }],
  endpoints: PODS.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
};

/** Kong's round-robin over equal weights visits every target in turn. */
function roundRobin<T>(targets: readonly T[], requests: number): T[] {
  return Array.from({ length: requests }, (_v, i) => targets[i % targets.length] as T);
}

describe('conformance: load balancing', () => {
  for (const flavor of FLAVORS) {
    it(`router flavor ${flavor}, endpoints mode: 100 requests reach 10 different pods`, () => {
      const world = scenario(ingressFrom(INGRESS), { flavor, settings: { upstreamMode: 'endpoints' }, endpointSlices: [SLICE] });
      const responses = Array.from({ length: 100 }, () => world.send({ url: 'http://load-balancing/' }));
      expect(responses.every((r) => r.status === 200 && r.service === 'echo-service')).to.equal(true);
      const backend = responses[0]?.backend;
      if (backend?.kind !== 'upstream') return expect.fail('expected an upstream backend');
      expect(world.config.upstreams[0]?.algorithm).to.equal('round-robin');
      const pods = new Set(roundRobin(backend.targets, 100).map((t) => t.host));
      expect([...pods].sort()).to.deep.equal([...PODS].sort());
    });
  }

  it('service mode: one Service address, load-balanced by the mesh sidecar (or kube-proxy)', () => {
    const world = scenario(ingressFrom(INGRESS));
    expect(world.send({ url: 'http://load-balancing/' }).backend).to.deep.equal({ kind: 'host', host: 'echo-service.conformance.svc.cluster.local', port: 8080 });
  });
});
