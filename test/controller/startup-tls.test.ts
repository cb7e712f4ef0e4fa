// Feature: the first push at start-up is complete. The per-Secret watches are
// planned from the synced Ingress list, and nothing goes to Kong until they
// have synced too, so certificates of served Ingresses are in the first config.
import { expect } from 'chai';
import type { V1Secret } from '@kubernetes/client-node';
import { PEM } from '../translate/builders.ts';
import { gatewayObjects, ingress, service } from './fixtures.ts';
import { startHarness, type Harness } from './harness.ts';
import { recordingKong, type RecordingKong } from './recording-kong.ts';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

function pemSecret(ns: string, name: string, cert: string, key: string): V1Secret {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { namespace: ns, name }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64(cert), 'tls.key': b64(key) } };
}

describe('controller: first push at start-up', () => {
  let h: Harness;
  let kong: RecordingKong;
  afterEach(async () => { await h.stop(); });

  it('already carries the certificates of served Ingresses whose TLS Secrets exist', async () => {
    kong = recordingKong();
    h = await startHarness({
      kong, kongAdminUrls: ['http://127.0.0.1:1'],
      objects: [
        ...gatewayObjects(1), service('shop', 'web'),
        ingress('shop', 'a', { tlsSecret: 'a-tls' }), ingress('shop', 'b', { tlsSecret: 'b-tls' }),
        pemSecret('shop', 'a-tls', PEM.certA, PEM.keyA), pemSecret('shop', 'b-tls', PEM.certB, PEM.keyB),
      ],
    });
    await h.eventually(() => { expect(kong.syncs.length).to.be.greaterThan(0); });
    const first = kong.syncs[0]?.applied.config.certificates ?? [];
    expect(first.flatMap((c) => c.snis.map((s) => s.name)).sort()).to.deep.equal(['a.example.com', 'b.example.com']);
  });
});
