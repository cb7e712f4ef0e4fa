import { expect } from 'chai';
import type { V1Ingress, V1Service } from '@kubernetes/client-node';
import { allRoutes, ingress, PEM, rule, run, service, tlsSecret } from './builders.ts';
import type { TranslationFailure } from '../../src/translate/types.ts';

const healthy = () => ingress('healthy', { rules: [rule('ok.example.com', ['/', 'Prefix', 'ok', 80])] }, { namespace: 'other' });
const okService = () => service('ok', [{ port: 80 }], { namespace: 'other' });

function expectHealthyStillRoutes(result: ReturnType<typeof run>): void {
  expect(allRoutes(result).map((r) => r.name)).to.include('other.healthy.ok.ok.example.com.80');
}

function failureOf(result: ReturnType<typeof run>, name: string): TranslationFailure | undefined {
  return result.failures.find((f) => f.object.name === name);
}

describe('translate: bad input never throws and never spreads', () => {
  const badIngresses: Array<[string, V1Ingress, string]> = [
    ['rules that are not a list', { metadata: { name: 'bad', namespace: 'default' }, spec: { ingressClassName: 'kong', rules: 'oops' as unknown as [] } }, 'TranslationError'],
    ['a path with an unknown pathType', ingress('bad', { rules: [rule('a.com', ['/', 'Sometimes', 'ok', 80])] }), 'InvalidPath'],
    ['a backend without a service name', ingress('bad', { rules: [{ host: 'a.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: {} }] } }] }), 'InvalidBackend'],
    ['a backend port with neither number nor name', ingress('bad', { rules: [{ host: 'a.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'ok' } } }] } }] }), 'PortNotFound'],
    ['an IP address as host', ingress('bad', { rules: [rule('10.1.2.3', ['/', 'Prefix', 'ok', 80])] }), 'InvalidHost'],
    ['a regex path that does not compile', ingress('bad', { rules: [rule('a.com', ['/~/(', 'ImplementationSpecific', 'ok', 80])] }), 'InvalidPath'],
  ];
  for (const [name, bad, reason] of badIngresses) {
    it(`an Ingress with ${name}: ${reason}`, () => {
      const result = run({ ingresses: [bad, healthy()], services: [okService(), service('ok')] });
      expect(failureOf(result, 'bad')).to.deep.include({ reason, object: { kind: 'Ingress', namespace: 'default', name: 'bad' } });
      expect(failureOf(result, 'bad')?.message).to.be.a('string').that.is.not.empty;
      expectHealthyStillRoutes(result);
    });
  }

  it('an Ingress without spec or metadata name is skipped', () => {
    const result = run({ ingresses: [{ metadata: { namespace: 'default' } }, { metadata: { name: 'empty', namespace: 'default' } }, healthy()], services: [okService()] });
    expect(result.failures).to.deep.equal([]);
    expectHealthyStillRoutes(result);
  });

  it('a Service without spec is a missing port', () => {
    const bare: V1Service = { metadata: { name: 'bare', namespace: 'default' } };
    const result = run({ ingresses: [ingress('bad', { rules: [rule('a.com', ['/', 'Prefix', 'bare', 80])] }), healthy()], services: [bare, okService()] });
    expect(failureOf(result, 'bad')?.reason).to.equal('PortNotFound');
    expectHealthyStillRoutes(result);
  });

  it('a Secret with garbage data is InvalidCertificate on the Ingress and Secret', () => {
    const garbage = { ...tlsSecret('t', PEM.certA, PEM.keyA), data: { 'tls.crt': '!!!not base64!!!', 'tls.key': '@@@' } };
    const bad = ingress('bad', { tls: [{ hosts: ['a.com'], secretName: 't' }], rules: [rule('a.com', ['/', 'Prefix', 'ok', 80])] });
    const result = run({ ingresses: [bad, healthy()], services: [service('ok'), okService()], secrets: [garbage] });
    expect(result.failures.map((f) => `${f.object.kind}:${f.reason}`)).to.deep.equal(['Ingress:InvalidCertificate', 'Secret:InvalidCertificate']);
    expect(allRoutes(result)).to.have.length(2);
  });

  it('an ExternalName Service without externalName is refused', () => {
    const svc: V1Service = { metadata: { name: 'ext', namespace: 'default' }, spec: { type: 'ExternalName' } };
    const result = run({ ingresses: [ingress('bad', { rules: [rule('a.com', ['/', 'Prefix', 'ext', 80])] }), healthy()], services: [svc, okService()] });
    expect(failureOf(result, 'bad')?.reason).to.equal('ExternalNameRefused');
    expectHealthyStillRoutes(result);
  });

  it('EndpointSlices with odd content are tolerated', () => {
    const odd = { metadata: { name: 's', namespace: 'other', labels: { 'kubernetes.io/service-name': 'ok' } }, addressType: 'IPv4', endpoints: [{ addresses: [] }, { addresses: ['10.0.0.1'] }] };
    const result = run({ ingresses: [healthy()], services: [service('ok', [{ port: 80, targetPort: 8080 }], { namespace: 'other' })], endpointSlices: [odd] }, { upstreamMode: 'endpoints' });
    expect(result.config.upstreams[0]?.targets.map((t) => t.target)).to.deep.equal(['10.0.0.1:8080']);
  });
});
