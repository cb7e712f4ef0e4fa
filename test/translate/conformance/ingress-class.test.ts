// Port of features/ingress_class.feature: an Ingress of another class is
// never configured, so it never gets a status address (meshdoor writes
// status only for objects in `configured`) and its host gets no route.
import { expect } from 'chai';
import { FLAVORS, ingressFrom, scenario } from './harness.ts';

const INGRESS = `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: test-ingress-class
spec:
  ingressClassName: some-invalid-class-name
  rules:
    - host: "ingress-class"
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: { service: { name: ingress-class-prefix, port: { number: 8080 } } }
`;

describe('conformance: ingress class', () => {
  for (const flavor of FLAVORS) {
    it(`router flavor ${flavor}: an Ingress with an invalid class is not configured and not routed`, () => {
      const world = scenario(ingressFrom(INGRESS), { flavor });
      expect(world.result.configured).to.deep.equal([]);
      expect(world.result.failures).to.deep.equal([]);
      expect(world.send({ url: 'http://ingress-class/' }).status).to.equal(404);
    });
  }

  it('the same Ingress with our class is configured and routed', () => {
    const ingress = ingressFrom(INGRESS.replace('some-invalid-class-name', 'kong'));
    const world = scenario(ingress);
    expect(world.result.configured.map((r) => r.kind)).to.deep.equal(['Ingress', 'Service']);
    expect(world.send({ url: 'http://ingress-class/' }).service).to.equal('ingress-class-prefix');
  });
});
