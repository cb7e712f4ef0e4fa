// The Admin API behind mutual TLS: the Admin API client turns each refusal of
// the double's admin listener (which test/recordings/admin-mtls.test.ts holds
// to the recorded Kong 3.9 answers) into a clear, non-retried error naming the
// gateway and what to fix.
import { expect } from 'chai';
import { issueLeaf } from '../../src/admin-tls/x509.ts';
import { KongAdminClient } from '../../src/kong/admin-client.ts';
import { KongTlsError } from '../../src/kong/admin-tls-errors.ts';
import { startKongDouble, type KongDouble } from '../kong-double/index.ts';
import { ADMIN_SERVER_NAME, makeMtlsMaterial, type MtlsMaterial } from './mtls-fixtures.ts';

describe('Admin API mutual TLS', function () {
  this.timeout(20_000);
  let trusted: MtlsMaterial;
  let other: MtlsMaterial;
  let double: KongDouble;
  const clients: KongAdminClient[] = [];

  before(async () => {
    trusted = await makeMtlsMaterial('trusted CA');
    other = await makeMtlsMaterial('other CA');
    double = await startKongDouble({ mode: 'dbless', tls: { key: trusted.server.key, cert: trusted.server.cert, ca: trusted.ca.cert, requestCert: true } });
  });
  after(async () => {
    for (const c of clients) c.close();
    await double.close();
  });

  const client = (options: Partial<ConstructorParameters<typeof KongAdminClient>[0]>): KongAdminClient => {
    const c = new KongAdminClient({ url: double.url, serverName: ADMIN_SERVER_NAME, retry: { retries: 2, baseDelayMs: 1 }, ...options });
    clients.push(c);
    return c;
  };
  const refusal = async (c: KongAdminClient): Promise<KongTlsError> => {
    const error = await c.status().then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(KongTlsError);
    return error as KongTlsError;
  };

  describe('the client', () => {
    it('converges with the right client certificate, verifying the serving certificate by name', async () => {
      const c = client({ ca: trusted.ca.cert, cert: trusted.client.cert, key: trusted.client.key });
      await c.postConfig(JSON.stringify({ _format_version: '3.0', services: [{ name: 's', host: 'a.internal' }] }));
      expect(double.state.services.map((s) => s.name)).to.deep.equal(['s']);
    });

    it('is refused without a client certificate, with an error naming the gateway and the fix', async () => {
      double.clearRequests();
      const error = await refusal(client({ ca: trusted.ca.cert }));
      expect(error.problem).to.equal('client-certificate-required');
      expect(error.message).to.contain(double.url).and.to.match(/requires a client certificate and meshdoor has none/);
      expect(double.requests, 'not retried').to.have.length(1);
    });

    it('names the CA problem when its certificate comes from another CA', async () => {
      const error = await refusal(client({ ca: trusted.ca.cert, cert: other.client.cert, key: other.client.key }));
      expect(error.problem).to.equal('client-certificate-rejected');
      expect(error.message).to.contain(double.url).and.to.contain('the gateway does not trust its CA').and.to.contain('other CA');
    });

    it('says when its certificate expired', async () => {
      // Signed by the CA the double trusts, but its validity is over.
      const old = await issueLeaf(trusted.ca, { commonName: 'meshdoor', usage: 'client', notBefore: new Date(Date.now() - 7_200_000), notAfter: new Date(Date.now() - 3_600_000) });
      const error = await refusal(client({ ca: trusted.ca.cert, cert: old.cert, key: old.key }));
      expect(error.problem).to.equal('client-certificate-rejected');
      expect(error.message).to.contain(double.url).and.to.match(/client certificate expired at \d{4}-/);
    });

    it('refuses a serving certificate from a CA it does not trust', async () => {
      const error = await refusal(client({ ca: other.ca.cert, cert: trusted.client.cert, key: trusted.client.key }));
      expect(error.problem).to.equal('server-certificate-untrusted');
      expect(error.message).to.contain(double.url).and.to.contain('not signed by a CA meshdoor trusts');
    });

    it('refuses a serving certificate for another name', async () => {
      const error = await refusal(client({ ca: trusted.ca.cert, cert: trusted.client.cert, key: trusted.client.key, serverName: 'elsewhere.kong.svc' }));
      expect(error.problem).to.equal('server-name-mismatch');
    });

    it('tells plain HTTP to the TLS port apart', async () => {
      const error = await refusal(client({ url: double.url.replace('https:', 'http:') }));
      expect(error.problem).to.equal('plain-http-to-tls-port');
      expect(error.message).to.contain('use an https:// admin URL');
    });
  });
});
