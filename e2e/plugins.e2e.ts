// Kong plugins and consumers through a real kube-apiserver, with the CRDs of
// deploy/crds: a rate-limited and a key-auth-protected Ingress converge (Kong
// holds the plugins on their routes and the consumer with its key); deleting
// the KongPlugin takes the protected route out and no configuration Kong ever
// held served it without key-auth (every push is checked, through a tap in
// front of the Kong double); a global KongClusterPlugin reaches every route;
// a broken plugin is named in the MeshDoor status and by an Event. Without
// the Kong CRDs, meshdoor serves at once, says so once, and reads plugins as
// soon as the CRDs are installed, without a restart.
import { expect } from 'chai';
import path from 'node:path';
import { Environment as EnvironmentClass, expectNotRouted, expectRoutedTo, startEnvironment } from './harness/environment.ts';
import type { Environment } from './harness/environment.ts';
import { startConfigTap, type ConfigTap } from './harness/config-tap.ts';
import { consistently, eventually } from './harness/eventually.ts';
import type { DoubleState } from './harness/kong-double-client.ts';
import { startCluster } from './harness/cluster.ts';
import { CRDS_DIR, DEPLOY_DIR, installMeshdoor } from './harness/install.ts';
import { meshdoorStatus, warningEvents } from './harness/kube-reads.ts';
import { hostIngressYaml } from './harness/manifests.ts';
import { startKongDouble } from './harness/meshdoor-processes.ts';

const BACKEND = 'web.apps.svc.cluster.local:80';

type Entities = DoubleState['entities'];
type Entity = Record<string, unknown>;

const BASE = `
apiVersion: v1
kind: Namespace
metadata: { name: apps }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: apps }
spec:
  ports: [{ name: http, port: 80 }]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-1
  namespace: apps
  labels: { kubernetes.io/service-name: web }
addressType: IPv4
ports: [{ name: http, port: 8080, protocol: TCP }]
endpoints: [{ addresses: [10.1.0.7], conditions: { ready: true } }]
`;

function ingressYaml(name: string, plugins?: string): string {
  const metadataExtra = plugins ? `  annotations: { konghq.com/plugins: "${plugins}" }` : '';
  return hostIngressYaml({ name, namespace: 'apps', service: 'web', metadataExtra });
}

const PLUGINS = `
apiVersion: configuration.konghq.com/v1
kind: KongPlugin
metadata: { name: rl, namespace: apps }
plugin: rate-limiting
config: { minute: 5, policy: local }
---
apiVersion: configuration.konghq.com/v1
kind: KongPlugin
metadata: { name: auth, namespace: apps }
plugin: key-auth
---
apiVersion: v1
kind: Secret
metadata:
  name: alice-key
  namespace: apps
  labels: { konghq.com/credential: key-auth }
stringData: { key: alice-secret-key }
---
apiVersion: configuration.konghq.com/v1
kind: KongConsumer
metadata:
  name: alice
  namespace: apps
  annotations: { kubernetes.io/ingress.class: kong }
username: alice
credentials: [alice-key]
`;

const GLOBAL_PLUGIN = `
apiVersion: configuration.konghq.com/v1
kind: KongClusterPlugin
metadata:
  name: request-id
  labels: { global: "true" }
  annotations: { kubernetes.io/ingress.class: kong }
plugin: correlation-id
config: { header_name: X-Request-Id }
`;

const BROKEN_PLUGIN = `
apiVersion: configuration.konghq.com/v1
kind: KongPlugin
metadata: { name: bad-limit, namespace: apps }
plugin: rate-limiting
config: { minute: five }
`;

/** A reference as the double stores it: `{ id }`, or the id itself. */
function refId(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return value !== null && typeof value === 'object' ? (value as { id?: string }).id : undefined;
}

const routesOfHost = (entities: Entities, host: string): Entity[] =>
  (entities.routes ?? []).filter((r) => Array.isArray(r.hosts) && (r.hosts as unknown[]).includes(host));

