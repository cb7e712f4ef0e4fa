import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createCa, issueLeaf, type KeyPairPem } from '../../src/admin-tls/x509.ts';
import { createKubeClients } from '../../src/kube/clients.ts';

const HOUR = 3_600_000;

/** An API server stand-in on loopback: answers namespace lists, counts TLS connections and records the credentials sent. */
async function apiServer(tls: { ca: KeyPairPem; server: KeyPairPem }): Promise<{ url: string; connections: () => number; tokens: string[]; close(): Promise<void> }> {
  let connections = 0;
  const tokens: string[] = [];
  const server = https.createServer({ cert: tls.server.cert, key: tls.server.key }, (req, res) => {
    tokens.push(req.headers.authorization ?? '');
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ apiVersion: 'v1', kind: 'NamespaceList', metadata: { resourceVersion: '1' }, items: [{ metadata: { name: 'shop' } }] }));
  });
  server.on('secureConnection', () => { connections += 1; });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`, connections: () => connections, tokens,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

function kubeconfig(server: string, ca: string): string {
  return JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'test',
    clusters: [{ name: 'test', cluster: { server, 'certificate-authority-data': Buffer.from(ca).toString('base64') } }],
    users: [{ name: 'meshdoor', user: { token: 'sa-token' } }],
    contexts: [{ name: 'test', context: { cluster: 'test', user: 'meshdoor' } }],
  });
}

describe('Kubernetes API connections', () => {
  let dir: string;
  let api: Awaited<ReturnType<typeof apiServer>>;

  before(async () => {
    const times = { notBefore: new Date(Date.now() - HOUR), notAfter: new Date(Date.now() + HOUR) };
    const ca = await createCa({ commonName: 'test cluster CA', ...times });
    const server = await issueLeaf(ca, { commonName: 'kube-apiserver', usage: 'server', dnsNames: ['127.0.0.1'], ...times });
    api = await apiServer({ ca, server });
    dir = await mkdtemp(path.join(os.tmpdir(), 'meshdoor-kubeconfig-'));
    await writeFile(path.join(dir, 'config'), kubeconfig(api.url, ca.cert));
  });

  after(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends one client\'s API calls over one kept-alive TLS connection, each with the token, instead of a handshake per call', async () => {
    const clients = createKubeClients({ kubeconfig: path.join(dir, 'config') });
    const before = api.connections();
    for (let i = 0; i < 10; i += 1) {
      const list = await clients.core.listNamespace();
      expect(list.items.map((ns) => ns.metadata?.name)).to.deep.equal(['shop']);
    }
    // undici alone opens a second connection for the call right after the first
    // (the first is released a moment later); from then on both are reused.
    expect(api.connections() - before).to.be.at.most(2);
    expect(api.tokens.slice(-10)).to.deep.equal(Array(10).fill('Bearer sa-token'));
  });
});
