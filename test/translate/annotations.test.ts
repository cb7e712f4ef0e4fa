import { expect } from 'chai';
import { allRoutes, ingress, reasons, rule, run, service } from './builders.ts';
import type { TranslateResult } from '../../src/translate/types.ts';

const K = 'konghq.com/';

function withIngressAnnotations(annotations: Record<string, string>): TranslateResult {
  const site = ingress('site', { rules: [rule('a.example.com', ['/', 'Prefix', 'web', 80])] }, { annotations });
  const fine = ingress('fine', { rules: [rule('b.example.com', ['/', 'Prefix', 'web', 80])] });
  return run({ ingresses: [site, fine], services: [service('web')] });
}

function siteRoute(result: TranslateResult) {
  return allRoutes(result).find((r) => r.name.startsWith('default.site.'));
}

describe('translate: Ingress annotations', () => {
  const valid: Array<[Record<string, string>, Record<string, unknown>]> = [
    [{ [`${K}strip-path`]: 'true' }, { strip_path: true }],
    [{ [`${K}strip-path`]: 'False' }, { strip_path: false }],
    [{ [`${K}preserve-host`]: 'false' }, { preserve_host: false }],
    [{ [`${K}protocols`]: 'https' }, { protocols: ['https'] }],
    [{ [`${K}protocols`]: 'https, http' }, { protocols: ['http', 'https'] }],
    [{ [`${K}protocols`]: 'grpc,grpcs' }, { protocols: ['grpc', 'grpcs'] }],
    [{ [`${K}methods`]: 'get, POST,get' }, { methods: ['GET', 'POST'] }],
    [{ [`${K}https-redirect-status-code`]: '308' }, { https_redirect_status_code: 308 }],
    [{ [`${K}regex-priority`]: '10' }, { regex_priority: 10 }],
    [{ [`${K}host-aliases`]: 'c.example.com,*.d.example.com' }, { hosts: ['a.example.com', 'c.example.com', '*.d.example.com'] }],
    [{ [`${K}headers.x-tenant`]: 'blue,green' }, { headers: { 'x-tenant': ['blue', 'green'] } }],
    [{ [`${K}headers.X-Version`]: 'v1;v2', [`${K}headers-separator`]: ';' }, { headers: { 'x-version': ['v1', 'v2'] } }],
    [{ [`${K}headers.x-id`]: '~*^[0-9]+$' }, { headers: { 'x-id': ['~*^[0-9]+$'] } }],
    [{ [`${K}path-handling`]: 'v1' }, { path_handling: 'v1' }],
    [{ [`${K}request-buffering`]: 'false', [`${K}response-buffering`]: 'false' }, { request_buffering: false, response_buffering: false }],
    [{ [`${K}snis`]: 'a.example.com,*.b.example.com' }, { snis: ['*.b.example.com', 'a.example.com'] }],
    [{ 'ingress.kubernetes.io/force-ssl-redirect': 'true' }, { protocols: ['https'], https_redirect_status_code: 302 }],
    [{ 'ingress.kubernetes.io/force-ssl-redirect': 'true', [`${K}https-redirect-status-code`]: '301' }, { protocols: ['https'], https_redirect_status_code: 301 }],
    [{ 'ingress.kubernetes.io/force-ssl-redirect': 'false' }, { protocols: ['http', 'https'], https_redirect_status_code: 426 }],
    [{ [`${K}override`]: 'x', [`${K}tags`]: 'team-a' }, { protocols: ['http', 'https'] }],
    [{ [`${K}plugins`]: '  ' }, { protocols: ['http', 'https'] }],
  ];
  for (const [annotations, expected] of valid) {
    it(`applies ${JSON.stringify(annotations)}`, () => {
      const result = withIngressAnnotations(annotations);
      expect(result.failures).to.deep.equal([]);
      expect(siteRoute(result)).to.deep.include(expected);
    });
  }

  it('applies no annotation defaults: KIC route defaults', () => {
    expect(siteRoute(withIngressAnnotations({}))).to.deep.include({
      protocols: ['http', 'https'], strip_path: false, preserve_host: true, regex_priority: 0, path_handling: 'v0',
      https_redirect_status_code: 426, request_buffering: true, response_buffering: true,
    });
  });

  it('adds the user regex priority on top of the Exact bump', () => {
    const site = ingress('site', { rules: [rule('a.example.com', ['/x', 'Exact', 'web', 80])] }, { annotations: { [`${K}regex-priority`]: '10' } });
    expect(allRoutes(run({ ingresses: [site], services: [service('web')] }))[0]?.regex_priority).to.equal(11);
  });

  const invalid: Array<[string, string]> = [
    [`${K}strip-path`, 'yes'],
    [`${K}preserve-host`, ''],
    [`${K}protocols`, 'http,grpc'],
    [`${K}protocols`, 'tcp'],
    [`${K}protocols`, 'http,,https'],
    [`${K}methods`, 'GET,G3T'],
    [`${K}https-redirect-status-code`, '303'],
    [`${K}regex-priority`, '1.5'],
    [`${K}regex-priority`, '5000'],
    // traditional_compatible ranks a negative regex_priority above every route (32-bit shift, sign-extended).
    [`${K}regex-priority`, '-5'],
    [`${K}host-aliases`, 'ok.com,bad host'],
    [`${K}headers.bad header`, 'x'],
    [`${K}headers.host`, 'a.com'],
    [`${K}headers.x-a`, ''],
    [`${K}headers.x-a`, '~*(['],
    [`${K}path-handling`, 'v2'],
    [`${K}request-buffering`, '1'],
    [`${K}snis`, 'a.com,-bad.com'],
    [`${K}regex-prefix`, 'no-slash'],
    ['ingress.kubernetes.io/force-ssl-redirect', 'on'],
  ];
  for (const [name, value] of invalid) {
    it(`rejects ${name}: ${JSON.stringify(value)} and leaves only that Ingress out`, () => {
      const result = withIngressAnnotations({ [name]: value });
      expect(reasons(result)).to.deep.equal(['Ingress/default/site:InvalidAnnotation']);
      expect(result.failures[0]?.message).to.contain(name).and.to.contain(`'${value}'`);
      expect(allRoutes(result).map((r) => r.name)).to.deep.equal(['default.fine.web.b.example.com.80']);
      expect(result.configured.map((r) => r.name)).to.not.include('site');
    });
  }

  it('rejects wildcard SNIs on the traditional router flavor, which Kong refuses there', () => {
    const site = ingress('site', { rules: [rule('a.example.com', ['/', 'Prefix', 'web', 80])] }, { annotations: { [`${K}snis`]: '*.example.com' } });
    expect(reasons(run({ ingresses: [site], services: [service('web')] }, { routerFlavor: 'traditional' }))).to.deep.equal(['Ingress/default/site:InvalidAnnotation']);
    expect(reasons(run({ ingresses: [site], services: [service('web')] }))).to.deep.equal([]);
  });

  it('accepts a negative regex-priority only where Kong ranks it as asked (the traditional router)', () => {
    const site = ingress('site', { rules: [rule('a.example.com', ['/~/x', 'ImplementationSpecific', 'web', 80])] }, { annotations: { [`${K}regex-priority`]: '-5' } });
    const traditional = run({ ingresses: [site], services: [service('web')] }, { routerFlavor: 'traditional' });
    expect(reasons(traditional)).to.deep.equal([]);
    expect(allRoutes(traditional)[0]?.regex_priority).to.equal(-5);
    const compatible = run({ ingresses: [site], services: [service('web')] });
    expect(reasons(compatible)).to.deep.equal(['Ingress/default/site:InvalidAnnotation']);
    expect(compatible.failures[0]?.message).to.contain('must not be negative on the traditional_compatible router');
  });

  const badCombinations: Array<Record<string, string>> = [
    { [`${K}protocols`]: 'grpc', [`${K}methods`]: 'GET' },
    { [`${K}protocols`]: 'grpcs', [`${K}strip-path`]: 'true' },
    { [`${K}protocols`]: 'http', [`${K}snis`]: 'a.example.com' },
  ];
  for (const annotations of badCombinations) {
    it(`rejects the combination ${JSON.stringify(annotations)} that Kong's route schema refuses`, () => {
      expect(reasons(withIngressAnnotations(annotations))).to.deep.equal(['Ingress/default/site:InvalidAnnotation']);
    });
  }
});

