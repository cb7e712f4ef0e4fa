// Incremental translation with plugins: after any sequence of edits to
// Ingresses, Services, KongPlugins, KongClusterPlugins (named and global),
// KongConsumers and their Secrets, a translator that remembers earlier passes
// gives exactly what a new translator gives from fresh copies; a plugin edit
// re-plans its referrers only.
import { expect } from 'chai';
import type { V1Ingress, V1Secret, V1Service } from '@kubernetes/client-node';
import { seededRandom } from '../../../bench/generate.ts';
import type { KongConsumerResource, KongPluginResource } from '../../../src/plugins/index.ts';
import { OFFLINE_SCHEMAS } from '../../../src/plugins/index.ts';
import { createTranslator } from '../../../src/translate/index.ts';
import type { Snapshot, TranslateOptions, TranslateResult } from '../../../src/translate/types.ts';
import { recordedAnswer } from '../../plugins/recorded-schemas.ts';
import { ingress, ingressClass, rule, service, settings, snapshot } from '../builders.ts';
import { cachedSchemas, clusterPlugin, kongConsumer, kongPlugin, opaqueSecret, PLUGINS, pluginsOf } from './plugin-builders.ts';

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const APPS = ['web', 'api', 'shop'];
const NAMESPACES = ['a', 'b'];

function randomIngress(rnd: Random, namespace: string, app: string, round: number): V1Ingress {
  const annotations: Record<string, string> = {};
  const plugins = pick(rnd, [undefined, 'rl', 'auth', 'rl, auth', 'shared', 'missing', 'cfg', 'b:rl']);
  if (plugins !== undefined) annotations[PLUGINS] = plugins;
  const spec = { rules: [rule(`${app}.example.com`, ['/', 'Prefix', app, 80], [pick(rnd, ['/api', '/v1']), 'Prefix', pick(rnd, APPS), 80])] };
  return ingress(`ing-${app}`, rnd() < 0.1 ? { ...spec, defaultBackend: { service: { name: app, port: { number: 80 } } } } : spec, { namespace, annotations, created: `2025-01-01T00:00:${String(round % 60).padStart(2, '0')}Z`, uid: `${namespace}-${app}-${round}` });
}

function randomService(rnd: Random, namespace: string, app: string, round: number): V1Service {
  const plugins = pick(rnd, [undefined, undefined, 'cors', 'missing']);
  return service(app, [{ port: 80 }], { namespace, uid: `${namespace}-${app}-svc-${round}`, ...(plugins ? { annotations: { [PLUGINS]: plugins } } : {}) });
}

function randomPlugin(rnd: Random, namespace: string, name: string): KongPluginResource {
  if (name === 'auth') return kongPlugin('auth', { plugin: 'key-auth', config: { hide_credentials: rnd() < 0.5 } }, namespace);
  if (name === 'cors') return kongPlugin('cors', { plugin: 'cors', config: { origins: [pick(rnd, ['https://a.example.com', 'https://b.example.com'])] }, ...(rnd() < 0.3 ? { disabled: true } : {}) }, namespace);
  if (name === 'cfg') return kongPlugin('cfg', { plugin: 'rate-limiting', configFrom: { secretKeyRef: { name: 'rl-config', key: 'config' } } }, namespace);
  // Now and then a config the schema refuses.
  return kongPlugin('rl', { plugin: 'rate-limiting', config: { minute: pick(rnd, [5, 10, 'many']), policy: 'local' } }, namespace);
}

function randomGlobal(rnd: Random): KongPluginResource {
  // Always valid: a broken global keeps its last good version, which a new translator cannot know.
  return clusterPlugin('metrics', { plugin: 'prometheus', config: { per_consumer: rnd() < 0.5 } }, { global: true, ingressClass: 'kong' });
}

function randomConsumer(rnd: Random, namespace: string, name: string): KongConsumerResource {
  const annotations: Record<string, string> = { 'kubernetes.io/ingress.class': 'kong' };
  if (rnd() < 0.6) annotations[PLUGINS] = 'rl';
  return kongConsumer(name, { username: `${namespace}-${name}`, credentials: pick(rnd, [[], [`${name}-key`], ['missing']]) }, annotations, namespace);
}

function randomSecret(rnd: Random, namespace: string, name: string): V1Secret {
  if (name === 'rl-config') return opaqueSecret('rl-config', { config: `minute: ${pick(rnd, ['3', '4', 'lots'])}\npolicy: local\n` }, {}, namespace);
  return opaqueSecret(name, { key: `${namespace}-${name}-${Math.floor(rnd() * 3)}` }, { 'konghq.com/credential': 'key-auth' }, namespace);
}

type Named = { metadata?: { namespace?: string; name?: string } };

