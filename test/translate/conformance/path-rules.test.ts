// Port of features/path_rules.feature.
import { expect } from 'chai';
import { FLAVORS, ingressFrom, scenario } from './harness.ts';

const INGRESS = `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: path-rules
spec:
  rules:
    - host: "exact-path-rules"
      http:
        paths:
          - path: /foo
            pathType: Exact
            backend: { service: { name: foo-exact, port: { number: 8080 } } }
    - host: "prefix-path-rules"
      http:
        paths:
          - path: /foo
            pathType: Prefix
            backend: { service: { name: foo-prefix, port: { number: 8080 } } }
          - path: /aaa/bbb
            pathType: Prefix
            backend: { service: { name: aaa-slash-bbb-prefix, port: { number: 8080 } } }
          - path: /aaa
            pathType: Prefix
            backend: { service: { name: aaa-prefix, port: { number: 8080 } } }
    - host: "mixed-path-rules"
      http:
        paths:
          - path: /foo
            pathType: Prefix
            backend: { service: { name: foo-prefix, port: { number: 8080 } } }
          - path: /foo
            pathType: Exact
            backend: { service: { name: foo-exact, port: { number: 8080 } } }
    - host: "trailing-slash-path-rules"
      http:
        paths:
          - path: /aaa/bbb/
            pathType: Prefix
            backend: { service: { name: aaa-slash-bbb-slash-prefix, port: { number: 8080 } } }
          - path: /foo/
            pathType: Exact
            backend: { service: { name: foo-slash-exact, port: { number: 8080 } } }
`;

// [scenario, url, expected service or 404]
const SCENARIOS: Array<[string, string, string | 404]> = [
  ['exact /foo matches request /foo', 'http://exact-path-rules/foo', 'foo-exact'],
  ['exact /foo does not match request /foo/', 'http://exact-path-rules/foo/', 404],
  ['exact /foo does not match request /FOO', 'http://exact-path-rules/FOO', 404],
  ['exact /foo does not match request /bar', 'http://exact-path-rules/bar', 404],
  ['prefix /foo matches request /foo', 'http://prefix-path-rules/foo', 'foo-prefix'],
  ['prefix /foo matches request /foo/', 'http://prefix-path-rules/foo/', 'foo-prefix'],
  ['prefix /foo does not match request /FOO', 'http://prefix-path-rules/FOO', 404],
  ['prefix /aaa/bbb matches request /aaa/bbb', 'http://prefix-path-rules/aaa/bbb', 'aaa-slash-bbb-prefix'],
  ['prefix /aaa/bbb matches request /aaa/bbb/ccc', 'http://prefix-path-rules/aaa/bbb/ccc', 'aaa-slash-bbb-prefix'],
  ['prefix /aaa matches request /aaa/ccc', 'http://prefix-path-rules/aaa/ccc', 'aaa-prefix'],
  ['prefix /aaa does not match request /aaaccc', 'http://prefix-path-rules/aaaccc', 404],
  ['exact /foo is preferred over prefix /foo for request /foo', 'http://mixed-path-rules/foo', 'foo-exact'],
  ['prefix /aaa/bbb/ matches request /aaa/bbb', 'http://trailing-slash-path-rules/aaa/bbb', 'aaa-slash-bbb-slash-prefix'],
  ['prefix /aaa/bbb/ matches request /aaa/bbb/', 'http://trailing-slash-path-rules/aaa/bbb/', 'aaa-slash-bbb-slash-prefix'],
  ['exact /foo/ does not match request /foo', 'http://trailing-slash-path-rules/foo', 404],
  // Beyond the feature file: the Kubernetes docs' examples table.
  ['prefix /foo matches request /foo/bar (docs)', 'http://mixed-path-rules/foo/bar', 'foo-prefix'],
  ['prefix /aaa/bbb does not match /aaa/bbbxyz (docs)', 'http://prefix-path-rules/aaa/bbbxyz', 'aaa-prefix'],
  ['a query string does not change the match (docs)', 'http://exact-path-rules/foo?x=1', 'foo-exact'],
];

describe('conformance: path rules', () => {
  for (const flavor of FLAVORS) {
    describe(`router flavor ${flavor}`, () => {
      const world = scenario(ingressFrom(INGRESS), { flavor });

      it('translates without failures', () => {
        expect(world.result.failures).to.deep.equal([]);
      });

      for (const [name, url, expected] of SCENARIOS) {
        it(`${name} → ${expected}`, () => {
          const response = world.send({ url });
          if (expected === 404) expect(response.status, `routed to ${response.service ?? ''}`).to.equal(404);
          else expect([response.status, response.service]).to.deep.equal([200, expected]);
        });
      }

      it('forwards the unchanged path upstream (strip_path off)', () => {
        expect(world.send({ url: 'http://prefix-path-rules/aaa/bbb/ccc' }).match?.upstreamPath).to.equal('/aaa/bbb/ccc');
      });
    });
  }
});
