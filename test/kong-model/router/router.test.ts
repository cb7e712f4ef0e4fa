import { expect } from 'chai';
import { v5 as uuidv5 } from 'uuid';
import { buildRouter } from './router.ts';
import type { KongEntity, RouterModelFlavor, RouterRequest } from './types.ts';
import { resolveBackend } from './backend.ts';

const SERVICE = { id: 'svc', protocol: 'http', host: 'backend', port: 80, path: null };

let n = 0;
/** A route with Kong's defaults; ids sort in creation order unless given. */
function route(fields: KongEntity): KongEntity {
  n += 1;
  return { id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, protocols: ['http', 'https'],
    strip_path: true, preserve_host: false, regex_priority: 0, https_redirect_status_code: 426,
    service: { id: 'svc' }, ...fields };
}

function matcher(routes: KongEntity[], flavor: RouterModelFlavor = 'traditional_compatible') {
  const router = buildRouter({ services: [SERVICE], routes }, { flavor });
  return (req: Partial<RouterRequest>): unknown =>
    router.match({ method: 'GET', host: 'example.com', path: '/', ...req })?.route['name'];
}

describe('buildRouter (traditional_compatible)', () => {
  it('prefix paths are plain string prefixes: /foo matches /foobar', () => {
    const m = matcher([route({ name: 'foo', paths: ['/foo'] })]);
    expect(m({ path: '/foobar' })).to.equal('foo');
    expect(m({ path: '/fo' })).to.equal(undefined);
  });

  it('a regex path beats any prefix path, whatever the lengths', () => {
    const m = matcher([route({ name: 'prefix', paths: ['/foo/bar/baz'] }), route({ name: 'regex', paths: ['~/foo'] })]);
    expect(m({ path: '/foo/bar/baz' })).to.equal('regex');
  });

  it('regex paths are anchored at the start only', () => {
    const m = matcher([route({ name: 'regex', paths: ['~/v\\d+'] })]);
    expect(m({ path: '/v1/anything' })).to.equal('regex');
    expect(m({ path: '/api/v1' })).to.equal(undefined);
  });

  it('the longer prefix wins', () => {
    const m = matcher([route({ name: 'short', paths: ['/foo'] }), route({ name: 'long', paths: ['/foo/bar'] })]);
    expect(m({ path: '/foo/bar/x' })).to.equal('long');
    expect(m({ path: '/foo/x' })).to.equal('short');
  });

  it('regex_priority orders regex routes but is ignored for prefix paths', () => {
    const regex = matcher([route({ name: 'low', paths: ['~/a'], regex_priority: 1 }),
      route({ name: 'high', paths: ['~/ab'], regex_priority: 3 })]);
    expect(regex({ path: '/abc' })).to.equal('high');
    const prefix = matcher([route({ name: 'prioritised', paths: ['/a'], regex_priority: 10 }),
      route({ name: 'longer', paths: ['/ab'] })]);
    expect(prefix({ path: '/abc' })).to.equal('longer');
  });

  it('with one header, regex_priority 1 beats 2 (the bits overlap, Kong/kong#14457)', () => {
    const m = matcher([
      route({ name: 'rp1', paths: ['~/x'], headers: { 'x-a': ['1'] }, regex_priority: 1 }),
      route({ name: 'rp2', paths: ['~/x'], headers: { 'x-a': ['1'] }, regex_priority: 2 }),
    ]);
    expect(m({ path: '/x', headers: { 'X-A': '1' } })).to.equal('rp1');
  });

  it('a plain host beats a wildcard host', () => {
    const m = matcher([route({ name: 'wild', hosts: ['*.example.com'] }), route({ name: 'plain', hosts: ['a.example.com'] })]);
    expect(m({ host: 'a.example.com' })).to.equal('plain');
    expect(m({ host: 'b.example.com' })).to.equal('wild');
  });

  it('wildcard hosts match several labels but not the apex; x.* matches any suffix', () => {
    const m = matcher([route({ name: 'left', hosts: ['*.example.com'] }), route({ name: 'right', hosts: ['example.*'] })]);
    expect(m({ host: 'a.b.example.com' })).to.equal('left');
    expect(m({ host: 'example.com' })).to.equal('right');
    expect(m({ host: 'example.co.uk' })).to.equal('right');
    expect(m({ host: 'other.org' })).to.equal(undefined);
  });

  it('a host-less regex route beats a wildcard-host prefix route (the code, not the docs)', () => {
    const m = matcher([route({ name: 'wild-prefix', hosts: ['*.example.com'], paths: ['/w'] }),
      route({ name: 'regex', paths: ['~/w'] })]);
    expect(m({ host: 'a.example.com', path: '/w' })).to.equal('regex');
  });

  it('a plain-host route still beats a host-less regex route', () => {
    const m = matcher([route({ name: 'plain-prefix', hosts: ['a.example.com'], paths: ['/w'] }),
      route({ name: 'regex', paths: ['~/w'] })]);
    expect(m({ host: 'a.example.com', path: '/w' })).to.equal('plain-prefix');
  });

  it('ties go to the lexicographically larger route id', () => {
    const low = route({ id: '10000000-0000-4000-8000-000000000000', name: 'low', paths: ['/t'] });
    const high = route({ id: 'f0000000-0000-4000-8000-000000000000', name: 'high', paths: ['/t'] });
    expect(matcher([high, low])({ path: '/t' })).to.equal('high');
    expect(matcher([low, high])({ path: '/t' })).to.equal('high');
  });

  it('plain hosts ignore the Host port; host:port takes the Host header port, else the listener port', () => {
    const m = matcher([route({ name: 'any-port', hosts: ['example.com'] }), route({ name: 'port', hosts: ['api.test:8123'] })]);
    expect(m({ host: 'example.com:8123' })).to.equal('any-port');
    expect(m({ host: 'api.test', port: 8123 })).to.equal('port');
    expect(m({ host: 'api.test:8123', port: 8000 })).to.equal('port');
    expect(m({ host: 'api.test:9999', port: 8123 })).to.equal(undefined);
  });

  it('does not fold host case', () => {
    expect(matcher([route({ name: 'r', hosts: ['example.com'] })])({ host: 'EXAMPLE.com' })).to.equal(undefined);
  });

  it('matches headers case-insensitively by name, lowercased values, ~* as a regex', () => {
    const m = matcher([route({ name: 'exact', headers: { 'X-Version': ['V1', 'v2'] } }),
      route({ name: 'regex', headers: { 'x-flavor': ['~*^choc'] } })]);
    expect(m({ headers: { 'x-version': 'v1' } })).to.equal('exact');
    expect(m({ headers: { 'X-VERSION': 'V2' } })).to.equal('exact');
    expect(m({ headers: { 'X-Flavor': 'Chocolate' } })).to.equal('regex');
    expect(m({ headers: { 'x-version': 'v3' } })).to.equal(undefined);
  });

  it('needs every configured header', () => {
    const m = matcher([route({ name: 'both', headers: { a: ['1'], b: ['2'] } })]);
    expect(m({ headers: { a: '1' } })).to.equal(undefined);
    expect(m({ headers: { a: '1', b: '2' } })).to.equal('both');
  });

  it('matches methods exactly', () => {
    const m = matcher([route({ name: 'post', methods: ['POST'] })]);
    expect(m({ method: 'POST' })).to.equal('post');
    expect(m({ method: 'post' })).to.equal(undefined);
  });

  it('SNIs only constrain https requests', () => {
    const m = matcher([route({ name: 'sni', snis: ['secure.test'], paths: ['/'] })]);
    expect(m({ scheme: 'http' })).to.equal('sni');
    expect(m({ scheme: 'https', sni: 'secure.test' })).to.equal('sni');
    expect(m({ scheme: 'https', sni: 'other.test' })).to.equal(undefined);
  });

  it('normalizes the request path before matching', () => {
    const m = matcher([route({ name: 'api', paths: ['/api/v1'] })]);
    expect(m({ path: '/x/../api/%76%31?q=1' })).to.equal('api');
    expect(m({ path: '//api//v1' })).to.equal('api');
    expect(m({ path: '/api%2Fv1' })).to.equal(undefined);
  });

  it('splits mixed paths into sub-routes numbered from 1 in first-seen group order', () => {
    const r = route({ name: 'mixed', paths: ['/a', '/bb', '/c', '~/d'] });
    const router = buildRouter({ services: [SERVICE], routes: [r] }, { flavor: 'traditional_compatible' });
    const id = (path: string): string | undefined => router.match({ method: 'GET', host: 'h', path })?.matcherId;
    const sub = (k: number): string => uuidv5(`${String(r['id'])}#${k}`, '7f145bf9-0dce-4f91-98eb-debbce4b9f6b');
    expect([id('/a'), id('/c'), id('/bb'), id('/d')]).to.deep.equal([sub(1), sub(1), sub(2), sub(3)]);
  });

  it('gives each split group its own priority', () => {
    const m = matcher([route({ name: 'split', paths: ['/a', '/abcdef'] }), route({ name: 'middle', paths: ['/abc'] })]);
    expect(m({ path: '/abcdefg' })).to.equal('split');
    expect(m({ path: '/abcx' })).to.equal('middle');
  });

  it('keeps an unsplit route id when all paths share a group', () => {
    const r = route({ name: 'same', paths: ['/aa', '/bb'] });
    const router = buildRouter({ services: [SERVICE], routes: [r] }, { flavor: 'traditional_compatible' });
    expect(router.match({ method: 'GET', host: 'h', path: '/bb' })?.matcherId).to.equal(r['id']);
  });

  it('leaves out routes whose regex Kong could not compile, and stream routes', () => {
    const m = matcher([route({ name: 'lookahead', paths: ['~/(?=x)'] }),
      route({ name: 'tcp', protocols: ['tcp'], destinations: [{ port: 80 }] }), route({ name: 'ok', paths: ['/'] })]);
    expect(m({ path: '/x' })).to.equal('ok');
  });

  it('reports https-only routes hit over http as Kong answers them', () => {
    const router = buildRouter({ services: [SERVICE], routes: [
      route({ name: 'upgrade', protocols: ['https'], paths: ['/u'] }),
      route({ name: 'redirect', protocols: ['https'], paths: ['/r'], https_redirect_status_code: 301 }),
    ] }, { flavor: 'traditional_compatible' });
    const req = (path: string, scheme: 'http' | 'https'): unknown =>
      router.match({ method: 'GET', host: 'example.com:8000', path, scheme })?.httpsRequired;
    expect(req('/u', 'http')).to.deep.equal({ status: 426 });
    expect(req('/r?x=1', 'http')).to.deep.equal({ status: 301, location: 'https://example.com/r?x=1' });
    expect(req('/u', 'https')).to.equal(undefined);
  });

  it('returns the service, the stripped prefix and preserve_host', () => {
    const router = buildRouter({ services: [{ ...SERVICE, path: '/base' }], routes: [
      route({ name: 'r', paths: ['/api'], preserve_host: true }),
    ] }, { flavor: 'traditional_compatible' });
    const m = router.match({ method: 'GET', host: 'example.com:8000', path: '/api/users' });
    expect(m?.service).to.equal(router.match({ method: 'GET', host: 'x', path: '/api' })?.service);
    expect([m?.stripped, m?.upstreamPath, m?.upstreamHost]).to.deep.equal(['/api', '/base/users', 'example.com:8000']);
  });
});

