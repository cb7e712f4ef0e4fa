import { expect } from 'chai';
import { normaliseDnsName, parseMeshAddress } from '../../src/model/mesh-address.ts';

describe('parseMeshAddress', () => {
  const legacy = [
    { name: 'frontend.kong.svc.80.mesh', service: 'frontend', namespace: 'kong', port: 80 },
    { name: 'frontend_kong_svc_8080.mesh', service: 'frontend', namespace: 'kong', port: 8080 },
    { name: 'Frontend.Kong.SVC.80.MESH.', service: 'frontend', namespace: 'kong', port: 80 },
    { name: 'a-b.c-d.svc.65535.mesh', service: 'a-b', namespace: 'c-d', port: 65535 },
    { name: 'x.y.svc.1.mesh', service: 'x', namespace: 'y', port: 1 },
  ];
  for (const c of legacy) {
    it(`reads the legacy VIP name ${c.name}`, () => {
      expect(parseMeshAddress(c.name, { domain: 'mesh' })).to.deep.equal({
        kind: 'legacy', service: c.service, namespace: c.namespace, port: c.port,
      });
    });
  }

  const meshService = [
    { name: 'frontend.kong.svc.zone-1.mesh.local', host: 'frontend.kong.svc.zone-1.mesh.local' },
    { name: 'redis.svc.mesh.local.', host: 'redis.svc.mesh.local' },
    { name: 'Api.MZSVC.mesh.local', host: 'api.mzsvc.mesh.local' },
  ];
  for (const c of meshService) {
    it(`reads the MeshService name ${c.name}`, () => {
      expect(parseMeshAddress(c.name, { domain: 'mesh' })).to.deep.equal({ kind: 'meshService', host: c.host });
    });
  }

  const rejected = [
    'frontend.kong.svc.0.mesh', // port 0
    'frontend.kong.svc.65536.mesh', // port out of range
    'frontend.kong.svc.123456.mesh', // more than 5 digits
    'frontend_kong.svc.80.mesh', // mixed separators
    'frontend.kong.svc.http.mesh', // named port
    'frontend.kong.80.mesh', // no svc label
    'redis.mesh', // Universal tag name: not a Kubernetes Service
    '-bad.kong.svc.80.mesh', // label starts with a dash
    'frontend.kong.svc.80.mesh.evil.com', // mesh is not the suffix
    'frontend.kong.svc.cluster.local', // plain cluster DNS
    'mesh.local', // nothing before the suffix
    'a_b.mesh.local', // underscore is not a DNS label character
    '',
  ];
  for (const name of rejected) {
    it(`rejects ${JSON.stringify(name)}`, () => {
      expect(parseMeshAddress(name, { domain: 'mesh' })).to.equal(null);
    });
  }

  it('uses the configured Kuma DNS domain', () => {
    expect(parseMeshAddress('frontend.kong.svc.80.kuma', { domain: 'kuma' })).to.deep.include({ kind: 'legacy', port: 80 });
    expect(parseMeshAddress('frontend.kong.svc.80.mesh', { domain: 'kuma' })).to.equal(null);
    expect(parseMeshAddress('frontend.kong.svc.z.kuma.local', { domain: 'kuma' })).to.deep.include({ kind: 'meshService' });
  });

  it('treats regex characters in the domain literally', () => {
    expect(parseMeshAddress('frontend.kong.svc.80.mXsh', { domain: 'm.sh' })).to.equal(null);
  });
});

describe('normaliseDnsName', () => {
  it('lower-cases and strips exactly one trailing dot', () => {
    expect(normaliseDnsName('Foo.COM.')).to.equal('foo.com');
    expect(normaliseDnsName('foo.com..')).to.equal('foo.com.');
  });
});
