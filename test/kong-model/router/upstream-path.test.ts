import { expect } from 'chai';
import { buildRouter } from './router.ts';
import { upstreamPath } from './upstream-path.ts';

// Kong's spec/fixtures/router_path_handling_tests.lua, path_handling v0 rows:
// service path, route path (null: the route matches on host), strip_path, request, expected upstream path.
type Row = [string, string | null, boolean | 'both', string, string];
const ROWS: Row[] = [
  ['/', '/', 'both', '/', '/'],
  ['/', '/', 'both', '/route', '/route'],
  ['/', '/', 'both', '/route/', '/route/'],
  ['/', '/', 'both', '/routereq', '/routereq'],
  ['/', '/', 'both', '/route/req', '/route/req'],
  ['/', '/route', false, '/route', '/route'],
  ['/', '/route', false, '/route/', '/route/'],
  ['/', '/route', false, '/routereq', '/routereq'],
  ['/', '/route', true, '/route', '/'],
  ['/', '/route', true, '/route/', '/'],
  ['/', '/route', true, '/routereq', '/req'],
  ['/', '/route/', false, '/route/', '/route/'],
  ['/', '/route/', false, '/route/req', '/route/req'],
  ['/', '/route/', true, '/route/', '/'],
  ['/', '/route/', true, '/route/req', '/req'],
  ['/srv', '/rou', false, '/roureq', '/srv/roureq'],
  ['/srv', '/rou', true, '/roureq', '/srv/req'],
  ['/srv/', '/rou', false, '/rou', '/srv/rou'],
  ['/srv/', '/rou', true, '/rou', '/srv'],
  ['/service', '/', 'both', '/', '/service'],
  ['/service', '/', 'both', '/route', '/service/route'],
  ['/service', '/', 'both', '/route/', '/service/route/'],
  ['/service', '/', 'both', '/routereq', '/service/routereq'],
  ['/service', '/', 'both', '/route/req', '/service/route/req'],
  ['/service', '/route', false, '/route', '/service/route'],
  ['/service', '/route', false, '/route/', '/service/route/'],
  ['/service', '/route', false, '/routereq', '/service/routereq'],
  ['/service', '/route', true, '/route', '/service'],
  ['/service', '/route', true, '/route/', '/service/'],
  ['/service', '/route', true, '/routereq', '/service/req'],
  ['/service', '/route/', false, '/route/', '/service/route/'],
  ['/service', '/route/', false, '/route/req', '/service/route/req'],
  ['/service', '/route/', true, '/route/', '/service/'],
  ['/service', '/route/', true, '/route/req', '/service/req'],
  ['/service/', '/', 'both', '/route/', '/service/route/'],
  ['/service/', '/', 'both', '/', '/service/'],
  ['/service/', '/', 'both', '/route', '/service/route'],
  ['/service/', '/', 'both', '/routereq', '/service/routereq'],
  ['/service/', '/', 'both', '/route/req', '/service/route/req'],
  ['/service/', '/route', false, '/route', '/service/route'],
  ['/service/', '/route', false, '/route/', '/service/route/'],
  ['/service/', '/route', false, '/routereq', '/service/routereq'],
  ['/service/', '/route', true, '/route', '/service'],
  ['/service/', '/route', true, '/route/', '/service/'],
  ['/service/', '/route', true, '/routereq', '/service/req'],
  ['/service/', '/route/', false, '/route/', '/service/route/'],
  ['/service/', '/route/', false, '/route/req', '/service/route/req'],
  ['/service/', '/route/', true, '/route/', '/service/'],
  ['/service/', '/route/', true, '/route/req', '/service/req'],
  ['/', null, 'both', '/', '/'],
  ['/', null, 'both', '/route', '/route'],
  ['/', null, 'both', '/route/', '/route/'],
  ['/service', null, 'both', '/', '/service'],
  ['/service', null, 'both', '/route', '/service/route'],
  ['/service', null, 'both', '/route/', '/service/route/'],
  ['/service/', null, 'both', '/', '/service/'],
  ['/service/', null, 'both', '/route', '/service/route'],
  ['/service/', null, 'both', '/route/', '/service/route/'],
];

function routeThrough(servicePath: string, routePath: string | null, strip: boolean, request: string): string | undefined {
  const service = { id: 's', protocol: 'http', host: 'backend', port: 80, path: servicePath };
  const route = { id: 'r', protocols: ['http'], strip_path: strip, service: { id: 's' },
    ...(routePath === null ? { hosts: ['example.test'] } : { paths: [routePath] }) };
  const router = buildRouter({ services: [service], routes: [route] }, { flavor: 'traditional_compatible' });
  return router.match({ method: 'GET', host: 'example.test', path: request })?.upstreamPath;
}

describe('upstream path (path_handling v0), Kong fixture vectors through the router', () => {
  for (const [service, route, strip, request, expected] of ROWS) {
    for (const s of strip === 'both' ? [false, true] : [strip]) {
      it(`service ${service}, route ${route ?? '(host)'}, strip ${String(s)}: ${request} → ${expected}`, () => {
        expect(routeThrough(service, route, s, request)).to.equal(expected);
      });
    }
  }
});

describe('upstreamPath', () => {
  it('treats a null service path as /', () => {
    expect(upstreamPath(null, '/api', '/api/users', true)).to.equal('/users');
  });

  it('drops a leading ./ or ../ left after stripping', () => {
    expect(upstreamPath('/s', '/a', '/a../x', true)).to.equal('/s/x');
  });

  it('strips the whole regex match', () => {
    const router = buildRouter({
      services: [{ id: 's', protocol: 'http', host: 'b', port: 80, path: '/v2' }],
      routes: [{ id: 'r', protocols: ['http'], strip_path: true, paths: ['~/api/v\\d+'], service: { id: 's' } }],
    }, { flavor: 'traditional_compatible' });
    const m = router.match({ method: 'GET', host: 'h', path: '/api/v1/users?x=1' });
    expect([m?.matchedPath, m?.stripped, m?.upstreamPath]).to.deep.equal(['/api/v1', '/api/v1', '/v2/users']);
  });
});
