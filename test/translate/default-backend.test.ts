import { expect } from 'chai';
import { allRoutes, ingress, reasons, routeNamed, rule, run, service } from './builders.ts';

const backend = (name: string) => ({ service: { name, port: { number: 80 } } });

describe('translate: spec.defaultBackend', () => {
  it('becomes a host-less `/` route named <ns>.<ingress> with KIC defaults', () => {
    const result = run({ ingresses: [ingress('fallback', { defaultBackend: backend('web') })], services: [service('web')] });
    const route = routeNamed(result, 'default.fallback');
    expect(route).to.deep.include({ paths: ['/'], regex_priority: 0, strip_path: false, preserve_host: true });
    expect(route).to.not.have.property('hosts');
    expect(route.service.name).to.equal('default.web.80');
  });

  it('uses only the oldest Ingress\'s default backend and reports the others', () => {
    const result = run({
      ingresses: [
        ingress('newer', { defaultBackend: backend('b') }, { created: '2024-02-01T00:00:00Z' }),
        ingress('older', { defaultBackend: backend('a') }, { created: '2024-01-01T00:00:00Z' }),
      ],
      services: [service('a'), service('b')],
    });
    expect(allRoutes(result).map((r) => r.name)).to.deep.equal(['default.older']);
    expect(reasons(result)).to.deep.equal(['Ingress/default/newer:DefaultBackendConflict']);
    expect(result.failures[0]?.message).to.contain('default/older');
  });

  it('reports a missing default backend Service', () => {
    const result = run({ ingresses: [ingress('fallback', { defaultBackend: backend('nope') })] });
    expect(reasons(result)).to.deep.equal(['Ingress/default/fallback:ServiceNotFound']);
    expect(result.config.services).to.deep.equal([]);
  });

  it('sits next to rules of the same Ingress, sharing the Kong service', () => {
    const ing = ingress('site', { defaultBackend: backend('web'), rules: [rule('a.com', ['/api', 'Prefix', 'web', 80])] });
    const result = run({ ingresses: [ing], services: [service('web')] });
    expect(result.config.services.map((s) => s.routes.map((r) => r.name))).to.deep.equal([['default.site', 'default.site.web.a.com.80']]);
  });

  it('is left out when a host-less Prefix / rule already catches everything', () => {
    const ing = ingress('site', { defaultBackend: backend('web'), rules: [rule(undefined, ['/', 'Prefix', 'other', 80])] });
    const result = run({ ingresses: [ing], services: [service('web'), service('other')] });
    expect(allRoutes(result).map((r) => r.name)).to.deep.equal(['default.site.other..80']);
  });
});
