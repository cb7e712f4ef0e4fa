// Port of features/default_backend.feature.
import { expect } from 'chai';
import { FLAVORS, ingressFrom, scenario } from './harness.ts';

const INGRESS = `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: default-backend
spec:
  defaultBackend:
    service:
      name: echo-service
      port:
        number: 8080
`;

const EXAMPLES: Array<[method: string, host: string, path: string]> = [
  ['GET', 'my-host', ''],
  ['GET', 'my-host', 'sub-path'],
  ['POST', 'some-host', ''],
  ['PUT', '', 'resource'],
  ['DELETE', 'some-host', 'resource'],
  ['PATCH', 'my-host', 'resource'],
];

describe('conformance: default backend', () => {
  for (const flavor of FLAVORS) {
    describe(`router flavor ${flavor}`, () => {
      const world = scenario(ingressFrom(INGRESS), { flavor });

      for (const [method, host, path] of EXAMPLES) {
        it(`${method} http://${host}/${path} → echo-service with the path unchanged`, () => {
          // An empty host means the request carries the gateway's address.
          const response = world.send({ method, url: `http://${host || '192.0.2.10'}/${path}` });
          expect([response.status, response.service]).to.deep.equal([200, 'echo-service']);
          expect(response.match?.upstreamPath).to.equal(`/${path}`);
          expect(response.match?.route['methods'] ?? null, 'any method').to.equal(null);
        });
      }
    });
  }

  it('routes to a rule before the default backend when one matches', () => {
    const ingress = ingressFrom(`${INGRESS}
  rules:
    - host: my-host
      http:
        paths:
          - { path: /api, pathType: Prefix, backend: { service: { name: api, port: { number: 8080 } } } }
    - http:
        paths:
          - { path: /static, pathType: Prefix, backend: { service: { name: static, port: { number: 8080 } } } }
`);
    for (const flavor of FLAVORS) {
      const world = scenario(ingress, { flavor });
      expect(world.send({ url: 'http://my-host/api/x' }).service, flavor).to.equal('api');
      expect(world.send({ url: 'http://other/static' }).service, flavor).to.equal('static');
      expect(world.send({ url: 'http://my-host/other' }).service, flavor).to.equal('echo-service');
      expect(world.send({ url: 'http://other/' }).service, flavor).to.equal('echo-service');
    }
  });
});
