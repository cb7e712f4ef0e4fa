import { expect } from 'chai';
import { allRoutes, ingress, reasons, routeNamed, rule, run, service } from './builders.ts';
import type { PathSpec } from './builders.ts';

function claim(name: string, created: string, host: string, ...paths: PathSpec[]) {
  return ingress(name, { rules: [rule(host, ...paths)] }, { created });
}

describe('translate: conflicts between Ingresses', () => {
  const services = [service('old-svc'), service('new-svc')];

  it('gives a host + path + pathType to the older Ingress and reports PathConflict on the newer', () => {
    const result = run({
      ingresses: [
        claim('newer', '2024-02-01T00:00:00Z', 'a.com', ['/api', 'Prefix', 'new-svc', 80], ['/other', 'Prefix', 'new-svc', 80]),
        claim('older', '2024-01-01T00:00:00Z', 'a.com', ['/api/', 'Prefix', 'old-svc', 80]),
      ],
      services,
    });
    expect(reasons(result)).to.deep.equal(['Ingress/default/newer:PathConflict']);
    expect(result.failures[0]?.message).to.contain('Ingress default/older').and.to.contain('/api').and.to.contain("host 'a.com'");
    expect(routeNamed(result, 'default.older.old-svc.a.com.80').paths).to.deep.equal(['/api/', '~/api$']);
    expect(routeNamed(result, 'default.newer.new-svc.a.com.80').paths, 'the rest of the loser still translates').to.deep.equal(['/other/', '~/other$']);
  });

  it('breaks creation-time ties by namespace/name', () => {
    const result = run({
      ingresses: [claim('b', '2024-01-01T00:00:00Z', 'a.com', ['/', 'Prefix', 'new-svc', 80]), claim('a', '2024-01-01T00:00:00Z', 'a.com', ['/', 'Prefix', 'old-svc', 80])],
      services,
    });
    expect(reasons(result)).to.deep.equal(['Ingress/default/b:PathConflict']);
    expect(allRoutes(result).map((r) => r.name)).to.deep.equal(['default.a.old-svc.a.com.80']);
  });

  const noConflict: Array<[string, PathSpec, PathSpec, string, string]> = [
    ['same path, different pathType', ['/api', 'Prefix', 'old-svc', 80], ['/api', 'Exact', 'new-svc', 80], 'a.com', 'a.com'],
    ['Exact /foo and Exact /foo/', ['/foo', 'Exact', 'old-svc', 80], ['/foo/', 'Exact', 'new-svc', 80], 'a.com', 'a.com'],
    ['same path on different hosts', ['/api', 'Prefix', 'old-svc', 80], ['/api', 'Prefix', 'new-svc', 80], 'a.com', 'b.com'],
  ];
  for (const [name, first, second, hostA, hostB] of noConflict) {
    it(`no conflict: ${name}`, () => {
      const result = run({ ingresses: [claim('older', '2024-01-01T00:00:00Z', hostA, first), claim('newer', '2024-02-01T00:00:00Z', hostB, second)], services });
      expect(result.failures).to.deep.equal([]);
      expect(allRoutes(result)).to.have.length(2);
    });
  }

  it('reports the same path twice in one Ingress with different backends', () => {
    const result = run({ ingresses: [claim('site', '2024-01-01T00:00:00Z', 'a.com', ['/x', 'Prefix', 'old-svc', 80], ['/x', 'Prefix', 'new-svc', 80])], services });
    expect(reasons(result)).to.deep.equal(['Ingress/default/site:PathConflict']);
    expect(result.failures[0]?.message).to.contain('an earlier rule of this Ingress');
  });

  it('merges the same path repeated with the same backend silently', () => {
    const result = run({ ingresses: [claim('site', '2024-01-01T00:00:00Z', 'a.com', ['/x', 'Prefix', 'old-svc', 80], ['/x/', 'Prefix', 'old-svc', 80])], services });
    expect(result.failures).to.deep.equal([]);
    expect(allRoutes(result)[0]?.paths).to.deep.equal(['/x/', '~/x$']);
  });

  it('lets the conflict go to the next claimant when the older one cannot be routed', () => {
    const result = run({
      ingresses: [claim('older', '2024-01-01T00:00:00Z', 'a.com', ['/', 'Prefix', 'missing', 80]), claim('newer', '2024-02-01T00:00:00Z', 'a.com', ['/', 'Prefix', 'new-svc', 80])],
      services,
    });
    expect(reasons(result)).to.deep.equal(['Ingress/default/older:ServiceNotFound']);
    expect(allRoutes(result).map((r) => r.name)).to.deep.equal(['default.newer.new-svc.a.com.80']);
  });

  it('does not call the winner "older" when the Ingresses have no creationTimestamp (offline manifests)', () => {
    const spec = { rules: [rule('a.com', ['/api', 'Prefix', 'web', 80])] };
    const result = run({ ingresses: [ingress('b', spec), ingress('a', spec)], services: [service('web')] });
    expect(result.failures).to.have.length(1);
    expect(result.failures[0]?.message).to.include('Ingress default/a (first by namespace/name, as the Ingresses have no creationTimestamp)')
      .and.not.include('older');
  });
});
