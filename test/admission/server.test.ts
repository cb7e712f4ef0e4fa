import { X509Certificate } from 'node:crypto';
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { expect } from 'chai';
import { createCa, issueLeaf } from '../../src/admin-tls/x509.ts';
import type { KeyPairPem } from '../../src/admin-tls/x509.ts';
import type { AdmissionRequest, Verdict } from '../../src/admission/review.ts';
import { WebhookServer } from '../../src/admission/server.ts';
import { silentLogger } from '../../src/observe/logger.ts';

interface Answer { status: number; body: string; issuer: string }

function post(port: number, ca: string, body: string, path = '/validate'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // A new connection per request: a swapped certificate shows on the next handshake.
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', ca, agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      const issuer = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), issuer });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const review = (uid: string): string => JSON.stringify({
  apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview',
  request: { uid, kind: { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress' }, operation: 'CREATE', object: { metadata: { name: 'x' } } },
});

async function pair(ca: KeyPairPem): Promise<KeyPairPem> {
  const now = Date.now();
  return issueLeaf(ca, { commonName: '127.0.0.1', usage: 'server', dnsNames: ['127.0.0.1'], notBefore: new Date(now - 60_000), notAfter: new Date(now + 3_600_000) });
}

describe('admission: the HTTPS listener', function () {
  this.timeout(20_000);
  let server: WebhookServer;
  let judge: (r: AdmissionRequest) => Verdict = () => ({ allowed: false, message: 'no', warnings: ['careful'] });
  let ca: KeyPairPem;
  let port: number;

  before(async () => {
    const now = Date.now();
    ca = await createCa({ commonName: 'test CA', notBefore: new Date(now - 60_000), notAfter: new Date(now + 3_600_000) });
    server = new WebhookServer({ port: 0, host: '127.0.0.1', log: silentLogger(), judge: (r) => judge(r) });
    port = await server.serve(await pair(ca));
  });

  after(async () => { await server.close(); });

  it('answers an AdmissionReview with the verdict for its uid', async () => {
    const answer = await post(port, ca.cert, review('u-1'));
    expect(answer.status).to.equal(200);
    expect(JSON.parse(answer.body)).to.deep.equal({
      apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview',
      response: { uid: 'u-1', allowed: false, status: { code: 403, reason: 'Forbidden', message: 'no' }, warnings: ['careful'] },
    });
  });

  it('allows, with a warning, when judging throws', async () => {
    judge = () => { throw new Error('boom'); };
    const answer = JSON.parse((await post(port, ca.cert, review('u-2'))).body) as { response: { allowed: boolean; warnings: string[] } };
    expect(answer.response.allowed).to.equal(true);
    expect(answer.response.warnings[0]).to.contain('could not validate').and.to.contain('boom');
  });

  it('refuses what is not an AdmissionReview, other paths and oversized bodies', async () => {
    expect((await post(port, ca.cert, '{"kind":"Pod"}')).status).to.equal(400);
    expect((await post(port, ca.cert, review('u-3'), '/other')).status).to.equal(404);
    // The client may see the 413 or, still writing, the connection dropped.
    const big = await post(port, ca.cert, 'x'.repeat(5 * 1024 * 1024)).then((a) => String(a.status), (err: NodeJS.ErrnoException) => err.code ?? 'error');
    expect(big).to.be.oneOf(['413', 'ECONNRESET', 'EPIPE']);
    expect((await post(port, ca.cert, review('u-5'))).status, 'still serving').to.equal(200);
  });

  it('swaps the certificate in place', async () => {
    const next = await pair(ca);
    await server.serve(next);
    const answer = await post(port, ca.cert, review('u-4'));
    expect(answer.issuer).to.equal(new X509Certificate(next.cert).fingerprint256);
  });
});
