// The admission webhook on the real kube-apiserver: the shipped
// ValidatingWebhookConfiguration (deploy/), pointed by URL at the controller's
// webhook on loopback instead of at the meshdoor-webhook Service, with
// certificates the controller makes, publishes in caBundle and rotates
// (short lifetimes here).
import { X509Certificate } from 'node:crypto';
import { expect } from 'chai';
import { startEnvironment, expectRoutedTo, waitReady } from './harness/environment.ts';
import type { Environment } from './harness/environment.ts';
import { eventually } from './harness/eventually.ts';
import { freePort } from './harness/free-port.ts';
import { hostIngressYaml } from './harness/manifests.ts';
import type { KubectlResult } from './harness/kubectl.ts';

const ingress = (name: string, service: string, extra = ''): string => hostIngressYaml({ name, namespace: 'shop', service, metadataExtra: extra });
const BAD = ingress('bad', 'web', '  annotations:\n    konghq.com/protocols: "carrier-pigeon"');
const REFUSAL = /admission webhook "ingresses\.meshdoor\.dev" denied the request: Ingress shop\/bad: InvalidAnnotation: annotation konghq\.com\/protocols has invalid value 'carrier-pigeon'/;

/** Same host and path as `good`, created later. */
const CONFLICTING = hostIngressYaml({ name: 'later', namespace: 'shop', service: 'web', host: 'good.example.com' });

/** Another path of `good`'s host, from another namespace. */
const ON_GOOD_FROM_TENANT = hostIngressYaml({ name: 'extra', namespace: 'tenant', service: 'web', host: 'good.example.com', path: '/extra' });

interface WebhookConfiguration { webhooks: { clientConfig: { caBundle?: string } }[] }