function replaced<T extends Named>(list: readonly T[], next: T): T[] {
  const same = (o: T): boolean => o.metadata?.namespace === next.metadata?.namespace && o.metadata?.name === next.metadata?.name;
  return [...list.filter((o) => !same(o)), next];
}

function dropped<T>(rnd: Random, list: readonly T[]): T[] {
  const gone = pick(rnd, list);
  return list.filter((o) => o !== gone);
}

/** One edit, as the watch caches see it: the changed list is a new array, the others stay. */
function edit(snap: Snapshot, rnd: Random, round: number): Snapshot {
  const namespace = pick(rnd, NAMESPACES);
  const roll = rnd();
  if (roll < 0.25) return { ...snap, Ingress: replaced(snap.Ingress, randomIngress(rnd, namespace, pick(rnd, APPS), round)) };
  if (roll < 0.35) return { ...snap, Service: replaced(snap.Service, randomService(rnd, namespace, pick(rnd, APPS), round)) };
  if (roll < 0.5) return { ...snap, KongPlugin: replaced(snap.KongPlugin, randomPlugin(rnd, namespace, pick(rnd, ['rl', 'auth', 'cors', 'cfg']))) };
  if (roll < 0.58) return { ...snap, KongPlugin: dropped(rnd, snap.KongPlugin) };
  if (roll < 0.66) return { ...snap, KongClusterPlugin: rnd() < 0.3 ? [] : [randomGlobal(rnd), clusterPlugin('shared', { plugin: 'request-size-limiting', config: { allowed_payload_size: pick(rnd, [1, 2]) } })] };
  if (roll < 0.8) return { ...snap, KongConsumer: rnd() < 0.3 ? dropped(rnd, snap.KongConsumer) : replaced(snap.KongConsumer, randomConsumer(rnd, namespace, pick(rnd, ['alice', 'bob']))) };
  const secret = pick(rnd, ['rl-config', 'alice-key', 'bob-key']);
  return { ...snap, Secret: rnd() < 0.25 ? snap.Secret.filter((s) => s.metadata?.name !== secret || s.metadata.namespace !== namespace) : replaced(snap.Secret, randomSecret(rnd, namespace, secret)) };
}

function initial(rnd: Random): Snapshot {
  return snapshot({
    ingresses: NAMESPACES.flatMap((ns) => APPS.map((app, i) => randomIngress(rnd, ns, app, i))),
    services: NAMESPACES.flatMap((ns) => APPS.map((app, i) => randomService(rnd, ns, app, i))),
    kongPlugins: NAMESPACES.flatMap((ns) => ['rl', 'auth', 'cors', 'cfg'].map((name) => randomPlugin(rnd, ns, name))),
    kongClusterPlugins: [randomGlobal(rnd)],
    kongConsumers: NAMESPACES.flatMap((ns) => ['alice', 'bob'].map((name) => randomConsumer(rnd, ns, name))),
    secrets: NAMESPACES.flatMap((ns) => ['rl-config', 'alice-key', 'bob-key'].map((name) => randomSecret(rnd, ns, name))),
    ingressClasses: [ingressClass('kong')],
  });
}

/** A new translator, fresh copies, a whole pass (an exclusion, even of nothing, forces one). */
function fromScratch(snap: Snapshot, options: TranslateOptions): TranslateResult {
  return createTranslator().translate(structuredClone(snap), { ...options, settings: structuredClone(options.settings), exclude: options.exclude ?? new Set(['Ingress/none/none']) });
}

const comparable = (result: TranslateResult): unknown => JSON.parse(JSON.stringify({ ...result, hosts: undefined })) as unknown;

