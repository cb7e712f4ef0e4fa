import { expect } from 'chai';
import {
  allRoutes, endpointSlice, externalService, ingress, reasons, rule, run, service,
} from './builders.ts';

const webPorts = [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'admin', port: 9000, targetPort: 'admin-port' }];

function site(port: number | string, svc = 'web') {
  return ingress('site', { rules: [rule('a.example.com', ['/', 'Prefix', svc, port])] }, { namespace: 'shop' });
}

describe('translate: backends and upstream modes', () => {
  const web = service('web', webPorts, { namespace: 'shop', uid: 'svc-uid' });

  it('service mode (default): Kong service → cluster DNS name and Service port, no upstream', () => {
    const result = run({ ingresses: [site(80)], services: [web] });
    const [svc] = result.config.services;
    expect(svc).to.deep.include({ name: 'shop.web.80', host: 'web.shop.svc.cluster.local', port: 80, protocol: 'http', path: '/', retries: 5, connect_timeout: 60000, read_timeout: 60000, write_timeout: 60000 });
    expect(result.config.upstreams).to.deep.equal([]);
  });

  it('uses the configured cluster domain', () => {
    const result = run({ ingresses: [site(80)], services: [web] }, { clusterDomain: 'corp.internal' });
    expect(result.config.services[0]?.host).to.equal('web.shop.svc.corp.internal');
  });

  it('resolves a named port through the Service and keeps the name in entity names', () => {
    const result = run({ ingresses: [site('admin')], services: [web] });
    expect(result.config.services[0]).to.deep.include({ name: 'shop.web.admin', port: 9000 });
    expect(allRoutes(result)[0]?.name).to.equal('shop.site.web.a.example.com.admin');
  });

  it('mesh mode: legacy Kuma VIP name with the Service port, Kong port = VIP port', () => {
    const result = run({ ingresses: [site('admin')], services: [web] }, { upstreamMode: 'mesh', mesh: { domain: 'mesh', vipPort: 80, controlPlaneNamespace: 'kuma-system' } });
    expect(result.config.services[0]).to.deep.include({ host: 'web.shop.svc.9000.mesh', port: 80 });
    expect(result.config.upstreams).to.deep.equal([]);
  });

  it('endpoints mode: upstream named like KIC with the ready endpoints as sorted, unique targets', () => {
    const slices = [
      endpointSlice('web', [{ name: 'http', port: 8080 }, { name: 'admin', port: 9090 }], [{ ip: '10.0.0.2' }, { ip: '10.0.0.1', ready: true }, { ip: '10.0.0.9', ready: false }], { namespace: 'shop', sliceName: 'web-1' }),
      endpointSlice('web', [{ name: 'http', port: 8080 }], [{ ip: '10.0.0.2' }, { ip: 'fd00::1' }], { namespace: 'shop', sliceName: 'web-2' }),
      endpointSlice('other', [{ name: 'http', port: 8080 }], [{ ip: '10.9.9.9' }], { namespace: 'shop', sliceName: 'other-1' }),
    ];
    const result = run({ ingresses: [site(80)], services: [web], endpointSlices: slices }, { upstreamMode: 'endpoints' });
    expect(result.config.services[0]).to.deep.include({ host: 'web.shop.80.svc', port: 80 });
    const [upstream] = result.config.upstreams;
    expect(upstream?.name).to.equal('web.shop.80.svc');
    expect(upstream?.algorithm).to.equal('round-robin');
    expect(upstream?.targets.map((t) => t.target)).to.deep.equal(['10.0.0.1:8080', '10.0.0.2:8080', '[fd00::1]:8080']);
    expect(new Set(upstream?.targets.map((t) => t.id)).size).to.equal(3);
  });

  it('endpoints mode: picks the slice port by the Service port name (named targetPort)', () => {
    const slices = [endpointSlice('web', [{ name: 'http', port: 8080 }, { name: 'admin', port: 9090 }], [{ ip: '10.0.0.1' }], { namespace: 'shop' })];
    const result = run({ ingresses: [site('admin')], services: [web], endpointSlices: slices }, { upstreamMode: 'endpoints' });
    expect(result.config.upstreams[0]?.targets.map((t) => t.target)).to.deep.equal(['10.0.0.1:9090']);
  });

  it('endpoints mode: no ready endpoints → an upstream without targets and no failure', () => {
    const slices = [endpointSlice('web', [{ name: 'http', port: 8080 }], [{ ip: '10.0.0.1', ready: false }], { namespace: 'shop' })];
    const result = run({ ingresses: [site(80)], services: [web], endpointSlices: slices }, { upstreamMode: 'endpoints' });
    expect(result.config.upstreams[0]?.targets).to.deep.equal([]);
    expect(result.failures).to.deep.equal([]);
  });

  it('endpoints mode: service-upstream "true" → one ClusterIP-DNS target', () => {
    const svc = service('web', webPorts, { namespace: 'shop', annotations: { 'ingress.kubernetes.io/service-upstream': 'true' } });
    const slices = [endpointSlice('web', [{ name: 'http', port: 8080 }], [{ ip: '10.0.0.1' }], { namespace: 'shop' })];
    const result = run({ ingresses: [site(80)], services: [svc], endpointSlices: slices }, { upstreamMode: 'endpoints' });
    expect(result.config.upstreams[0]?.targets.map((t) => t.target)).to.deep.equal(['web.shop.svc.cluster.local:80']);
  });

  it('shares one Kong service between Ingresses that use the same Service and port', () => {
    const other = ingress('other', { rules: [rule('b.example.com', ['/', 'Prefix', 'web', 80])] }, { namespace: 'shop' });
    const result = run({ ingresses: [site(80), other], services: [web] });
    expect(result.config.services.map((s) => [s.name, s.routes.map((r) => r.name)])).to.deep.equal([
      ['shop.web.80', ['shop.other.web.b.example.com.80', 'shop.site.web.a.example.com.80']],
    ]);
  });

  const missing: Array<[string, ReturnType<typeof site>, string]> = [
    ['a missing Service', site(80, 'nope'), 'ServiceNotFound'],
    ['a missing port number', site(81), 'PortNotFound'],
    ['a missing port name', site('grpc'), 'PortNotFound'],
  ];
  for (const [name, ing, reason] of missing) {
    it(`reports ${name} as ${reason} on the Ingress and emits no route for it`, () => {
      const fine = ingress('fine', { rules: [rule('b.example.com', ['/', 'Prefix', 'web', 80])] }, { namespace: 'shop' });
      const result = run({ ingresses: [ing, fine], services: [web] });
      expect(reasons(result)).to.deep.equal([`Ingress/shop/site:${reason}`]);
      expect(allRoutes(result).map((r) => r.name)).to.deep.equal(['shop.fine.web.b.example.com.80']);
      expect(result.configured.map((r) => `${r.kind}/${r.name}`)).to.deep.equal(['Ingress/fine', 'Service/web']);
    });
  }

  it('reports resource backends as unsupported', () => {
    const ing = ingress('site', { rules: [{ host: 'a.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { resource: { apiGroup: 'x.io', kind: 'Bucket', name: 'b' } } }] } }] }, { namespace: 'shop' });
    const result = run({ ingresses: [ing], services: [web] });
    expect(reasons(result)).to.deep.equal(['Ingress/shop/site:UnsupportedBackend']);
    expect(allRoutes(result)).to.deep.equal([]);
  });
});

describe('translate: ExternalName Services', () => {
  const cases: Array<{ name: string; externalName: string; port: number; host: string; kongPort: number; allow?: string[] }> = [
    { name: 'legacy mesh VIP name (port 80 whatever the name carries)', externalName: 'frontend.kong.svc.8080.mesh', port: 8080, host: 'frontend.kong.svc.8080.mesh', kongPort: 80 },
    { name: 'legacy mesh name, normalised', externalName: 'Frontend.Kong.svc.80.mesh.', port: 80, host: 'frontend.kong.svc.80.mesh', kongPort: 80 },
    { name: 'MeshService name with the real port', externalName: 'frontend.kong.svc.zone-2.mesh.local', port: 8080, host: 'frontend.kong.svc.zone-2.mesh.local', kongPort: 8080 },
    { name: 'allow-listed exact name', externalName: 'api.partner.example', port: 443, host: 'api.partner.example', kongPort: 443, allow: ['api.partner.example'] },
    { name: 'allow-listed by *.suffix', externalName: 'eu.api.partner.example', port: 8443, host: 'eu.api.partner.example', kongPort: 8443, allow: ['*.partner.example'] },
  ];
  for (const c of cases) {
    it(`accepts a ${c.name}`, () => {
      const ing = ingress('site', { rules: [rule('a.example.com', ['/', 'Prefix', 'front', c.port])] }, { namespace: 'kong' });
      for (const mode of ['service', 'mesh', 'endpoints'] as const) {
        const result = run({ ingresses: [ing], services: [externalService('front', c.externalName, { namespace: 'kong' })] }, { upstreamMode: mode, externalNameAllow: c.allow ?? [] });
        expect(result.failures, mode).to.deep.equal([]);
        expect(result.config.services[0], mode).to.deep.include({ name: `kong.front.${c.port}`, host: c.host, port: c.kongPort });
        expect(result.config.upstreams, mode).to.deep.equal([]);
      }
    });
  }

  const refused: Array<[string, string[]]> = [
    ['kubernetes.default.svc.cluster.local', []],
    ['169.254.169.254', []],
    ['redis.mesh', []],
    ['partner.example', ['*.partner.example']],
    ['evil.example', ['api.partner.example']],
  ];
  for (const [externalName, allow] of refused) {
    it(`refuses ${externalName}${allow.length ? ` with allow ${allow.join(',')}` : ''} on the Ingress and the Service`, () => {
      const ing = ingress('site', { rules: [rule('a.example.com', ['/', 'Prefix', 'front', 80], ['/web', 'Prefix', 'web', 80])] }, { namespace: 'kong' });
      const result = run({ ingresses: [ing], services: [externalService('front', externalName, { namespace: 'kong' }), service('web', [{ port: 80 }], { namespace: 'kong' })] }, { externalNameAllow: allow });
      expect(reasons(result)).to.deep.equal(['Ingress/kong/site:ExternalNameRefused', 'Service/kong/front:ExternalNameRefused']);
      expect(result.failures[0]?.message).to.contain(externalName);
      expect(result.config.services.map((s) => s.name), 'the other path still routes').to.deep.equal(['kong.web.80']);
    });
  }

  it('needs a numeric backend port, or one the ExternalName Service declares by name', () => {
    const ing = ingress('site', { rules: [rule('a.example.com', ['/', 'Prefix', 'front', 'http'])] }, { namespace: 'kong' });
    const result = run({ ingresses: [ing], services: [externalService('front', 'frontend.kong.svc.80.mesh', { namespace: 'kong' })] });
    expect(reasons(result)).to.deep.equal(['Ingress/kong/site:PortNotFound']);
    expect(result.failures[0]?.message).to.contain('spec.ports');
  });

  // Multi-zone with MeshService names: one zone's MeshService and a
  // MeshMultiZoneService, each on its real port (a number, or a port the
  // ExternalName Service declares by name); never rewritten to the VIP port.
  const meshServiceNames: Array<[string, number | string, number]> = [
    ['frontend.kong.svc.zone-2.mesh.local', 8080, 8080],
    ['frontend.mzsvc.mesh.local', 'http', 9090],
    ['frontend.kong.svc.zone-1.mesh.local', 'http', 9090],
  ];
  for (const [externalName, port, want] of meshServiceNames) {
    it(`sends ${externalName} (backend port ${port}) to its real port ${want}`, () => {
      const ing = ingress('site', { rules: [rule('a.example.com', ['/', 'Prefix', 'front', port])] }, { namespace: 'kong' });
      const svc = { ...externalService('front', externalName, { namespace: 'kong' }) };
      svc.spec = { ...svc.spec, ports: [{ name: 'http', port: 9090 }] };
      const result = run({ ingresses: [ing], services: [svc] }, { upstreamMode: 'mesh' });
      expect(result.failures).to.deep.equal([]);
      expect(result.config.services[0]).to.deep.include({ host: externalName, port: want });
    });
  }

  it('uses the configured mesh domain and VIP port', () => {
    const ing = ingress('site', { rules: [rule('a.example.com', ['/', 'Prefix', 'front', 80])] }, { namespace: 'kong' });
    const services = [externalService('front', 'frontend.kong.svc.80.kuma', { namespace: 'kong' })];
    const result = run({ ingresses: [ing], services }, { mesh: { domain: 'kuma', vipPort: 8081, controlPlaneNamespace: 'kuma-system' } });
    expect(result.config.services[0]).to.deep.include({ host: 'frontend.kong.svc.80.kuma', port: 8081 });
    expect(reasons(run({ ingresses: [ing], services }))).to.include('Service/kong/front:ExternalNameRefused');
  });
});