describe('buildRouter (expressions)', () => {
  it('evaluates expression routes, highest priority first, above traditional routes', () => {
    const m = matcher([
      route({ name: 'low', expression: 'http.path ^= "/api"', priority: 1 }),
      route({ name: 'high', expression: 'http.path ^= "/api/v2" && http.method == "GET"', priority: 5 }),
      route({ name: 'fields', paths: ['/api/v2/special'] }),
    ], 'expressions');
    expect(m({ path: '/api/v2/special' })).to.equal('high');
    expect(m({ path: '/api/v2/x', method: 'POST' })).to.equal('low');
  });

  it('supports ==, =^, ~, headers, || and parentheses', () => {
    const m = matcher([
      route({ name: 'a', expression: '(http.host == "a.test" || http.host =^ ".b.test") && http.path ~ "^/v[0-9]+"' }),
      route({ name: 'h', expression: 'http.headers.x_env == "canary"' }),
    ], 'expressions');
    expect(m({ host: 'x.b.test', path: '/v2' })).to.equal('a');
    expect(m({ host: 'a.test', path: '/x' })).to.equal(undefined);
    expect(m({ headers: { 'X-Env': 'canary' } })).to.equal('h');
  });
});

describe('buildRouter (traditional)', () => {
  it('orders by category, then plain hosts, then prefix length', () => {
    const m = matcher([
      route({ name: 'uri', paths: ['/a'] }),
      route({ name: 'host-uri', hosts: ['example.com'], paths: ['/'] }),
      route({ name: 'longer', paths: ['/a/b'] }),
    ], 'traditional');
    expect(m({ path: '/a/b' })).to.equal('host-uri');
    expect(m({ host: 'other', path: '/a/b' })).to.equal('longer');
  });

  it('ranks a wildcard-host route above a host-less regex route (unlike traditional_compatible)', () => {
    const routes = [route({ name: 'wild-prefix', hosts: ['*.example.com'], paths: ['/w'] }),
      route({ name: 'regex', paths: ['~/w'] })];
    expect(matcher(routes, 'traditional')({ host: 'a.example.com', path: '/w' })).to.equal('wild-prefix');
  });

  it('breaks ties by created_at ascending', () => {
    const m = matcher([route({ name: 'newer', paths: ['/t'], created_at: 20 }),
      route({ name: 'older', paths: ['/t'], created_at: 10 })], 'traditional');
    expect(m({ path: '/t' })).to.equal('older');
  });

  it('accepts PCRE-only regexes such as look-ahead', () => {
    expect(matcher([route({ name: 'la', paths: ['~/x(?=y)'] })], 'traditional')({ path: '/xy' })).to.equal('la');
  });
});

