// The controller under the shipped RBAC only: it serves TLS from the Secret an
// Ingress names, reads Secrets only through one TLS-typed list+watch per
// namespace holding a referenced Secret (checked in the apiserver's audit log),
// and none of its requests is forbidden.
import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AuditEvent } from './harness/audit.ts';
import { startEnvironment, expectRoutedTo, waitReady } from './harness/environment.ts';
import type { Environment } from './harness/environment.ts';
import { eventually } from './harness/eventually.ts';

/** A self-signed certificate for `host` (openssl), as PEM strings. */
function selfSigned(host: string): { cert: string; key: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshdoor-tls-'));
  try {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const key = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    writeFileSync(path.join(dir, 'key.pem'), key, { mode: 0o600 });
    execFileSync('openssl', [
      'req', '-x509', '-new', '-key', path.join(dir, 'key.pem'), '-subj', `/CN=${host}`,
      '-addext', `subjectAltName=DNS:${host}`, '-days', '2', '-out', path.join(dir, 'cert.pem'),
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    return { cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8'), key };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function tlsSecret(name: string, pair: { cert: string; key: string }): string {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  return `
apiVersion: v1
kind: Secret
metadata: { name: ${name}, namespace: secure }
type: kubernetes.io/tls
data:
  tls.crt: ${b64(pair.cert)}
  tls.key: ${b64(pair.key)}
`;
}

const ADMIN_TLS_SECRETS = ['meshdoor-admin-ca', 'kong-admin-tls', 'meshdoor-admin-client', 'meshdoor-webhook-tls'];

const secretRequests = (events: AuditEvent[], username: string): AuditEvent[] =>
  events.filter((e) => e.user.username === username && e.objectRef?.resource === 'secrets');

describe('RBAC: the controller runs under the shipped role only', function () {
  let env: Environment;

  before(async function () {
    env = await startEnvironment();
    const pair = selfSigned('secure.example.com');
    await env.apply([
      'apiVersion: v1\nkind: Namespace\nmetadata: { name: secure }\n',
      tlsSecret('secure-tls', pair),
      tlsSecret('second-tls', selfSigned('second.example.com')),
      tlsSecret('unreferenced', selfSigned('other.example.com')),
      'apiVersion: v1\nkind: Service\nmetadata: { name: web, namespace: secure }\nspec:\n  ports: [{ port: 80 }]\n',
      `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web, namespace: secure }
spec:
  ingressClassName: kong
  tls:
    - hosts: [secure.example.com]
      secretName: secure-tls
  rules:
    - host: secure.example.com
      http:
        paths:
          - { path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }
`,
      `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: second, namespace: secure }
spec:
  ingressClassName: kong
  tls:
    - hosts: [second.example.com]
      secretName: second-tls
  rules:
    - host: second.example.com
      http:
        paths:
          - { path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }
`,
    ].join('---\n'));
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(env.logs());
  });

  after(async function () {
    await env?.stop();
  });

  it('serves each Ingress with the certificate from its referenced Secret, and no other', async function () {
    await expectRoutedTo(env, { host: 'secure.example.com', path: '/' }, 'web.secure.svc.cluster.local:80');
    await eventually(async () => {
      const state = await env.double.state();
      const snis = (state.entities.snis ?? []).map((s) => s.name);
      expect(snis.sort()).to.deep.equal(['second.example.com', 'secure.example.com']);
    }, { message: 'no certificates for secure.example.com and second.example.com (only) in Kong' });
    await waitReady(env.controller);
  });

  it('reads TLS Secrets with one list+watch in the namespace holding the two referenced ones, and no other Secret request', async function () {
    const events = secretRequests(await env.cluster.auditEvents(), env.controller.username);
    // Besides: its own Admin API mutual-TLS and admission webhook Secrets in the gateway namespace, by name.
    const ownAdminTls = (e: AuditEvent): boolean => e.objectRef?.namespace === 'kong' && ADMIN_TLS_SECRETS.includes(e.objectRef.name ?? '');
    const requests = events.filter((e) => !ownAdminTls(e)).map((e) => {
      const url = new URL(e.requestURI, 'https://apiserver');
      return `${e.verb} ${url.pathname} ${url.searchParams.get('fieldSelector') ?? ''} ${url.searchParams.get('labelSelector') ?? ''}`.trim();
    });
    expect([...new Set(requests)].sort(), 'Secret requests besides the admin TLS ones').to.deep.equal([
      'list /api/v1/namespaces/secure/secrets type=kubernetes.io/tls',
      'watch /api/v1/namespaces/secure/secrets type=kubernetes.io/tls',
    ]);
  });

  it('was never refused by the API server (every call it makes is in the role)', async function () {
    expect(await env.forbiddenControllerRequests()).to.deep.equal([]);
  });
});
