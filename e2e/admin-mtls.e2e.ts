// The Admin API as deploy/ ships it: the controller (shipped ServiceAccount,
// no --kong-admin-url) fills the empty admin TLS Secrets, puts their hash on
// the gateway pod template, and converges a Kong double that runs with the listener
// settings of the applied gateway Deployment: TLS only, client certificates
// required, certificates from the Secret the pod mounts. The double listens on
// loopback, which an EndpointSlice refuses, so the MeshDoor names it by URL and
// the controller checks Kong's certificate against the Service's name.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { V1Secret, V1Service } from '@kubernetes/client-node';
import { ADMIN_TLS_HASH_ANNOTATION, decodeSecret, servingHash } from '../src/admin-tls/secret-data.ts';
import { startEnvironment, type Environment } from './harness/environment.ts';
import { eventually } from './harness/eventually.ts';
import { freePort } from './harness/free-port.ts';
import { adminListenerSettings, type AdminListenerSettings } from './harness/kong-admin-listener.ts';
import { KongDoubleClient } from './harness/kong-double-client.ts';
import { gatewayDeployment, meshdoorStatus } from './harness/kube-reads.ts';
import { hostIngressYaml } from './harness/manifests.ts';
import { startController, startKongDouble, waitForEndpoint, type KongDouble } from './harness/meshdoor-processes.ts';

interface StatusWithAccess { gatewayAccess?: Array<{ url: string; transport: string }> }

describe('Admin API over mutual TLS, as deploy/ ships it', function () {
  let env: Environment;
  let gateway: KongDouble | undefined;
  let listener: AdminListenerSettings;
  let serving: Record<string, string>;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshdoor-admin-tls-'));

  const secret = async (name: string): Promise<Record<string, string>> =>
    decodeSecret(await env.cluster.getJson<V1Secret>(['secret', name, '-n', 'kong'])) ?? {};

  before(async function () {
    env = await startEnvironment({ replicas: 0 });
    const controller = await startController(env.cluster, { name: 'meshdoor-mtls', extraArgs: ['--kong-admin-server-name', 'kong-admin.kong.svc'] });
    env.controllers.push(controller);
    await waitForEndpoint(controller, '/healthz');
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(`${env.logs()}\n--- gateway\n${gateway?.process.tail() ?? ''}`);
  });

  after(async function () {
    await gateway?.process.stop('SIGTERM', 3000);
    await env?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ships a gateway whose Admin API listens only with TLS and requires client certificates', async function () {
    listener = adminListenerSettings(await gatewayDeployment(env.cluster));
    expect(listener.listen.length).to.be.greaterThan(0);
    for (const entry of listener.listen) expect(entry.split(/\s+/), `admin_listen ${entry}`).to.include('ssl');
    expect(listener.verifyClient).to.equal('on');
    expect(listener.clientCaKey).to.be.a('string');
    const admin = await env.cluster.getJson<V1Service>(['service', 'kong-admin', '-n', 'kong']);
    expect(admin?.spec?.ports?.map((p) => `${p.name}:${p.appProtocol}`)).to.deep.equal(['admin:https']);
  });

  it('fills the shipped Secrets and puts their hash on the gateway pod template', async function () {
    serving = await eventually(async () => {
      const data = await secret(listener.secretName);
      expect(Object.keys(data)).to.include.members([listener.certKey, listener.keyKey, listener.clientCaKey ?? 'ca.crt']);
      return data;
    }, { timeoutMs: 60_000, message: 'serving Secret not filled' });
    const client = await secret('meshdoor-admin-client');
    expect(client['ca.crt'], 'meshdoor trusts the CA that signs Kong').to.equal(serving['ca.crt']);
    await eventually(async () => {
      const annotations = (await gatewayDeployment(env.cluster)).spec?.template.metadata?.annotations ?? {};
      expect(annotations[ADMIN_TLS_HASH_ANNOTATION]).to.equal(servingHash(serving));
    }, { message: 'certificate hash not on the pod template' });
  });

  it('converges the gateway over mutual TLS and says so in the MeshDoor status', async function () {
    const file = (name: string, text: string | undefined): string => {
      const target = path.join(dir, name);
      writeFileSync(target, text ?? '', { mode: 0o600 });
      return target;
    };
    const port = await freePort();
    gateway = await startKongDouble(env.cluster, {
      name: 'kong-gateway-pod', port,
      tls: {
        certFile: file('tls.crt', serving[listener.certKey]), keyFile: file('tls.key', serving[listener.keyKey]),
        ...(listener.verifyClient === 'on' ? { clientCaFile: file('ca.crt', serving[listener.clientCaKey ?? '']) } : {}),
      },
    });
    await env.cluster.kubectl(['patch', 'meshdoor', 'default', '--type=merge', '-p', JSON.stringify({ spec: { kongAdmin: { urls: [gateway.url] } } })]);
    await env.apply(`
apiVersion: v1
kind: Service
metadata: { name: web, namespace: default }
spec:
  ports: [{ port: 80 }]
---
${hostIngressYaml({ name: 'secure', namespace: 'default', service: 'web' })}`);
    const double = new KongDoubleClient(gateway.url);
    await eventually(async () => {
      const route = await double.route({ host: 'secure.example.com', path: '/' });
      expect(route.backend).to.equal('web.default.svc.cluster.local:80');
    }, { timeoutMs: 60_000, message: 'not routed through the mutual-TLS gateway' });
    await eventually(async () => {
      const status = await meshdoorStatus(env.cluster) as Awaited<ReturnType<typeof meshdoorStatus>> & StatusWithAccess;
      expect(status.gatewayAccess).to.deep.equal([{ url: gateway?.url, transport: 'mTLS' }]);
      expect(status.conditions?.find((c) => c.type === 'AdminAPISecured')).to.include({ status: 'True', reason: 'MutualTLS' });
    }, { message: 'MeshDoor status does not report mutual TLS' });
  });

  it('leaves a client without the client certificate refused by the gateway', async function () {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = https.get(`${gateway?.url ?? ''}/status`, { ca: serving[listener.clientCaKey ?? ''], servername: 'kong-admin.kong.svc', agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => { resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }); });
      });
      req.on('error', reject);
    });
    expect(answer.status).to.equal(400);
    expect(answer.body).to.contain('No required SSL certificate was sent');
  });

  it('was never refused by the API server', async function () {
    expect(await env.forbiddenControllerRequests()).to.deep.equal([]);
  });
});
