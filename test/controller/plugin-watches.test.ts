// Feature: the watches of Kong plugins and consumers. KongPlugins,
// KongClusterPlugins and KongConsumers are watched read-only (their CRDs may be
// absent: read as none, said once, picked up once installed), and only the
// Secrets they name are read: credential Secrets of served KongConsumers and
// configFrom / configPatches Secrets of plugins in use, with a number of
// watches that does not grow with the number of Secrets.
import { expect } from 'chai';
import { Writable } from 'node:stream';
import FakeTimers from '@sinonjs/fake-timers';
import type { KubernetesObject, V1Ingress, V1Secret } from '@kubernetes/client-node';
import { DEFAULT_SETTINGS } from '../../src/config/settings.ts';
import { PluginSecretPlan, pluginSecretRefs, type PluginSecretInput } from '../../src/controller/plugin-secret-refs.ts';
import { desiredWatchSpecs, ReferencedSecretsPlan, type WatchPlanInput } from '../../src/controller/watch-plan.ts';
import { SupervisedWatch } from '../../src/kube/supervised-watch.ts';
import { watchSpecId } from '../../src/kube/watch-source.ts';
import { createLogger, silentLogger } from '../../src/observe/logger.ts';
import type { KongConsumerResource, KongPluginResource } from '../../src/plugins/index.ts';
import { FakeCluster } from '../kube/fake-cluster.ts';
import { gatewayObjects, ingress, ingressClass, service } from './fixtures.ts';
import { controllerClock, startHarness, type Harness } from './harness.ts';
import { recordingKong, type RecordingKong } from './recording-kong.ts';

const GROUP = 'configuration.konghq.com/v1';
const OWN = { ingressClass: 'kong', controllerName: 'meshdoor.dev/ingress-controller' };

function kongPlugin(ns: string, name: string, extra: Partial<KongPluginResource> = {}): KongPluginResource & KubernetesObject {
  return { apiVersion: GROUP, kind: 'KongPlugin', metadata: { namespace: ns, name }, plugin: 'rate-limiting', config: { minute: 5 }, ...extra };
}

function clusterPlugin(name: string, extra: Partial<KongPluginResource> = {}, labels: Record<string, string> = {}, annotations: Record<string, string> = {}): KongPluginResource & KubernetesObject {
  return { apiVersion: GROUP, kind: 'KongClusterPlugin', metadata: { name, labels, annotations }, plugin: 'cors', config: {}, ...extra };
}

function consumer(ns: string, name: string, credentials: string[], annotations: Record<string, string> = { 'kubernetes.io/ingress.class': 'kong' }): KongConsumerResource & KubernetesObject {
  return { apiVersion: GROUP, kind: 'KongConsumer', metadata: { namespace: ns, name, annotations }, username: name, credentials };
}

function withPlugins(obj: V1Ingress, plugins: string): V1Ingress {
  return { ...obj, metadata: { ...obj.metadata, annotations: { 'konghq.com/plugins': plugins } } };
}

function secret(ns: string, name: string, labels: Record<string, string> = {}, type = 'Opaque'): V1Secret {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { namespace: ns, name, labels }, type, data: { key: Buffer.from('k').toString('base64') } };
}

const secretRef = (name: string, key = 'config', namespace?: string) => ({ secretKeyRef: { name, key, ...(namespace ? { namespace } : {}) } });