describe('incremental translation with plugins', () => {
  it('gives what a translation from scratch gives after every edit, also when the schema answers change', () => {
    let withPlugins = 0;
    let withConsumers = 0;
    let switches = 0;
    for (const seed of [21, 22, 23]) {
      const rnd = seededRandom(seed);
      const { translate } = createTranslator();
      const base = settings();
      // The gateway's answers (one object per plugin name, as the schema cache gives), or none yet.
      const [recorded, offline] = [cachedSchemas(recordedAnswer), cachedSchemas(OFFLINE_SCHEMAS)];
      let schemas = recorded;
      let snap = initial(rnd);
      for (let round = 1; round <= 80; round += 1) {
        snap = edit(snap, rnd, round);
        if (rnd() < 0.1) {
          schemas = schemas === recorded ? offline : recorded;
          switches += 1;
        }
        const exclude = rnd() < 0.1 ? new Set([`KongPlugin/${pick(rnd, NAMESPACES)}/${pick(rnd, ['rl', 'auth', 'cors'])}`]) : undefined;
        const opts = { settings: base, pluginSchemas: schemas, ...(exclude ? { exclude } : {}) };
        const incremental = translate(snap, opts);
        expect(comparable(incremental), `seed ${seed}, round ${round}`).to.deep.equal(comparable(fromScratch(snap, opts)));
        if (pluginsOf(incremental).length > 0) withPlugins += 1;
        if ((incremental.config.consumers ?? []).length > 0) withConsumers += 1;
      }
    }
    expect(withPlugins, 'passes with plugins').to.be.greaterThan(100);
    expect(withConsumers, 'passes with consumers').to.be.greaterThan(50);
    expect(switches, 'schema answer changes').to.be.greaterThan(10);
  });

  it('a schema answer that changes (the gateway answered) re-checks the plans and consumers that used it', () => {
    const { translate } = createTranslator();
    const same = settings();
    const rl = kongPlugin('rl', { plugin: 'rate-limiting', config: { minute: 'many' } });
    const alice = kongConsumer('alice', { username: 'alice' }, { 'kubernetes.io/ingress.class': 'kong', [PLUGINS]: 'rl' });
    const snap = snapshot({
      ingresses: [ingress('site', { rules: [rule('a.example.com', ['/', 'Prefix', 'web', 80])] }, { annotations: { [PLUGINS]: 'rl' } })],
      services: [service('web')], kongPlugins: [rl], kongConsumers: [alice], ingressClasses: [ingressClass('kong')],
    });
    const offline = translate(snap, { settings: same, pluginSchemas: OFFLINE_SCHEMAS });
    expect(offline.failures).to.deep.equal([]);
    expect(offline.config.consumers).to.have.length(1);
    const checked = translate(snap, { settings: same, pluginSchemas: cachedSchemas(recordedAnswer) });
    expect(checked.failures.map((f) => `${f.object.kind}:${f.reason}`)).to.deep.equal(['Ingress:InvalidPluginConfig', 'KongConsumer:InvalidPluginConfig', 'KongPlugin:InvalidPluginConfig']);
    expect(pluginsOf(checked)).to.deep.equal([]);
    expect(checked.config).to.not.have.any.keys('consumers', 'plugins');
  });

  it('a KongPlugin edit re-plans its referrers only: other Ingresses keep their route entities', () => {
    const { translate } = createTranslator();
    const options = { settings: settings(), pluginSchemas: cachedSchemas(recordedAnswer) };
    const uses = ingress('uses', { rules: [rule('a.example.com', ['/', 'Prefix', 'web', 80])] }, { annotations: { [PLUGINS]: 'rl' } });
    const plain = ingress('plain', { rules: [rule('b.example.com', ['/', 'Prefix', 'web', 80])] });
    const global = clusterPlugin('metrics', { plugin: 'prometheus' }, { global: true, ingressClass: 'kong' });
    const parts = { ingresses: [uses, plain], services: [service('web')], ingressClasses: [ingressClass('kong')], kongClusterPlugins: [global] };
    const routeOf = (result: TranslateResult, name: string) => result.config.services.flatMap((s) => s.routes).find((r) => r.name === name);
    const first = translate(snapshot({ ...parts, kongPlugins: [kongPlugin('rl', { plugin: 'rate-limiting', config: { minute: 5 } })] }), options);
    const edited = [kongPlugin('rl', { plugin: 'rate-limiting', config: { minute: 6 } })];
    const second = translate(snapshot({ ...parts, kongPlugins: edited }), options);
    expect(routeOf(second, 'default.plain.web.b.example.com.80')).to.equal(routeOf(first, 'default.plain.web.b.example.com.80'));
    expect(routeOf(second, 'default.uses.web.a.example.com.80')).to.not.equal(routeOf(first, 'default.uses.web.a.example.com.80'));
    expect(pluginsOf(second).find((p) => p.route)?.config).to.deep.equal({ minute: 6 });
    // A global plugin edit changes the global plugin only; no route is rebuilt.
    const third = translate(snapshot({ ...parts, kongClusterPlugins: [clusterPlugin('metrics', { plugin: 'prometheus', config: { per_consumer: true } }, { global: true, ingressClass: 'kong' })], kongPlugins: edited }), options);
    expect(routeOf(third, 'default.uses.web.a.example.com.80')).to.equal(routeOf(second, 'default.uses.web.a.example.com.80'));
    expect(pluginsOf(third).find((p) => !p.route)?.config).to.deep.equal({ per_consumer: true });
    // Deleting the plugin object takes its referrer's routes out, never serving them without it.
    const fourth = translate(snapshot({ ...parts, kongPlugins: [] }), options);
    expect(routeOf(fourth, 'default.uses.web.a.example.com.80')).to.equal(undefined);
    expect(routeOf(fourth, 'default.plain.web.b.example.com.80')).to.equal(routeOf(first, 'default.plain.web.b.example.com.80'));
    expect(fourth.failures.map((f) => `${f.object.name}:${f.reason}`)).to.deep.equal(['uses:PluginNotFound']);
  });
});
