import { expect } from 'chai';
import { stringify } from 'yaml';
import { kongEntityId } from '../../src/model/index.ts';
import { createTranslator } from '../../src/translate/index.ts';
import {
  allRoutes, endpointSlice, ingress, PEM, rule, run, service, settings, snapshot, tlsSecret,
} from './builders.ts';

function shop() {
  return {
    ingresses: [
      ingress('zeta', { rules: [rule('z.example.com', ['/b', 'Prefix', 'web', 80], ['/a', 'Exact', 'web', 80]), rule('*.example.com', ['/', 'Prefix', 'api', 'http'])] }, { namespace: 'shop', uid: 'ing-uid', created: '2024-01-01T00:00:00Z' }),
      ingress('alpha', { tls: [{ hosts: ['a.example.com'], secretName: 'tls' }], rules: [rule('a.example.com', ['/', 'Prefix', 'web', 80])] }, { namespace: 'shop', created: '2024-01-02T00:00:00Z' }),
    ],
    services: [
      service('web', [{ port: 80 }], { namespace: 'shop', uid: 'web-uid' }),
      service('api', [{ name: 'http', port: 8080 }], { namespace: 'shop' }),
    ],
    endpointSlices: [endpointSlice('web', [{ port: 8080 }], [{ ip: '10.0.0.2' }, { ip: '10.0.0.1' }], { namespace: 'shop' })],
    secrets: [tlsSecret('tls', PEM.certA, PEM.keyA, { namespace: 'shop', uid: 'secret-uid' })],
  };
}

describe('translate: output', () => {
  it('tags every entity with its source object and the ownership tag, sorted', () => {
    const result = run(shop(), { upstreamMode: 'endpoints' });
    const web = result.config.services.find((s) => s.name === 'shop.web.80');
    expect(web?.tags).to.deep.equal(['k8s-kind:Service', 'k8s-name:web', 'k8s-namespace:shop', 'k8s-uid:web-uid', 'managed-by:meshdoor']);
    expect(web?.routes[0]?.tags).to.deep.equal(['k8s-kind:Ingress', 'k8s-name:alpha', 'k8s-namespace:shop', 'managed-by:meshdoor']);
    expect(result.config.services.find((s) => s.name === 'shop.api.http')?.routes[0]?.tags).to.include('k8s-uid:ing-uid');
    const upstream = result.config.upstreams.find((u) => u.name === 'web.shop.80.svc');
    expect(upstream?.tags).to.deep.equal(web?.tags);
    expect(upstream?.targets[0]?.tags).to.deep.equal(web?.tags);
    const cert = result.config.certificates[0];
    expect(cert?.tags).to.deep.equal(['k8s-kind:Secret', 'k8s-name:tls', 'k8s-namespace:shop', 'k8s-uid:secret-uid', 'managed-by:meshdoor']);
    expect(cert?.snis[0]?.tags).to.deep.equal(cert?.tags);
  });

  it('names and ids entities as KIC does', () => {
    const result = run(shop());
    expect(result.config.services.map((s) => [s.name, s.id])).to.deep.equal([
      ['shop.api.http', kongEntityId('services', 'shop.api.http')],
      ['shop.web.80', kongEntityId('services', 'shop.web.80')],
    ]);
    expect(allRoutes(result).map((r) => [r.name, r.id])).to.deep.equal([
      ['shop.zeta.api._.example.com.http', kongEntityId('routes', 'shop.zeta.api._.example.com.http')],
      ['shop.alpha.web.a.example.com.80', kongEntityId('routes', 'shop.alpha.web.a.example.com.80')],
      ['shop.zeta.web.z.example.com.80', kongEntityId('routes', 'shop.zeta.web.z.example.com.80')],
      ['shop.zeta.web.z.example.com.80.exact', kongEntityId('routes', 'shop.zeta.web.z.example.com.80.exact')],
    ]);
  });

  it('is byte-stable whatever the order of the input', () => {
    const base = shop();
    const reversed = {
      ingresses: [...base.ingresses].reverse(),
      services: [...base.services].reverse(),
      endpointSlices: base.endpointSlices,
      secrets: base.secrets,
    };
    for (const mode of ['service', 'endpoints'] as const) {
      const a = run(base, { upstreamMode: mode });
      const b = run(reversed, { upstreamMode: mode });
      expect(stringify(b)).to.equal(stringify(a));
    }
  });

  it('lists configured Ingresses, Services and Secrets, sorted', () => {
    const parts = shop();
    parts.ingresses.push(ingress('broken', { rules: [rule('x.com', ['/', 'Prefix', 'missing', 80])] }, { namespace: 'shop' }));
    const result = run(parts);
    expect(result.configured.map((r) => `${r.kind}/${r.namespace ?? ''}/${r.name}`)).to.deep.equal([
      'Ingress/shop/alpha', 'Ingress/shop/zeta', 'Secret/shop/tls', 'Service/shop/api', 'Service/shop/web',
    ]);
    expect(result.configured.find((r) => r.name === 'web')?.uid).to.equal('web-uid');
  });

  it('sorts failures by object, then reason', () => {
    const result = run({
      ingresses: [
        ingress('b', { rules: [rule('x.com', ['/', 'Prefix', 'missing', 80], ['/y', 'Prefix', 'web', 81])] }),
        ingress('a', { rules: [rule('x.com', ['/z', 'Prefix', 'missing', 80])] }),
      ],
      services: [service('web')],
    });
    expect(result.failures.map((f) => `${f.object.name}:${f.reason}`)).to.deep.equal(['a:ServiceNotFound', 'b:PortNotFound', 'b:ServiceNotFound']);
  });

  describe('exclude', () => {
    it('removes an excluded Ingress and its routes, and a Service left without routes', () => {
      const result = run(shop(), {}, ['Ingress/shop/alpha']);
      expect(allRoutes(result).map((r) => r.name)).to.not.include('shop.alpha.web.a.example.com.80');
      expect(result.config.certificates, 'its TLS section goes too').to.deep.equal([]);
      const onlyAlpha = run({ ...shop(), ingresses: [shop().ingresses[1] ?? ingress('x', {})] }, {}, ['Ingress/shop/alpha']);
      expect(onlyAlpha.config.services).to.deep.equal([]);
    });

    it('removes the routes pointing at an excluded Service, without failures', () => {
      const result = run(shop(), {}, ['Service/shop/web']);
      expect(result.config.services.map((s) => s.name)).to.deep.equal(['shop.api.http']);
      expect(result.failures).to.deep.equal([]);
      expect(result.configured.map((r) => r.name)).to.not.include('web');
    });

    it('removes the certificate of an excluded Secret, keeping the routes', () => {
      const result = run(shop(), {}, ['Secret/shop/tls']);
      expect(result.config.certificates).to.deep.equal([]);
      expect(allRoutes(result)).to.have.length(4);
      expect(result.failures).to.deep.equal([]);
    });
  });

  it('does not modify its input', () => {
    const parts = shop();
    const before = JSON.stringify(parts);
    createTranslator().translate(snapshot(parts), { settings: settings({ upstreamMode: 'endpoints' }) });
    expect(JSON.stringify(parts)).to.equal(before);
  });
});
