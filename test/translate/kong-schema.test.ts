// Whatever the translator emits must be accepted by Kong: every config here
// goes through the Kong schema validator for the router flavor it targets.
import { expect } from 'chai';
import type { RouterFlavor } from '../../src/model/index.ts';
import { validateDeclarativeConfig } from '../kong-model/validate/index.ts';
import type { TranslateResult } from '../../src/translate/types.ts';
import {
  allRoutes, endpointSlice, externalService, ingress, PEM, rule, run, service, tlsSecret,
} from './builders.ts';

function expectKongAccepts(result: TranslateResult, routerFlavor: RouterFlavor): void {
  const verdict = validateDeclarativeConfig(structuredClone(result.config), { routerFlavor, flattenErrors: true });
  expect(verdict.ok ? 'accepted' : JSON.stringify(verdict.body, null, 1)).to.equal('accepted');
}

const K = 'konghq.com/';

function everything() {
  return {
    ingresses: [
      ingress('paths', { rules: [rule('a.example.com',
        ['/v1/(x)+*$', 'Exact', 'web', 80], ['/a.b', 'Prefix', 'web', 80], ['/a%2a', 'Prefix', 'web', 80],
        ['/~/items/[0-9]+$', 'ImplementationSpecific', 'web', 80], ['/.well-known/acme', 'ImplementationSpecific', 'web', 80],
        ['/', 'Exact', 'web', 80], ["/it's;ok@:=,!", 'Prefix', 'web', 80])] }),
      ingress('hosts', {
        tls: [{ hosts: ['*.wild.example.com', 'b.example.com'], secretName: 'tls' }],
        rules: [rule('*.wild.example.com', ['/', 'Prefix', 'web', 'http']), rule(undefined, ['/anyhost', 'Prefix', 'mesh', 80])],
        defaultBackend: { service: { name: 'web', port: { number: 80 } } },
      }, { annotations: {
        [`${K}methods`]: 'GET,PUT', [`${K}headers.x-tenant`]: 'blue,~*^gr[e]+n$', [`${K}snis`]: 'b.example.com,*.wild.example.com',
        [`${K}host-aliases`]: 'c.example.com', [`${K}regex-priority`]: '7', [`${K}https-redirect-status-code`]: '308',
      } }),
      ingress('grpc', { rules: [rule('grpc.example.com', ['/pkg.Service/', 'Prefix', 'grpc-svc', 50051], ['/pkg.Service/Get', 'Exact', 'grpc-svc', 50051])] }, {
        annotations: { [`${K}protocols`]: 'grpc,grpcs' },
      }),
      ingress('secure', { rules: [rule('secure.example.com', ['/', 'Prefix', 'secure-svc', 443])] }, {
        annotations: { 'ingress.kubernetes.io/force-ssl-redirect': 'true', [`${K}strip-path`]: 'true', [`${K}path-handling`]: 'v1' },
      }),
    ],
    services: [
      service('web', [{ name: 'http', port: 80, targetPort: 8080 }], { annotations: { [`${K}host-header`]: 'web.internal:8080' } }),
      service('grpc-svc', [{ port: 50051 }], { annotations: { [`${K}protocol`]: 'grpcs' } }),
      service('secure-svc', [{ port: 443 }], { annotations: { [`${K}protocol`]: 'https', [`${K}path`]: "/base/a;b=c/~x@y!$&'()*+,:" } }),
      externalService('mesh', 'frontend.kong.svc.80.mesh'),
    ],
    endpointSlices: [endpointSlice('web', [{ name: 'http', port: 8080 }], [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }])],
    secrets: [tlsSecret('tls', PEM.certA, PEM.keyA, { uid: 'b5a0b3e0-0000-4000-8000-000000000001' })],
  };
}

describe('translate: output passes Kong schema validation', () => {
  const variants: Array<{ flavor: RouterFlavor; mode: 'service' | 'mesh' | 'endpoints' }> = [
    { flavor: 'traditional_compatible', mode: 'service' },
    { flavor: 'traditional_compatible', mode: 'mesh' },
    { flavor: 'traditional_compatible', mode: 'endpoints' },
    { flavor: 'traditional', mode: 'endpoints' },
    { flavor: 'expressions', mode: 'service' },
    { flavor: 'expressions', mode: 'endpoints' },
  ];
  for (const { flavor, mode } of variants) {
    it(`router flavor ${flavor}, upstream mode ${mode}`, () => {
      const input = everything();
      // The traditional flavor allows no wildcard route SNIs (annotations.test.ts checks the failure).
      const annotations = input.ingresses[1]?.metadata?.annotations;
      if (flavor === 'traditional' && annotations) annotations[`${K}snis`] = 'b.example.com';
      const result = run(input, { routerFlavor: flavor, upstreamMode: mode });
      expect(result.failures).to.deep.equal([]);
      expect(allRoutes(result).length).to.be.at.least(8);
      expectKongAccepts(result, flavor);
    });
  }

  it('the validator is not vacuous: it rejects a broken route', () => {
    const config = structuredClone(run(everything()).config);
    const route = config.services[0]?.routes[0];
    if (route) route.paths = ['//double'];
    const verdict = validateDeclarativeConfig(config, { routerFlavor: 'traditional_compatible', flattenErrors: true });
    expect(verdict.ok).to.equal(false);
  });
});