const pluginsOn = (entities: Entities, route: Entity): string[] =>
  (entities.plugins ?? []).filter((p) => refId(p.route) === route.id).map((p) => String(p.name)).sort();

describe('Kong plugins and consumers: KongPlugin, KongClusterPlugin, KongConsumer', function () {
  let env: Environment;
  let tap: ConfigTap;

  before(async function () {
    env = await startEnvironment({ replicas: 0 });
    tap = await startConfigTap(env.kong.url);
    await env.startController([], tap.url);
    await env.apply(BASE + '---\n' + PLUGINS + '---\n' + [ingressYaml('limited', 'rl'), ingressYaml('secure', 'auth'), ingressYaml('open')].join('---\n'));
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(env.logs());
  });

  after(async function () {
    await tap?.close();
    await env?.stop();
  });

  it('converges a rate-limited and a key-auth-protected Ingress: the plugins on their routes, the consumer with its key', async function () {
    await expectRoutedTo(env, { host: 'secure.example.com', path: '/' }, BACKEND);
    await expectRoutedTo(env, { host: 'limited.example.com', path: '/' }, BACKEND);
    const { entities } = await env.double.state();
    const [limited] = routesOfHost(entities, 'limited.example.com');
    const [secure] = routesOfHost(entities, 'secure.example.com');
    const [open] = routesOfHost(entities, 'open.example.com');
    expect(limited && pluginsOn(entities, limited)).to.deep.equal(['rate-limiting']);
    expect(secure && pluginsOn(entities, secure)).to.deep.equal(['key-auth']);
    expect(open && pluginsOn(entities, open)).to.deep.equal([]);
    const rateLimit = (entities.plugins ?? []).find((p) => p.name === 'rate-limiting');
    expect(rateLimit?.config).to.include({ minute: 5, policy: 'local' });
    const alice = (entities.consumers ?? []).find((c) => c.username === 'alice');
    expect(alice, 'the KongConsumer is a Kong consumer').to.not.equal(undefined);
    const keys = (entities.keyauth_credentials ?? []).filter((k) => refId(k.consumer) === alice?.id);
    expect(keys.map((k) => k.key)).to.deep.equal(['alice-secret-key']);
  });

  it('reads Secrets only through a credential-labelled watch of the consumer\'s namespace, and nothing is refused by RBAC', async function () {
    const ownAdminSecrets = new Set(['meshdoor-admin-ca', 'kong-admin-tls', 'meshdoor-admin-client', 'meshdoor-webhook-tls']);
    const requests = (await env.cluster.auditEvents())
      .filter((e) => e.user.username === env.controller.username && e.objectRef?.resource === 'secrets')
      .filter((e) => !(e.objectRef?.namespace === 'kong' && ownAdminSecrets.has(e.objectRef.name ?? '')))
      .map((e) => {
        const url = new URL(e.requestURI, 'https://apiserver');
        return `${e.verb} ${url.pathname} ${url.searchParams.get('fieldSelector') ?? ''} ${url.searchParams.get('labelSelector') ?? ''}`.trim();
      });
    expect([...new Set(requests)].sort()).to.deep.equal([
      'list /api/v1/namespaces/apps/secrets  konghq.com/credential',
      'watch /api/v1/namespaces/apps/secrets  konghq.com/credential',
    ]);
    expect(await env.forbiddenControllerRequests()).to.deep.equal([]);
  });

  it('takes the protected route out when its KongPlugin is deleted, and never served it without key-auth', async function () {
    const before = tap.served.length;
    await env.cluster.kubectl(['delete', 'kongplugin', 'auth', '-n', 'apps']);
    await expectNotRouted(env, { host: 'secure.example.com', path: '/' });
    await expectRoutedTo(env, { host: 'open.example.com', path: '/' }, BACKEND);
    expect(tap.served.length, 'the removal was pushed').to.be.greaterThan(before);
    const accepted = (await env.double.configPushes()).filter((r) => r.status < 300);
    expect(tap.served.length, 'every accepted push seen').to.equal(accepted.length);
    expect(tap.served.filter((entities) => routesOfHost(entities, 'secure.example.com').length > 0), 'pushes that served it').to.not.be.empty;
    tap.served.forEach((entities, i) => {
      for (const route of routesOfHost(entities, 'secure.example.com')) {
        expect(pluginsOn(entities, route), `push ${i + 1}: route ${String(route.name)}`).to.include('key-auth');
      }
    });
    const events = await warningEvents(env.cluster, 'apps', { kind: 'Ingress', name: 'secure' });
    expect(events.map((e) => `${e.reason}: ${e.message}`).join('\n')).to.contain('PluginNotFound').and.to.contain("'auth'");
  });

  it('applies a global KongClusterPlugin to every route (one plugin, no attachment)', async function () {
    await env.apply(GLOBAL_PLUGIN);
    const entities = await eventually(async () => {
      const state = (await env.double.state()).entities;
      const global = (state.plugins ?? []).filter((p) => p.name === 'correlation-id');
      expect(global).to.have.length(1);
      return state;
    }, { timeoutMs: 30_000, message: 'global plugin not pushed' });
    const [global] = (entities.plugins ?? []).filter((p) => p.name === 'correlation-id');
    expect([refId(global?.route), refId(global?.service), refId(global?.consumer)]).to.deep.equal([undefined, undefined, undefined]);
    expect(global?.config).to.include({ header_name: 'X-Request-Id' });
    expect(routesOfHost(entities, 'limited.example.com')).to.have.length(1);
    expect(routesOfHost(entities, 'open.example.com')).to.have.length(1);
  });

  it('names a broken plugin in the MeshDoor status and in Events, and withholds the Ingress that uses it', async function () {
    await env.apply(BROKEN_PLUGIN + '---\n' + ingressYaml('broken', 'bad-limit'));
    await eventually(async () => {
      const failing = (await meshdoorStatus(env.cluster)).failingObjects ?? [];
      const onPlugin = failing.find((f) => f.kind === 'KongPlugin' && f.name === 'bad-limit');
      expect(onPlugin?.reason).to.equal('InvalidPluginConfig');
      expect(onPlugin?.message).to.contain('config.minute');
      const onIngress = failing.find((f) => f.kind === 'Ingress' && f.name === 'broken');
      expect(onIngress?.message).to.contain('bad-limit');
    }, { timeoutMs: 30_000, message: 'MeshDoor status does not name the broken plugin' });
    await eventually(async () => {
      const events = await warningEvents(env.cluster, 'apps', { kind: 'KongPlugin', name: 'bad-limit' });
      expect(events.map((e) => e.reason)).to.include('InvalidPluginConfig');
      expect(events[0]?.involvedObject.apiVersion).to.equal('configuration.konghq.com/v1');
    }, { timeoutMs: 30_000, message: 'no Event on the KongPlugin' });
    const route = await env.double.route({ host: 'broken.example.com', path: '/' });
    expect(route.status, 'never served without its plugin').to.equal(404);
    await expectRoutedTo(env, { host: 'limited.example.com', path: '/' }, BACKEND);
  });
});