describe('plugin watch plan', () => {
  function plan(patch: Partial<WatchPlanInput> = {}): string[] {
    return desiredWatchSpecs({
      settings: DEFAULT_SETTINGS, meshdoorName: 'default', watchNamespaces: [], secretRefs: [],
      staticAdminUrls: true, staticPublishAddresses: true, ...patch,
    }).map(watchSpecId);
  }

  it('watches the three Kong resources read-only, cluster plugins cluster-wide, marked optional', () => {
    const specs = desiredWatchSpecs({
      settings: DEFAULT_SETTINGS, meshdoorName: 'default', watchNamespaces: ['b', 'a'], secretRefs: [], staticAdminUrls: true, staticPublishAddresses: true,
    }).filter((s) => s.kind.startsWith('Kong'));
    expect(specs.map((s) => [watchSpecId(s), s.gate, s.optionalResource])).to.deep.equal([
      ['kongPlugins|KongPlugin|a||', 'hard', true], ['kongPlugins|KongPlugin|b||', 'hard', true],
      ['kongClusterPlugins|KongClusterPlugin|*||', 'hard', true],
      ['kongConsumers|KongConsumer|a||', 'hard', true], ['kongConsumers|KongConsumer|b||', 'hard', true],
    ]);
  });

  const secretIds = (patch: Partial<WatchPlanInput>): string[] => plan(patch).filter((id) => id.startsWith('secrets|'));
  const refs = (count: number, namespaces: readonly string[]) =>
    Array.from({ length: count }, (_, i) => ({ namespace: namespaces[i % namespaces.length] ?? '', name: `s-${i}` }));

  it('reads credential Secrets through one label-selected watch per namespace, plugin Secrets through one per namespace, however many', () => {
    for (const count of [2, 20, 2000]) {
      const ids = secretIds({ credentialSecretRefs: refs(count, ['shop', 'blog']), pluginSecretRefs: refs(count, ['shop']) });
      expect(ids.map((id) => id.split('|').slice(0, 5).join('|')), `${count} Secrets`).to.deep.equal([
        'secrets|Secret|blog|konghq.com/credential|', 'secrets|Secret|shop|konghq.com/credential|', 'secrets|Secret|shop||',
      ]);
    }
    expect(secretIds({ credentialSecretRefs: [{ namespace: 'shop', name: 'alice-key' }], pluginSecretRefs: [{ namespace: 'shop', name: 'rl' }] })).to.deep.equal([
      'secrets|Secret|shop|konghq.com/credential||keep=shop/alice-key', 'secrets|Secret|shop|||keep=shop/rl',
    ]);
    expect(secretIds({ credentialSecretRefs: [], pluginSecretRefs: [] }), 'nothing referenced, no watch').to.deep.equal([]);
  });

  it('follows --secret-watch cluster and --watch-namespace for plugin and credential Secrets too', () => {
    const input = { credentialSecretRefs: [{ namespace: 'b', name: 'y' }, { namespace: 'a', name: 'x' }], pluginSecretRefs: [{ namespace: 'z', name: 'p' }] };
    expect(secretIds({ ...input, secretWatch: 'cluster' })).to.deep.equal([
      'secrets|Secret|*|konghq.com/credential||keep=a/x,b/y', 'secrets|Secret|*|||keep=z/p',
    ]);
    expect(secretIds({ ...input, watchNamespaces: ['a'] })).to.deep.equal(['secrets|Secret|a|konghq.com/credential||keep=a/x']);
    expect(secretIds({ ...input, secretLabelSelector: 'tls=yes' }), 'the TLS label selector is for TLS Secrets only').to.deep.equal([
      'secrets|Secret|a|konghq.com/credential||keep=a/x', 'secrets|Secret|b|konghq.com/credential||keep=b/y', 'secrets|Secret|z|||keep=z/p',
    ]);
  });
});

