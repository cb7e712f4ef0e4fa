import { expect } from 'chai';
import { kongEntityId } from '../../src/model/index.ts';
import { createTranslator } from '../../src/translate/index.ts';
import { readKeyPair } from '../../src/translate/tls.ts';
import { allRoutes, ingress, PEM, reasons, rule, run, service, settings, snapshot, tlsSecret } from './builders.ts';

function secured(name: string, hosts: string[], secretName: string, created?: string) {
  return ingress(name, {
    tls: [{ hosts, secretName }],
    rules: hosts.map((host) => rule(host, ['/', 'Prefix', 'web', 80])),
  }, created ? { created } : {});
}

describe('translate: TLS', () => {
  const web = service('web');

  it('turns a TLS section into a certificate with SNIs, id = Secret UID, tags of the Secret', () => {
    const secret = tlsSecret('site-tls', PEM.certA, PEM.keyA, { uid: '8d2a0d6c-0000-4000-8000-000000000001' });
    const result = run({ ingresses: [secured('site', ['b.example.com', 'a.example.com'], 'site-tls')], services: [web], secrets: [secret] });
    expect(result.failures).to.deep.equal([]);
    const [cert] = result.config.certificates;
    expect(cert?.id).to.equal('8d2a0d6c-0000-4000-8000-000000000001');
    expect(cert?.cert).to.equal(PEM.certA);
    expect(cert?.key).to.equal(PEM.keyA);
    expect(cert?.snis.map((s) => [s.name, s.id])).to.deep.equal([
      ['a.example.com', kongEntityId('snis', 'a.example.com')],
      ['b.example.com', kongEntityId('snis', 'b.example.com')],
    ]);
    expect(cert?.tags).to.include('k8s-kind:Secret').and.to.include('k8s-name:site-tls').and.to.include('k8s-uid:8d2a0d6c-0000-4000-8000-000000000001');
    expect(result.configured.map((r) => r.kind)).to.deep.equal(['Ingress', 'Secret', 'Service']);
  });

  it('derives the certificate id from the Secret name when it has no UID', () => {
    const result = run({ ingresses: [secured('site', ['a.example.com'], 'site-tls')], services: [web], secrets: [tlsSecret('site-tls', PEM.certA, PEM.keyA)] });
    expect(result.config.certificates[0]?.id).to.equal(kongEntityId('certificates', 'default/site-tls'));
  });

  it('does not change route protocols (TLS adds no redirect)', () => {
    const result = run({ ingresses: [secured('site', ['a.example.com'], 'site-tls')], services: [web], secrets: [tlsSecret('site-tls', PEM.certA, PEM.keyA)] });
    expect(allRoutes(result)[0]?.protocols).to.deep.equal(['http', 'https']);
  });

  it('merges hosts of several Ingresses sharing one Secret into one certificate', () => {
    const result = run({
      ingresses: [secured('one', ['a.example.com'], 'shared'), secured('two', ['b.example.com'], 'shared')],
      services: [web], secrets: [tlsSecret('shared', PEM.certA, PEM.keyA)],
    });
    expect(result.config.certificates.map((c) => c.snis.map((s) => s.name))).to.deep.equal([['a.example.com', 'b.example.com']]);
    expect(result.failures).to.deep.equal([]);
  });

  const broken: Array<[string, ReturnType<typeof tlsSecret>, string]> = [
    ['a key that does not match the certificate', tlsSecret('site-tls', PEM.certA, PEM.keyB), 'does not match'],
    ['a certificate that is not PEM', tlsSecret('site-tls', 'not a cert', PEM.keyA), 'not a PEM certificate'],
    ['a corrupt certificate body', tlsSecret('site-tls', PEM.certA.replace(/[A-Za-z]{10}\n/, 'AAAAAAAAAA\n'), PEM.keyA), 'certificate'],
    ['a key that is not a key', tlsSecret('site-tls', PEM.certA, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'), 'tls.key'],
    ['a Secret of another type', { ...tlsSecret('site-tls', PEM.certA, PEM.keyA), type: 'Opaque' }, 'kubernetes.io/tls'],
    ['a Secret without tls.key', { ...tlsSecret('site-tls', PEM.certA, PEM.keyA), data: { 'tls.crt': Buffer.from(PEM.certA).toString('base64') } }, 'tls.key'],
    // Kong accepts these two but then fails the TLS handshake for every SNI of the Secret.
    ['a valid certificate followed by a broken PEM block', tlsSecret('site-tls', `${PEM.certA}-----BEGIN CERTIFICATE-----\nAAAAAAAA\n-----END CERTIFICATE-----\n`, PEM.keyA),
      'tls.crt PEM block 2 of 2 does not parse as an X.509 certificate; Kong would accept the Secret but fail the TLS handshake'],
    ['a chain whose second block has no END line', tlsSecret('site-tls', `${PEM.certA}-----BEGIN CERTIFICATE-----\nAAAA\n`, PEM.keyA), 'without its END line'],
    ['a private key pasted into tls.crt', tlsSecret('site-tls', `${PEM.certA}${PEM.keyA}`, PEM.keyA), 'is a PRIVATE KEY, not a CERTIFICATE'],
    ['a DSA certificate', tlsSecret('site-tls', PEM.certDsa, PEM.keyDsa), 'is a DSA certificate'],
  ];
  for (const [name, secret, words] of broken) {
    it(`reports ${name} on the Ingress and the Secret, and still serves the routes`, () => {
      const result = run({ ingresses: [secured('site', ['a.example.com'], 'site-tls')], services: [web], secrets: [secret] });
      expect(reasons(result)).to.deep.equal(['Ingress/default/site:InvalidCertificate', 'Secret/default/site-tls:InvalidCertificate']);
      expect(result.failures[0]?.message).to.contain(words);
      expect(result.failures[0]?.message, 'never echoes key material').to.not.contain('BEGIN');
      expect(result.config.certificates).to.deep.equal([]);
      expect(allRoutes(result)).to.have.length(1);
    });
  }

  it('reports a missing Secret on the Ingress and still serves the routes', () => {
    const result = run({ ingresses: [secured('site', ['a.example.com'], 'nope')], services: [web] });
    expect(reasons(result)).to.deep.equal(['Ingress/default/site:SecretNotFound']);
    expect(allRoutes(result)).to.have.length(1);
  });

  it('looks the Secret up in the Ingress namespace only', () => {
    const elsewhere = tlsSecret('site-tls', PEM.certA, PEM.keyA, { namespace: 'other' });
    const result = run({ ingresses: [secured('site', ['a.example.com'], 'site-tls')], services: [web], secrets: [elsewhere] });
    expect(reasons(result)).to.deep.equal(['Ingress/default/site:SecretNotFound']);
  });

  it('gives a host claimed by two Secrets to the oldest Ingress', () => {
    const result = run({
      ingresses: [
        secured('newer', ['a.example.com'], 'tls-b', '2024-02-01T00:00:00Z'),
        secured('older', ['a.example.com'], 'tls-a', '2024-01-01T00:00:00Z'),
      ],
      services: [web],
      secrets: [tlsSecret('tls-a', PEM.certA, PEM.keyA, { uid: 'uid-a' }), tlsSecret('tls-b', PEM.certB, PEM.keyB, { uid: 'uid-b' })],
    });
    expect(result.config.certificates.map((c) => [c.id, c.snis.map((s) => s.name)])).to.deep.equal([['uid-a', ['a.example.com']]]);
    expect(reasons(result)).to.include('Ingress/default/newer:HostConflict');
    expect(result.failures.find((f) => f.reason === 'HostConflict')?.message).to.contain('default/tls-a').and.to.contain('default/older');
  });

  it('skips TLS entries without hosts or secretName, as KIC does', () => {
    const ing = ingress('site', { tls: [{ secretName: 'site-tls' }, { hosts: ['a.example.com'] }], rules: [rule('a.example.com', ['/', 'Prefix', 'web', 80])] });
    const result = run({ ingresses: [ing], services: [web], secrets: [tlsSecret('site-tls', PEM.certA, PEM.keyA)] });
    expect(result.config.certificates).to.deep.equal([]);
    expect(result.failures).to.deep.equal([]);
  });

  it('accepts a certificate followed by its intermediate', () => {
    expect(readKeyPair(tlsSecret('x', `${PEM.certA}${PEM.certB}`, PEM.keyA))).to.deep.equal({ cert: `${PEM.certA}${PEM.certB}`, key: PEM.keyA });
  });

  it('reads a re-listed Secret (a new object, same data) as before, and other data anew, whatever a translator read before', () => {
    const translator = createTranslator();
    const options = { settings: settings() };
    const passWith = (secret: ReturnType<typeof tlsSecret>) =>
      translator.translate(snapshot({ ingresses: [secured('site', ['a.example.com'], 'site-tls')], services: [web], secrets: [secret] }), options);
    const good = tlsSecret('site-tls', PEM.certA, PEM.keyA);
    const first = passWith(good);
    expect(first.config.certificates.map((c) => c.cert)).to.deep.equal([PEM.certA]);
    expect(passWith(structuredClone(good)).config).to.deep.equal(first.config);
    const otherKey = passWith(tlsSecret('site-tls', PEM.certA, PEM.keyB));
    expect(reasons(otherKey)).to.deep.equal(['Ingress/default/site:InvalidCertificate', 'Secret/default/site-tls:InvalidCertificate']);
    const opaque = passWith({ ...structuredClone(good), type: 'Opaque' });
    expect(opaque.failures[0]?.message).to.contain('type is Opaque');
    const again = passWith(structuredClone(good));
    expect(again.failures).to.deep.equal([]);
    expect(again.config).to.deep.equal(first.config);
  });

  it('tells apart two certificates of the same length that end alike, read in one pass', () => {
    // The same certificates in another order, with the same last one: only the first matches the key.
    const matching = tlsSecret('good-tls', `${PEM.certA}${PEM.certB}${PEM.certDsa}`, PEM.keyA);
    const reordered = tlsSecret('bad-tls', `${PEM.certB}${PEM.certA}${PEM.certDsa}`, PEM.keyA);
    const result = run({
      ingresses: [secured('good', ['good.example.com'], 'good-tls'), secured('bad', ['bad.example.com'], 'bad-tls')],
      services: [web],
      secrets: [matching, reordered],
    });
    expect(result.config.certificates.map((c) => c.snis.map((sni) => sni.name))).to.deep.equal([['good.example.com']]);
    expect(reasons(result)).to.deep.equal(['Ingress/default/bad:InvalidCertificate', 'Secret/default/bad-tls:InvalidCertificate']);
  });

  it('validates key pairs with node:crypto', () => {
    expect(readKeyPair(tlsSecret('x', PEM.certB, PEM.keyB))).to.deep.equal({ cert: PEM.certB, key: PEM.keyB });
    expect(readKeyPair(tlsSecret('x', PEM.certB, PEM.keyA))).to.have.property('error');
  });
});