describe('translate: Service annotations', () => {
  function withServiceAnnotations(annotations: Record<string, string>, mode: 'service' | 'endpoints' = 'service'): TranslateResult {
    const site = ingress('site', { rules: [rule('a.example.com', ['/', 'Prefix', 'web', 80], ['/other', 'Prefix', 'other', 80])] });
    return run({ ingresses: [site], services: [service('web', [{ port: 80 }], { annotations }), service('other')] }, { upstreamMode: mode });
  }
  const web = (result: TranslateResult) => result.config.services.find((s) => s.name === 'default.web.80');

  const valid: Array<[Record<string, string>, Record<string, unknown>]> = [
    [{ [`${K}path`]: '/api/v1' }, { path: '/api/v1' }],
    [{ [`${K}protocol`]: 'https' }, { protocol: 'https', path: '/' }],
    [{ [`${K}protocol`]: 'grpc' }, { protocol: 'grpc' }],
    [{ [`${K}connect-timeout`]: '1000', [`${K}read-timeout`]: '2000', [`${K}write-timeout`]: '3000' }, { connect_timeout: 1000, read_timeout: 2000, write_timeout: 3000 }],
    [{ [`${K}retries`]: '0' }, { retries: 0 }],
  ];
  for (const [annotations, expected] of valid) {
    it(`applies ${JSON.stringify(annotations)}`, () => {
      const result = withServiceAnnotations(annotations);
      expect(result.failures).to.deep.equal([]);
      expect(web(result)).to.deep.include(expected);
    });
  }

  it('leaves the path out of gRPC services (Kong requires it null)', () => {
    expect(web(withServiceAnnotations({ [`${K}protocol`]: 'grpcs' }))).to.not.have.property('path');
  });

  it('host-header: gives a service/mesh-mode backend its own upstream carrying host_header', () => {
    const result = withServiceAnnotations({ [`${K}host-header`]: 'internal.example:8443' });
    expect(web(result)).to.deep.include({ host: 'web.default.80.svc', port: 80 });
    const [upstream] = result.config.upstreams;
    expect(upstream).to.deep.include({ name: 'web.default.80.svc', host_header: 'internal.example:8443' });
    expect(upstream?.targets.map((t) => t.target)).to.deep.equal(['web.default.svc.cluster.local:80']);
    expect(result.config.services.find((s) => s.name === 'default.other.80')?.host, 'other backends keep no upstream').to.equal('other.default.svc.cluster.local');
  });

  it('host-header in endpoints mode sets it on the existing upstream', () => {
    const result = withServiceAnnotations({ [`${K}host-header`]: 'internal.example' }, 'endpoints');
    expect(result.config.upstreams.find((u) => u.name === 'web.default.80.svc')?.host_header).to.equal('internal.example');
  });

  const invalid: Array<[string, string]> = [
    [`${K}path`, 'api'],
    [`${K}path`, '/a//b'],
    [`${K}path`, '/a b'],
    [`${K}path`, '/a%zz'],
    [`${K}protocol`, 'tcp'],
    [`${K}connect-timeout`, '0'],
    [`${K}read-timeout`, '2147483647'],
    [`${K}write-timeout`, 'soon'],
    [`${K}retries`, '40000'],
    [`${K}host-header`, 'bad host'],
    [`${K}host-header`, 'a.com:99999'],
    ['ingress.kubernetes.io/service-upstream', 'maybe'],
  ];
  for (const [name, value] of invalid) {
    it(`rejects ${name}: ${JSON.stringify(value)} and leaves that Kong service out`, () => {
      const result = withServiceAnnotations({ [name]: value });
      expect(reasons(result)).to.deep.equal(['Ingress/default/site:InvalidAnnotation', 'Service/default/web:InvalidAnnotation']);
      expect(result.failures[1]?.message).to.contain(name).and.to.contain(`'${value}'`);
      expect(result.config.services.map((s) => s.name)).to.deep.equal(['default.other.80']);
    });
  }

  it('rejects a path on a gRPC service', () => {
    const result = withServiceAnnotations({ [`${K}protocol`]: 'grpc', [`${K}path`]: '/x' });
    expect(reasons(result)).to.include('Service/default/web:InvalidAnnotation');
  });
});