describe('Secrets named by plugins and consumers', () => {
  const base: PluginSecretInput = {
    ingresses: [], ingressClasses: [ingressClass('kong')], services: [], kongPlugins: [], kongClusterPlugins: [], kongConsumers: [], own: OWN,
  };
  const names = (list: readonly { namespace: string; name: string }[]) => list.map((r) => `${r.namespace}/${r.name}`);

  it('reads configFrom and configPatches Secrets of plugins a served Ingress names, in the plugin\'s namespace', () => {
    const refs = pluginSecretRefs({
      ...base,
      ingresses: [
        withPlugins(ingress('shop', 'web'), 'rl, shared'),
        withPlugins(ingress('shop', 'other', { className: 'nginx' }), 'unused'),
      ],
      kongPlugins: [
        kongPlugin('shop', 'rl', { config: undefined, configFrom: secretRef('rl-config'), configPatches: [{ path: '/redis/password', valueFrom: secretRef('redis') }] }),
        kongPlugin('shop', 'unused', { config: undefined, configFrom: secretRef('unused-config') }),
        kongPlugin('blog', 'rl', { config: undefined, configFrom: secretRef('blog-config') }),
      ],
      kongClusterPlugins: [clusterPlugin('shared', { configFrom: secretRef('shared-config', 'config', 'kong') })],
    });
    expect(names(refs.pluginConfig)).to.deep.equal(['kong/shared-config', 'shop/redis', 'shop/rl-config']);
    expect(refs.credentials).to.deep.equal([]);
  });

  it('reads plugin Secrets named through a Service behind a served Ingress, a served KongConsumer and a global plugin of this class', () => {
    const svc = { ...service('shop', 'web'), metadata: { namespace: 'shop', name: 'web', annotations: { 'konghq.com/plugins': 'svc-plugin' } } };
    const unrelatedSvc = { ...service('shop', 'lonely'), metadata: { namespace: 'shop', name: 'lonely', annotations: { 'konghq.com/plugins': 'lonely-plugin' } } };
    const refs = pluginSecretRefs({
      ...base,
      ingresses: [ingress('shop', 'web')],
      services: [svc, unrelatedSvc],
      kongPlugins: ['svc-plugin', 'lonely-plugin', 'consumer-plugin', 'foreign-plugin'].map((name) => kongPlugin('shop', name, { configFrom: secretRef(`${name}-secret`) })),
      kongConsumers: [
        { ...consumer('shop', 'alice', []), metadata: { namespace: 'shop', name: 'alice', annotations: { 'kubernetes.io/ingress.class': 'kong', 'konghq.com/plugins': 'consumer-plugin' } } },
        { ...consumer('shop', 'bob', []), metadata: { namespace: 'shop', name: 'bob', annotations: { 'kubernetes.io/ingress.class': 'other', 'konghq.com/plugins': 'foreign-plugin' } } },
      ],
      kongClusterPlugins: [
        clusterPlugin('global-ours', { configFrom: secretRef('g1', 'config', 'kong') }, { global: 'true' }, { 'kubernetes.io/ingress.class': 'kong' }),
        clusterPlugin('global-theirs', { configFrom: secretRef('g2', 'config', 'kong') }, { global: 'true' }, { 'kubernetes.io/ingress.class': 'other' }),
        clusterPlugin('global-classless', { configFrom: secretRef('g3', 'config', 'kong') }, { global: 'true' }),
      ],
    });
    expect(names(refs.pluginConfig)).to.deep.equal(['kong/g1', 'shop/consumer-plugin-secret', 'shop/svc-plugin-secret']);
  });

  it('reads credential Secrets of KongConsumers of this class, or classless ones when this class is the default', () => {
    const consumers = [consumer('shop', 'alice', ['alice-key', 'alice-acl']), consumer('shop', 'bob', ['bob-key'], { 'kubernetes.io/ingress.class': 'other' }), consumer('blog', 'carol', ['carol-key'], {})];
    expect(names(pluginSecretRefs({ ...base, kongConsumers: consumers }).credentials)).to.deep.equal(['shop/alice-acl', 'shop/alice-key']);
    const defaultClass = { ...ingressClass('kong'), metadata: { name: 'kong', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } };
    expect(names(pluginSecretRefs({ ...base, ingressClasses: [defaultClass], kongConsumers: consumers }).credentials)).to.deep.equal(['blog/carol-key', 'shop/alice-acl', 'shop/alice-key']);
  });
});