describe('admission webhook: kubectl apply is answered with meshdoor\'s reason', function () {
  let env: Environment;
  let port: number;

  const apply = (yaml: string, ...flags: string[]): Promise<KubectlResult> =>
    env.cluster.kubectl(['apply', ...flags, '-f', '-'], { stdin: yaml, allowFailure: true });

  const caBundle = async (): Promise<string> => {
    const config = await env.cluster.getJson<WebhookConfiguration>(['validatingwebhookconfiguration', 'meshdoor']);
    return Buffer.from(config?.webhooks[0]?.clientConfig.caBundle ?? '', 'base64').toString('utf8');
  };

  before(async function () {
    env = await startEnvironment({ replicas: 0 });
    port = await freePort();
    const url = `https://127.0.0.1:${port}/validate`;
    const patch = [0, 1, 2, 3].flatMap((i) => [
      { op: 'remove', path: `/webhooks/${i}/clientConfig/service` },
      { op: 'add', path: `/webhooks/${i}/clientConfig/url`, value: url },
    ]);
    await env.cluster.kubectl(['patch', 'validatingwebhookconfiguration', 'meshdoor', '--type=json', '-p', JSON.stringify(patch)]);
    await env.apply([
      'apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n',
      'apiVersion: v1\nkind: Service\nmetadata: { name: web, namespace: shop }\nspec:\n  ports: [{ port: 80 }]\n',
    ].join('---\n'));
    await env.startController([
      '--webhook-port', String(port), '--webhook-serving-name', '127.0.0.1',
      '--webhook-cert-lifetime', '30s', '--webhook-ca-lifetime', '75s', '--webhook-cert-check-period', '1s',
    ]);
    await waitReady(env.controller);
    await eventually(async () => { expect(await caBundle()).to.contain('BEGIN CERTIFICATE'); }, { timeoutMs: 30_000, message: 'no caBundle published' });
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(env.logs());
  });

  after(async function () {
    await env?.stop();
  });

  it('refuses `kubectl apply --dry-run=server` and `kubectl apply` of a bad Ingress with the message of its Event', async function () {
    const dryRun = await eventually(async () => {
      const result = await apply(BAD, '--dry-run=server');
      expect(result.stderr).to.match(REFUSAL);
      return result;
    }, { timeoutMs: 30_000, message: 'the webhook never answered' });
    expect(dryRun.code).to.not.equal(0);
    const real = await apply(BAD);
    expect(real.code).to.not.equal(0);
    expect(real.stderr).to.match(REFUSAL);
    expect(await env.cluster.getJson(['ingress', 'bad', '-n', 'shop']), 'the refused Ingress was stored').to.equal(undefined);
  });

  it('accepts a good Ingress, which is then served', async function () {
    const result = await apply(ingress('good', 'web'));
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr).to.not.contain('Warning');
    await expectRoutedTo(env, { host: 'good.example.com', path: '/' }, 'web.shop.svc.cluster.local:80');
  });

  it('warns of a host + path the older Ingress already serves, naming it, and lets it in', async function () {
    const result = await eventually(async () => {
      const attempt = await apply(CONFLICTING);
      expect(attempt.stderr).to.contain('Warning: Ingress shop/later: PathConflict:');
      return attempt;
    }, { timeoutMs: 30_000, message: 'no PathConflict warning' });
    expect(result.code, result.stderr).to.equal(0);
    // creationTimestamp counts whole seconds: both may have been created in the same one.
    expect(result.stderr).to.match(/is already served by Ingress shop\/good \((older|created at the same time, first by namespace\/name)\)/);
  });

  it('warns of a host another namespace serves (spec.hosts.ownership Shared), naming the namespaces and their oldest Ingress', async function () {
    await env.apply([
      'apiVersion: v1\nkind: Namespace\nmetadata: { name: tenant }\n',
      'apiVersion: v1\nkind: Service\nmetadata: { name: web, namespace: tenant }\nspec:\n  ports: [{ port: 80 }]\n',
    ].join('---\n'));
    const result = await eventually(async () => {
      const attempt = await apply(ON_GOOD_FROM_TENANT, '--dry-run=server');
      expect(attempt.stderr).to.contain("Warning: Ingress tenant/extra: SharedHost: host 'good.example.com' is served from namespaces shop, tenant "
        + '(Ingresses shop/good, tenant/extra): spec.hosts.ownership Shared merges their paths');
      return attempt;
    }, { timeoutMs: 30_000, message: 'no SharedHost warning' });
    expect(result.code, result.stderr).to.equal(0);
  });

  it('refuses a Service edit that breaks a served Ingress, and a MeshDoor spec the controller would not apply', async function () {
    const port80Gone = await env.cluster.kubectl(['patch', 'service', 'web', '-n', 'shop', '--type=json', '-p', '[{"op":"replace","path":"/spec/ports/0/port","value":8080}]'], { allowFailure: true });
    expect(port80Gone.code).to.not.equal(0);
    expect(port80Gone.stderr).to.contain('admission webhook "services.meshdoor.dev" denied the request: Ingress shop/good: PortNotFound: Service shop/web has no port 80');
    // A URL the CRD's pattern lets through but the controller cannot use.
    const meshdoor = await env.cluster.kubectl(['patch', 'meshdoor', 'default', '--type=merge', '-p', '{"spec":{"kongAdmin":{"urls":["http://[oops"]}}}'], { allowFailure: true });
    expect(meshdoor.code).to.not.equal(0);
    expect(meshdoor.stderr).to.contain('admission webhook "meshdoors.meshdoor.dev" denied the request: MeshDoor default: InvalidSpec: spec.kongAdmin.urls[0] must be http(s) URLs (got "http://[oops")');
  });

  it('refuses a KongPlugin whose config the gateway\'s schema refuses, and only warns of a configFrom Secret not there yet', async function () {
    const kongPlugin = (name: string, body: string): string => `apiVersion: configuration.konghq.com/v1\nkind: KongPlugin\nmetadata: { name: ${name}, namespace: shop }\nplugin: rate-limiting\n${body}\n`;
    const good = await apply(kongPlugin('rl', 'config: { minute: 5, policy: local }'));
    expect(good.code, good.stderr).to.equal(0);
    // Once a rate-limiting plugin exists, the controller has read the gateway's schema for it.
    const refused = await eventually(async () => {
      const attempt = await apply(kongPlugin('rl-bad', 'config: { minute: five }'), '--dry-run=server');
      expect(attempt.stderr).to.contain('admission webhook "kongplugins.meshdoor.dev" denied the request: KongPlugin shop/rl-bad: InvalidPluginConfig: plugin rate-limiting: config.minute: expected a number');
      return attempt;
    }, { timeoutMs: 30_000, message: 'the KongPlugin was not refused' });
    expect(refused.code).to.not.equal(0);
    const later = await apply(kongPlugin('rl-secret', 'configFrom: { secretKeyRef: { name: rl-config, key: config } }'));
    expect(later.code, later.stderr).to.equal(0);
    expect(later.stderr).to.contain('Warning: KongPlugin shop/rl-secret: PluginSecretMissing:');
  });

  it('leaves Ingresses of other classes alone, however broken', async function () {
    const other = BAD.replace('name: bad', 'name: not-ours').replace('ingressClassName: kong', 'ingressClassName: nginx');
    const result = await apply(other);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr).to.equal('');
  });

  it('rotates the CA and the serving certificate, caBundle following, without one review failing', async function () {
    this.timeout(180_000);
    const first = await caBundle();
    const firstCa = new X509Certificate(first).fingerprint256;
    const rotated = async (): Promise<boolean> => {
      const secret = await env.cluster.getJson<{ data: Record<string, string> }>(['secret', 'meshdoor-webhook-tls', '-n', 'kong']);
      const serving = new X509Certificate(Buffer.from(secret?.data['tls.crt'] ?? '', 'base64'));
      const issuer = new X509Certificate(Buffer.from(secret?.data['ca.crt'] ?? '', 'base64'));
      return issuer.fingerprint256 !== firstCa && serving.checkIssued(issuer);
    };
    // Every call must be refused: a failed call would be let through by failurePolicy Ignore.
    let answered = 0;
    let afterRotation = 0;
    const deadline = Date.now() + 150_000;
    while (afterRotation < 10) {
      const result = await apply(BAD, '--dry-run=server');
      expect(result.stderr, `call ${answered + 1} not refused by the webhook`).to.match(REFUSAL);
      answered += 1;
      if (afterRotation > 0 || await rotated()) afterRotation += 1;
      if (Date.now() > deadline) throw new Error(`no serving certificate from a new CA within 150 s (${answered} calls refused)`);
      await new Promise((resolve) => { setTimeout(resolve, 250); });
    }
    expect(await caBundle()).to.not.equal(first);
    expect(answered).to.be.greaterThan(10);
  });

  it('lets applies through when the controller is stopped (failurePolicy Ignore)', async function () {
    await env.controller.process.stop('SIGTERM', 5000);
    const result = await apply(BAD);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.contain('ingress.networking.k8s.io/bad created');
  });
});