describe('resolveBackend', () => {
  const entities = {
    services: [SERVICE, { id: 'up-svc', protocol: 'http', host: 'my-upstream', port: 80 }],
    routes: [],
    upstreams: [{ id: 'u1', name: 'my-upstream' }],
    targets: [
      { id: 't1', upstream: { id: 'u1' }, target: '10.0.0.1:8080', weight: 100 },
      { id: 't2', upstream: { id: 'u1' }, target: '[0000:0000:0000:0000:0000:0000:0000:0001]:8000', weight: 50 },
      { id: 't3', upstream: { id: 'u1' }, target: '10.0.0.3:8080', weight: 0 },
    ],
  };

  it('sends to the service host:port when no upstream has that name', () => {
    expect(resolveBackend({ service: SERVICE }, entities)).to.deep.equal({ kind: 'host', host: 'backend', port: 80 });
  });

  it("lists the upstream's targets with traffic when the service host names an upstream", () => {
    expect(resolveBackend({ service: entities.services[1] ?? null }, entities)).to.deep.equal({
      kind: 'upstream', upstream: 'my-upstream', targets: [
        { host: '10.0.0.1', port: 8080, weight: 100 },
        { host: '0000:0000:0000:0000:0000:0000:0000:0001', port: 8000, weight: 50 },
      ] });
  });

  it('is null for a service-less route', () => {
    expect(resolveBackend({ service: null }, entities)).to.equal(null);
  });
});