describe('the Secret plans kept across syncs', () => {
  const names = (list: readonly { namespace: string; name: string }[]) => list.map((r) => `${r.namespace}/${r.name}`);
  const classes = [ingressClass('kong')];

  it('answers as a fresh computation through edits with and without tls sections', () => {
    const plan = new ReferencedSecretsPlan();
    const plain = ingress('shop', 'web');
    let list = [plain, ingress('shop', 'api', { tlsSecret: 'api-tls' })];
    expect(names(plan.refs(list, classes, OWN))).to.deep.equal(['shop/api-tls']);
    list = [{ ...plain, metadata: { ...plain.metadata, resourceVersion: '2' } }, list[1] as V1Ingress];
    expect(names(plan.refs(list, classes, OWN)), 'an edit of an Ingress without tls').to.deep.equal(['shop/api-tls']);
    list = [ingress('shop', 'web', { tlsSecret: 'web-tls' }), list[1] as V1Ingress];
    expect(names(plan.refs(list, classes, OWN)), 'the edit adds a tls section').to.deep.equal(['shop/api-tls', 'shop/web-tls']);
    list = [list[0] as V1Ingress];
    expect(names(plan.refs(list, classes, OWN)), 'a TLS Ingress deleted').to.deep.equal(['shop/web-tls']);
    expect(names(plan.refs(list, [{ ...ingressClass('kong'), spec: { controller: 'other' } }], OWN)), 'the class now someone else\'s').to.deep.equal([]);
  });

  it('keeps the plugin Secrets through Ingress edits while no plugin names a Secret, and finds them once one does', () => {
    const plan = new PluginSecretPlan();
    const input: PluginSecretInput = {
      ingresses: [withPlugins(ingress('shop', 'web'), 'rl')], ingressClasses: classes, services: [], kongPlugins: [kongPlugin('shop', 'rl')], kongClusterPlugins: [], kongConsumers: [], own: OWN,
    };
    expect(plan.refs(input).pluginConfig).to.deep.equal([]);
    const edited = { ...input, ingresses: [withPlugins(ingress('shop', 'web', { path: '/v2' }), 'rl')] };
    expect(plan.refs(edited).pluginConfig).to.deep.equal([]);
    const withSecret = { ...edited, kongPlugins: [kongPlugin('shop', 'rl', { config: undefined, configFrom: secretRef('rl-config') })] };
    expect(names(plan.refs(withSecret).pluginConfig)).to.deep.equal(['shop/rl-config']);
    const unnamed = { ...withSecret, ingresses: [ingress('shop', 'web', { path: '/v3' })] };
    expect(plan.refs(unnamed).pluginConfig, 'no Ingress names the plugin now').to.deep.equal([]);
    expect(names(plan.refs({ ...unnamed, ingresses: edited.ingresses }).pluginConfig)).to.deep.equal(['shop/rl-config']);
  });
});

describe('SupervisedWatch of a resource that may not be installed', () => {
  it('counts a 404 list as synced and empty, says so once, and picks the resource up once installed', async () => {
    const cluster = new FakeCluster();
    const fake = FakeTimers.createClock(0);
    const lines: { level?: string; message?: string }[] = [];
    const stream = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(JSON.parse(chunk.toString()) as { message?: string }); done(); } });
    const log = createLogger({ stream, format: 'json' });
    const warnings = () => lines.filter((l) => l.level === 'warn').map((l) => l.message ?? '');
    cluster.uninstallKind('KongPlugin');
    let changes = 0;
    const watch = new SupervisedWatch({
      spec: { role: 'kongPlugins', kind: 'KongPlugin', gate: 'hard', optionalResource: true }, factory: cluster.watchFactory,
      clock: controllerClock(fake), log, timings: { backoffBaseMs: 1000, backoffMaxMs: 8000, relistMs: 600_000 },
      onChange: () => { changes += 1; },
    });
    watch.start();
    await fake.tickAsync(0);
    expect([watch.hasSynced(), watch.isAbsent(), watch.store.size, changes]).to.deep.equal([true, true, 0, 1]);
    await fake.tickAsync(20_000);
    expect(warnings().filter((w) => w.includes('not served'))).to.have.length(1);
    expect(cluster.lists.get('KongPlugin'), 'asked again with backoff').to.be.within(3, 6);
    cluster.installKind('KongPlugin');
    cluster.apply(kongPlugin('shop', 'rl'));
    await fake.tickAsync(8000);
    expect([watch.isAbsent(), watch.store.list().map((o) => o.metadata?.name)]).to.deep.equal([false, ['rl']]);
    await watch.stop();
  });

  it('treats other failures of an optional resource as failures (the watch stays unsynced)', async () => {
    const cluster = new FakeCluster();
    const fake = FakeTimers.createClock(0);
    cluster.failStarts('KongPlugin', 10);
    const watch = new SupervisedWatch({
      spec: { role: 'kongPlugins', kind: 'KongPlugin', gate: 'hard', optionalResource: true }, factory: cluster.watchFactory,
      clock: controllerClock(fake), log: silentLogger(), onChange: () => undefined,
    });
    watch.start();
    await fake.tickAsync(0);
    expect([watch.hasSynced(), watch.isAbsent()]).to.deep.equal([false, false]);
    await watch.stop();
  });
});

