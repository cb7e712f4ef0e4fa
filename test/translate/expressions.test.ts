import { expect } from 'chai';
import { allRoutes, ingress, PEM, routeNamed, rule, run, service, tlsSecret } from './builders.ts';
import { readRecording } from '../kong/recordings-dir.ts';

const flavor = { routerFlavor: 'expressions' as const };

describe('translate: expressions router flavor', () => {
  const web = service('web');

  const table: Array<[string | undefined, string, string, string]> = [
    ['a.example.com', '/foo', 'Prefix', 'lower(http.host) == "a.example.com" && (http.path == "/foo" || http.path ^= "/foo/")'],
    ['a.example.com', '/', 'Prefix', 'lower(http.host) == "a.example.com" && http.path ^= "/"'],
    ['a.example.com', '/a.b', 'Exact', 'lower(http.host) == "a.example.com" && http.path == "/a.b"'],
    ['*.foo.com', '/', 'Prefix', 'lower(http.host) ~ "^[^.]+\\\\.foo\\\\.com$" && http.path ^= "/"'],
    [undefined, '/acme', 'ImplementationSpecific', 'http.path ^= "/acme"'],
    [undefined, '/~/v\\d+/x', 'ImplementationSpecific', 'http.path ~ "^/v\\\\d+/x"'],
  ];
  for (const [host, path, type, expression] of table) {
    it(`${host ?? '(any host)'} ${type} ${path} → ${expression}`, () => {
      const result = run({ ingresses: [ingress('site', { rules: [rule(host, [path, type, 'web', 80])] })], services: [web] }, flavor);
      const [route] = allRoutes(result);
      expect(route?.expression).to.equal(expression);
      expect(route).to.not.have.property('paths');
      expect(route).to.not.have.property('hosts');
    });
  }

  it('matches a wildcard host on exactly one label', () => {
    const result = run({ ingresses: [ingress('site', { rules: [rule('*.foo.com', ['/', 'Prefix', 'web', 80])] })], services: [web] }, flavor);
    const literal = /lower\(http\.host\) ~ "([^"]+)"/.exec(allRoutes(result)[0]?.expression ?? '')?.[1] ?? '';
    const regex = new RegExp(literal.replace(/\\\\/g, '\\'));
    expect(regex.test('bar.foo.com')).to.equal(true);
    expect(regex.test('baz.bar.foo.com')).to.equal(false);
    expect(regex.test('foo.com')).to.equal(false);
  });

  it('matches the Host header case-insensitively, in the form Kong 3.9 accepted (rt-expression-lower-host)', () => {
    const recorded = readRecording<{ cases: { name: string; request: { body: string }; response: { status: number } }[] }>(
      'config-contract.expressions.json').cases.find((c) => c.name === 'rt-expression-lower-host');
    expect(recorded?.request.body).to.contain('lower(http.host) == \\"a.example.com\\"');
    expect(recorded?.response.status).to.equal(201);
    const result = run({ ingresses: [ingress('site', { rules: [rule('a.example.com', ['/', 'Prefix', 'web', 80]), rule('*.w.example.com', ['/', 'Prefix', 'web', 80])] })], services: [web] }, flavor);
    const hostTerms = allRoutes(result).map((r) => /^\S+\(http\.host\) (?:==|~) "[^"]*"/.exec(r.expression ?? '')?.[0]);
    expect(hostTerms).to.have.members(['lower(http.host) == "a.example.com"', 'lower(http.host) ~ "^[^.]+\\\\.w\\\\.example\\\\.com$"']);
  });

  it('gives each path its own route and priority: host kind, then length, then Exact', () => {
    const ing = ingress('site', {
      rules: [
        rule('a.com', ['/foo', 'Prefix', 'web', 80], ['/foo', 'Exact', 'web', 80], ['/foo/bar', 'Prefix', 'web', 80]),
        rule('*.a.com', ['/foo/bar/baz', 'Prefix', 'web', 80]),
        rule(undefined, ['/foo/bar/baz/qux', 'Prefix', 'web', 80]),
      ],
      defaultBackend: { service: { name: 'web', port: { number: 80 } } },
    });
    const routes = allRoutes(run({ ingresses: [ing], services: [web] }, flavor));
    const priority = (needle: string) => routes.find((r) => r.expression?.includes(needle))?.priority ?? -1;
    const exactFoo = routes.find((r) => r.expression === 'lower(http.host) == "a.com" && http.path == "/foo"')?.priority ?? -1;
    const prefixFoo = priority('http.path == "/foo" || http.path ^= "/foo/"');
    expect(exactFoo).to.be.greaterThan(prefixFoo);
    expect(priority('"/foo/bar/"')).to.be.greaterThan(exactFoo);
    expect(priority('"/foo/bar/"'), 'exact host beats a longer path on a wildcard host').to.be.greaterThan(priority('"/foo/bar/baz/"'));
    expect(priority('"/foo/bar/baz/"'), 'wildcard host beats a longer path on any host').to.be.greaterThan(priority('"/foo/bar/baz/qux/"'));
    expect(routeNamed(run({ ingresses: [ing], services: [web] }, flavor), 'default.site').priority).to.equal(0);
    expect(routes.every((r) => (r.priority ?? 0) < 2 ** 31)).to.equal(true);
    const names = routes.map((r) => r.name);
    expect(new Set(names).size).to.equal(names.length);
    expect(names.filter((n) => n.startsWith('default.site.web.a.com.80.'))).to.have.length(3);
  });

  it('puts methods, headers and SNIs into the expression', () => {
    const ing = ingress('site', { rules: [rule('a.com', ['/', 'Prefix', 'web', 80])] }, {
      annotations: { 'konghq.com/methods': 'GET,POST', 'konghq.com/headers.x-tenant': 'blue', 'konghq.com/snis': 'a.com' },
    });
    const [route] = allRoutes(run({ ingresses: [ing], services: [web], secrets: [tlsSecret('t', PEM.certA, PEM.keyA)] }, flavor));
    expect(route?.expression).to.equal('lower(http.host) == "a.com" && http.path ^= "/" && (http.method == "GET" || http.method == "POST") && http.headers.x_tenant == "blue" && tls.sni == "a.com"');
    expect(route).to.not.have.property('methods');
    expect(route).to.not.have.property('headers');
    expect(route).to.not.have.property('snis');
  });
});
