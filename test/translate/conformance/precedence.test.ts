// Kubernetes precedence across Ingresses, checked through the model of Kong's
// router (including the priority bug, docs/kong-router.md#priority-on-traditional_compatible): longest path
// wins, Exact beats Prefix on a tie, an exact host beats a wildcard host.
import { expect } from 'chai';
import type { V1Ingress } from '@kubernetes/client-node';
import { DEFAULT_SETTINGS } from '../../../src/config/settings.ts';
import { buildRouter } from '../../kong-model/router/index.ts';
import { validateDeclarativeConfig } from '../../kong-model/validate/index.ts';
import { createTranslator, snapshotOf } from '../../../src/translate/index.ts';
import { echoServices, FLAVORS, ingressFrom } from './harness.ts';

type Rule = [name: string, host: string | undefined, path: string, pathType: string];

function ingress([name, host, path, pathType]: Rule, annotations: Record<string, string> = {}): V1Ingress {
  const hostLine = host === undefined ? '' : `host: "${host}"`;
  const ing = ingressFrom(`
metadata: { name: ${name} }
spec:
  rules:
    - ${hostLine}
      http:
        paths:
          - { path: "${path}", pathType: ${pathType}, backend: { service: { name: ${name}, port: { number: 8080 } } } }
`);
  if (ing.metadata) ing.metadata.annotations = annotations;
  return ing;
}

function serve(ingresses: V1Ingress[], flavor: (typeof FLAVORS)[number]): (url: string) => string | 404 {
  const result = createTranslator().translate(snapshotOf({
    Ingress: ingresses,
    Service: ingresses.flatMap(echoServices),
  }), { settings: { ...DEFAULT_SETTINGS, routerFlavor: flavor } });
  expect(result.failures).to.deep.equal([]);
  const verdict = validateDeclarativeConfig(structuredClone(result.config), { routerFlavor: flavor, flattenErrors: false });
  if (!verdict.ok) return expect.fail(JSON.stringify(verdict.body));
  const router = buildRouter(verdict.entities, { flavor });
  return (url) => {
    const { host, pathname } = new URL(url);
    const match = router.match({ method: 'GET', host, path: pathname });
    const tag = (match?.service?.['tags'] as string[] | undefined)?.find((t) => t.startsWith('k8s-name:'));
    return tag ? tag.slice('k8s-name:'.length) : 404;
  };
}

describe('conformance: precedence across Ingresses', () => {
  for (const flavor of FLAVORS) {
    describe(`router flavor ${flavor}`, () => {
      it('Exact beats Prefix for the same path, whichever Ingress is older', () => {
        for (const order of [0, 1]) {
          const both = [ingress(['prefix', 'a.com', '/foo', 'Prefix']), ingress(['exact', 'a.com', '/foo', 'Exact'])];
          const send = serve(order ? both.reverse() : both, flavor);
          expect(send('http://a.com/foo')).to.equal('exact');
          expect(send('http://a.com/foo/')).to.equal('prefix');
          expect(send('http://a.com/foo/x')).to.equal('prefix');
        }
      });

      it('the longest matching path wins across Ingresses', () => {
        const send = serve([ingress(['root', 'a.com', '/', 'Prefix']), ingress(['short', 'a.com', '/a', 'Prefix']), ingress(['long', 'a.com', '/a/b', 'Prefix']), ingress(['exact', 'a.com', '/a/b/c', 'Exact'])], flavor);
        expect(send('http://a.com/x')).to.equal('root');
        expect(send('http://a.com/a')).to.equal('short');
        expect(send('http://a.com/a/bc')).to.equal('short');
        expect(send('http://a.com/a/b')).to.equal('long');
        expect(send('http://a.com/a/b/c')).to.equal('exact');
        expect(send('http://a.com/a/b/c/d')).to.equal('long');
      });

      it('an exact host beats a wildcard host, even with a shorter path', () => {
        const send = serve([ingress(['wild', '*.a.com', '/deep/path', 'Prefix']), ingress(['exact-host', 'www.a.com', '/', 'Prefix'])], flavor);
        expect(send('http://www.a.com/deep/path')).to.equal('exact-host');
        expect(send('http://api.a.com/deep/path')).to.equal('wild');
      });

      it('a user regex-priority adds on top and keeps Exact ahead of its own Prefix', () => {
        const send = serve([ingress(['prefix', 'a.com', '/foo', 'Prefix'], { 'konghq.com/regex-priority': '3' }), ingress(['exact', 'a.com', '/foo', 'Exact'], { 'konghq.com/regex-priority': '3' })], flavor);
        expect(send('http://a.com/foo')).to.equal('exact');
      });

      it('hosts of rules with a host win over host-less rules for a plain prefix', () => {
        const send = serve([ingress(['anyhost', undefined, '/', 'Prefix']), ingress(['wild', '*.a.com', '/', 'Prefix']), ingress(['exact-host', 'www.a.com', '/', 'Prefix'])], flavor);
        expect(send('http://www.a.com/x')).to.equal('exact-host');
        expect(send('http://api.a.com/x')).to.equal('wild');
        expect(send('http://other.com/x')).to.equal('anyhost');
      });

      if (flavor === 'expressions') {
        it('a wildcard host beats a longer host-less path', () => {
          const send = serve([ingress(['anyhost', undefined, '/foo', 'Prefix']), ingress(['wild', '*.a.com', '/', 'Prefix'])], flavor);
          expect(send('http://api.a.com/foo')).to.equal('wild');
        });
      } else {
        // Known deviation: on Kong's traditional routers a regex path outranks a
        // wildcard host (the plain-host and regex bits sit above the criteria
        // count, docs/kong-router.md#priority-on-traditional_compatible), so a host-less Prefix /foo (whose
        // `~/foo$` is a regex) wins /foo on a wildcard host whose rule is `/`.
        it('KNOWN DEVIATION a host-less Prefix /foo beats a wildcard host\'s / for exactly /foo', () => {
          const send = serve([ingress(['anyhost', undefined, '/foo', 'Prefix']), ingress(['wild', '*.a.com', '/', 'Prefix'])], flavor);
          expect(send('http://api.a.com/foo')).to.equal(flavor === 'traditional' ? 'wild' : 'anyhost');
          expect(send('http://api.a.com/bar')).to.equal('wild');
        });
      }
    });
  }
});