describe('controller: plugin and consumer watches', () => {
  let h: Harness;
  let kong: RecordingKong;
  afterEach(async () => { await h.stop(); });

  const lastHosts = () => kong.syncs.at(-1)?.applied.config.services.flatMap((s) => s.routes.flatMap((r) => r.hosts ?? [])).sort();
  const cachedNames = (role: string) => h.controller.cachedObjects(role).map((o) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`);
  const absentEvents = () => h.cluster.events.filter((e) => e.reason === 'CustomResourcesNotInstalled');

  it('pushes at once without the Kong CRDs, says so once on the MeshDoor, and reads them once installed', async () => {
    kong = recordingKong();
    const cluster = new FakeCluster();
    for (const kind of ['KongPlugin', 'KongClusterPlugin', 'KongConsumer'] as const) cluster.uninstallKind(kind);
    h = await startHarness({ cluster, kong, kongAdminUrls: ['http://127.0.0.1:1'], objects: [...gatewayObjects(1), service('shop', 'web'), ingress('shop', 'web')] });
    const started = h.clock.now;
    await h.eventually(() => { expect(lastHosts()).to.deep.equal(['web.example.com']); });
    expect(h.clock.now - started, 'no wait for the absent resources').to.be.below(2000);
    await h.eventually(() => { expect(absentEvents()).to.have.length(1); });
    expect(absentEvents()[0]?.involvedObject.kind).to.equal('MeshDoor');
    expect(absentEvents()[0]?.message).to.include('kongplugins.configuration.konghq.com');
    h.cluster.apply(ingress('shop', 'web2'));
    await h.eventually(() => { expect(lastHosts()).to.deep.equal(['web.example.com', 'web2.example.com']); });
    expect(absentEvents(), 'said once').to.have.length(1);

    for (const kind of ['KongPlugin', 'KongClusterPlugin', 'KongConsumer'] as const) h.cluster.installKind(kind);
    h.cluster.apply(kongPlugin('shop', 'rl'));
    h.cluster.apply(clusterPlugin('cors', {}, { global: 'true' }));
    await h.eventually(() => {
      expect(cachedNames('kongPlugins')).to.deep.equal(['shop/rl']);
      expect(cachedNames('kongClusterPlugins')).to.deep.equal(['/cors']);
    }, 120_000);
  });

  it('caches only the credential and plugin Secrets that served objects name', async () => {
    kong = recordingKong();
    h = await startHarness({
      kong, kongAdminUrls: ['http://127.0.0.1:1'],
      objects: [
        ...gatewayObjects(1), service('shop', 'web'), withPlugins(ingress('shop', 'web'), 'rl'),
        kongPlugin('shop', 'rl', { config: undefined, configFrom: secretRef('rl-config') }), kongPlugin('shop', 'idle', { config: undefined, configFrom: secretRef('idle-config') }),
        consumer('shop', 'alice', ['alice-key']),
        secret('shop', 'alice-key', { 'konghq.com/credential': 'key-auth' }), secret('shop', 'bob-key', { 'konghq.com/credential': 'key-auth' }),
        secret('shop', 'rl-config'), secret('shop', 'idle-config'), secret('shop', 'unrelated'),
      ],
    });
    await h.eventually(() => { expect(cachedNames('secrets')).to.deep.equal(['shop/alice-key', 'shop/rl-config']); });
    expect(h.cluster.liveWatches('Secret').map(watchSpecId).sort()).to.deep.equal([
      'secrets|Secret|shop|konghq.com/credential||keep=shop/alice-key', 'secrets|Secret|shop|||keep=shop/rl-config',
    ]);
    h.cluster.apply(consumer('shop', 'alice', ['alice-key', 'bob-key']));
    await h.eventually(() => { expect(cachedNames('secrets')).to.deep.equal(['shop/alice-key', 'shop/bob-key', 'shop/rl-config']); });
    h.cluster.apply(ingress('shop', 'web'));
    await h.eventually(() => { expect(cachedNames('secrets'), 'the plugin is no longer used').to.deep.equal(['shop/alice-key', 'shop/bob-key']); });
  });
});