describe('Kong plugins without the Kong CRDs installed', function () {
  let env: Environment;

  before(async function () {
    const cluster = await startCluster();
    try {
      // Only the MeshDoor CRD, then the base: a cluster where KongPlugins cannot exist.
      await cluster.kubectl(['apply', '--server-side', '-f', path.join(CRDS_DIR, 'meshdoor.yaml')]);
      await cluster.kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all']);
      await cluster.kubectl(['apply', '-k', DEPLOY_DIR]);
      env = new EnvironmentClass(cluster, await startKongDouble(cluster), []);
      await env.startController();
    } catch (err) {
      await cluster.stop();
      throw err;
    }
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(env.logs());
  });

  after(async function () {
    await env?.stop();
  });

  it('serves Ingresses at once, says once on the MeshDoor that the resources are missing, and reads them once installed', async function () {
    await env.apply(BASE + '---\n' + ingressYaml('open') + '---\n' + ingressYaml('secure', 'auth'));
    await expectRoutedTo(env, { host: 'open.example.com', path: '/' }, BACKEND);
    expect((await env.double.route({ host: 'secure.example.com', path: '/' })).status, 'a plugin that cannot exist: not served').to.equal(404);
    const events = await eventually(async () => {
      const found = await warningEvents(env.cluster, 'default', { kind: 'MeshDoor', name: 'default' });
      const missing = found.filter((e) => e.reason === 'CustomResourcesNotInstalled');
      expect(missing).to.have.length(1);
      return missing;
    }, { timeoutMs: 30_000, message: 'no CustomResourcesNotInstalled Event' });
    expect(events[0]?.message).to.contain('kongplugins.configuration.konghq.com');
    expect(await env.forbiddenControllerRequests(), 'no RBAC refusal').to.deep.equal([]);

    await env.cluster.kubectl(['apply', '--server-side', '-k', CRDS_DIR]);
    await env.cluster.kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all']);
    await env.apply(PLUGINS);
    await eventually(async () => {
      const { entities } = await env.double.state();
      const [secure] = routesOfHost(entities, 'secure.example.com');
      expect(secure && pluginsOn(entities, secure)).to.deep.equal(['key-auth']);
    }, { timeoutMs: 60_000, message: 'plugins not picked up after the CRDs were installed' });
  });
});

