import { expect } from 'chai';
import { settingsFromMeshDoor } from '../../src/config/meshdoor-spec.ts';
import { DEFAULT_SETTINGS } from '../../src/config/settings.ts';

describe('settingsFromMeshDoor', () => {
  it('gives the defaults without a MeshDoor or spec', () => {
    expect(settingsFromMeshDoor(undefined)).to.deep.equal(DEFAULT_SETTINGS);
    expect(settingsFromMeshDoor({ metadata: { name: 'x' } })).to.deep.equal({ ...DEFAULT_SETTINGS, name: 'x' });
  });

  it('reads every spec field', () => {
    const settings = settingsFromMeshDoor({
      metadata: { name: 'edge' },
      spec: {
        ingressClass: 'edge', controllerName: 'example.com/edge', upstreamMode: 'mesh', clusterDomain: 'corp.local', routerFlavor: 'expressions',
        mesh: { name: 'prod', domain: 'kuma', vipPort: 8080, controlPlaneNamespace: 'mesh-system' },
        externalNameAllow: ['api.partner.example', '*.cdn.example'],
        gateway: { namespace: 'gw', deployment: 'kong', labelNamespace: true, manageTokenVolume: true },
        kongAdmin: {
          service: 'gw/kong-admin', portName: 'admin-tls', urls: ['https://10.0.0.1:8444'],
          tls: { certificates: 'provided', caSecret: 'ca', servingSecret: 'serving', clientSecret: 'client' },
        },
        publishService: 'gw/kong-proxy', publishAddresses: ['203.0.113.7', 'lb.example.com'],
        serveLastValid: false,
        hosts: { ownership: 'Namespace' },
        somethingNewer: true,
      },
    });
    expect(settings).to.deep.equal({
      name: 'edge', ingressClass: 'edge', controllerName: 'example.com/edge', upstreamMode: 'mesh', clusterDomain: 'corp.local', routerFlavor: 'expressions',
      mesh: { name: 'prod', domain: 'kuma', vipPort: 8080, controlPlaneNamespace: 'mesh-system' },
      externalNameAllow: ['api.partner.example', '*.cdn.example'],
      gateway: { namespace: 'gw', deployment: 'kong', labelNamespace: true, manageTokenVolume: true },
      kongAdmin: {
        service: 'gw/kong-admin', portName: 'admin-tls', urls: ['https://10.0.0.1:8444'],
        tls: { certificates: 'provided', caSecret: 'ca', servingSecret: 'serving', clientSecret: 'client' },
      },
      publishService: 'gw/kong-proxy', publishAddresses: ['203.0.113.7', 'lb.example.com'],
      serveLastValid: false,
      hostOwnership: 'Namespace',
    });
  });

  const invalid: Array<[Record<string, unknown>, string]> = [
    [{ upstreamMode: 'direct' }, 'spec.upstreamMode'],
    [{ routerFlavor: 'atc' }, 'spec.routerFlavor'],
    [{ serveLastValid: 'no' }, 'spec.serveLastValid'],
    [{ hosts: { ownership: 'namespace' } }, 'spec.hosts.ownership'],
    [{ hosts: 'Namespace' }, 'spec.hosts'],
    [{ ingressClass: 'Kong!' }, 'spec.ingressClass'],
    [{ controllerName: 'no-slash' }, 'spec.controllerName'],
    [{ clusterDomain: 42 }, 'spec.clusterDomain'],
    [{ mesh: { vipPort: 0 } }, 'spec.mesh.vipPort'],
    [{ mesh: { controlPlaneNamespace: 'Kuma System' } }, 'spec.mesh.controlPlaneNamespace'],
    [{ gateway: { manageTokenVolume: 'yes' } }, 'spec.gateway.manageTokenVolume'],
    [{ mesh: { vipPort: '80' } }, 'spec.mesh.vipPort'],
    [{ mesh: { domain: '.mesh' } }, 'spec.mesh.domain'],
    [{ mesh: 'default' }, 'spec.mesh'],
    [{ externalNameAllow: 'a.com' }, 'spec.externalNameAllow'],
    [{ externalNameAllow: ['ok.com', '*'] }, 'spec.externalNameAllow[1]'],
    [{ gateway: { labelNamespace: 'yes' } }, 'spec.gateway.labelNamespace'],
    [{ gateway: { namespace: 'a.b' } }, 'spec.gateway.namespace'],
    [{ kongAdmin: { service: 'kong-admin' } }, 'spec.kongAdmin.service'],
    [{ kongAdmin: { urls: ['ftp://x'] } }, 'spec.kongAdmin.urls[0]'],
    [{ kongAdmin: { tls: { certificates: 'self-signed' } } }, 'spec.kongAdmin.tls.certificates'],
    [{ kongAdmin: { tls: { clientSecret: 'Client_Cert' } } }, 'spec.kongAdmin.tls.clientSecret'],
    [{ publishService: 'a/b/c' }, 'spec.publishService'],
    [{ publishAddresses: ['not an address'] }, 'spec.publishAddresses[0]'],
  ];
  for (const [spec, field] of invalid) {
    it(`rejects ${JSON.stringify(spec)} naming ${field}`, () => {
      expect(() => settingsFromMeshDoor({ metadata: { name: 'edge' }, spec })).to.throw(Error, `MeshDoor edge: ${field} must be`);
    });
  }
});