describe('Kong plugins and consumers on a DB-mode gateway', function () {
  let env: Environment;

  before(async function () {
    const cluster = await startCluster();
    try {
      await installMeshdoor(cluster);
      env = new EnvironmentClass(cluster, await startKongDouble(cluster, { mode: 'db' }), []);
      // Through the engine every 2 s even without changes: an unchanged sync must write nothing.
      await env.startController(['--kong-mode', 'db', '--resync-period', '2s']);
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    await env.apply(BASE + '---\n' + PLUGINS + '---\n' + [ingressYaml('limited', 'rl'), ingressYaml('secure', 'auth')].join('---\n'));
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(env.logs());
  });

  after(async function () {
    await env?.stop();
  });

  it('creates the plugins, the consumer and its credential, and a resync with nothing changed writes nothing', async function () {
    await eventually(async () => {
      const { entities } = await env.double.state();
      const [secure] = routesOfHost(entities, 'secure.example.com');
      const [limited] = routesOfHost(entities, 'limited.example.com');
      expect(secure && pluginsOn(entities, secure)).to.deep.equal(['key-auth']);
      expect(limited && pluginsOn(entities, limited)).to.deep.equal(['rate-limiting']);
      const alice = (entities.consumers ?? []).find((c) => c.username === 'alice');
      expect((entities.keyauth_credentials ?? []).filter((k) => refId(k.consumer) === alice?.id).map((k) => k.key)).to.deep.equal(['alice-secret-key']);
    }, { timeoutMs: 60_000, message: 'plugins and consumer not created in DB mode' });
    await expectRoutedTo(env, { host: 'secure.example.com', path: '/' }, BACKEND);
    // Let the creation settle, then watch resyncs go by.
    await eventually(async () => {
      await env.double.clearRequests();
      await consistently(async () => {
        const writes = (await env.double.requests()).filter((r) => r.method !== 'GET');
        expect(writes.map((r) => `${r.method} ${r.path}`)).to.deep.equal([]);
      }, { timeoutMs: 5_000 });
    }, { timeoutMs: 30_000, message: 'unchanged syncs kept writing' });
    const reads = (await env.double.requests()).filter((r) => r.method === 'GET' && r.path !== '/status');
    expect(reads.length, 'the resyncs read the gateway meanwhile').to.be.greaterThan(0);
  });
});
