// konghq.com/plugins on Ingresses and Services, global KongClusterPlugins and
// KongConsumers through the translator: each resource shape gives the Kong
// entities Kong accepts, and every rule that cannot be honoured withholds the
// referrer (never a route without a plugin it asks for).
import { expect } from 'chai';
import { kongEntityId } from '../../../src/model/index.ts';
import { kongConsumerId, kongCredentialId, kongPluginId, OFFLINE_SCHEMAS } from '../../../src/plugins/index.ts';
import type { SchemaLookup } from '../../../src/plugins/index.ts';
import { createTranslator } from '../../../src/translate/index.ts';
import type { TranslateResult } from '../../../src/translate/types.ts';
import { recordedAnswer } from '../../plugins/recorded-schemas.ts';
import { allRoutes, ingress, ingressClass, reasons, rule, service, settings, snapshot } from '../builders.ts';
import type { SnapshotParts } from '../builders.ts';
import {
  clusterPlugin, consumersOf, kongConsumer, kongPlugin, kongVerdict, opaqueSecret, PLUGINS, pluginsOf,
} from './plugin-builders.ts';

const routeId = (name: string): string => kongEntityId('routes', name);
const serviceId = (name: string): string => kongEntityId('services', name);
const SITE_ROUTES = ['default.site.api.a.example.com.80', 'default.site.web.a.example.com.80'];
const OTHER_ROUTE = 'default.other.web.b.example.com.80';

function siteIngress(plugins?: string) {
  return ingress('site', { rules: [rule('a.example.com', ['/', 'Prefix', 'web', 80], ['/api', 'Prefix', 'api', 80])] }, plugins === undefined ? {} : { annotations: { [PLUGINS]: plugins } });
}

const other = ingress('other', { rules: [rule('b.example.com', ['/', 'Prefix', 'web', 80])] });
const base: SnapshotParts = { ingresses: [siteIngress('rl'), other], services: [service('web'), service('api')], ingressClasses: [ingressClass('kong')] };
const rl = kongPlugin('rl', { plugin: 'rate-limiting', config: { minute: 5, policy: 'local' } });

function translate(parts: SnapshotParts, extra: { schemas?: SchemaLookup; exclude?: string[] } = {}): TranslateResult {
  return createTranslator().translate(snapshot(parts), {
    settings: settings(), pluginSchemas: extra.schemas ?? recordedAnswer, ...(extra.exclude ? { exclude: new Set(extra.exclude) } : {}),
  });
}

const routeNames = (result: TranslateResult): string[] => allRoutes(result).map((r) => r.name).sort();
const configuredKeys = (result: TranslateResult): string[] => result.configured.map((r) => `${r.kind}/${r.namespace ?? ''}/${r.name}`);

describe('translate: plugins on Ingresses and Services', () => {
  it('puts a KongPlugin on every route of the Ingress that names it, by route id, and on no other route', () => {
    const result = translate({ ...base, kongPlugins: [rl] });
    expect(result.failures).to.deep.equal([]);
    expect(routeNames(result)).to.deep.equal([OTHER_ROUTE, ...SITE_ROUTES].sort());
    const plugins = pluginsOf(result);
    expect(plugins.map((p) => p.route?.id).sort()).to.deep.equal(SITE_ROUTES.map(routeId).sort());
    for (const plugin of plugins) {
      expect(plugin).to.deep.include({ name: 'rate-limiting', config: { minute: 5, policy: 'local' }, enabled: true });
      expect(plugin.id).to.equal(kongPluginId('rate-limiting', { routeId: plugin.route?.id ?? '' }));
      expect(plugin.tags).to.include.members(['k8s-kind:KongPlugin', 'k8s-name:rl', 'k8s-namespace:default', 'managed-by:meshdoor']);
      expect(plugin).to.not.have.any.keys('service', 'consumer', 'protocols', 'instance_name');
    }
    expect(plugins.map((p) => p.id)).to.deep.equal(plugins.map((p) => p.id).sort());
    expect(configuredKeys(result)).to.include('KongPlugin/default/rl');
    expect(kongVerdict(result)).to.equal('accepted');
  });

  it('leaves plugins and consumers out of the config when there are none (configs keep their bytes)', () => {
    const result = translate({ ...base, ingresses: [siteIngress(), other] });
    expect(result.config).to.not.have.any.keys('plugins', 'consumers');
  });

  it('reads config from a Secret (configFrom) and patches values from Secrets (configPatches), listing the Secrets as configured', () => {
    const fromSecret = kongPlugin('rl', { plugin: 'rate-limiting', configFrom: { secretKeyRef: { name: 'rl-config', key: 'config' } } });
    const patched = kongPlugin('auth', { plugin: 'key-auth', config: { hide_credentials: true }, configPatches: [{ path: '/key_names', valueFrom: { secretKeyRef: { name: 'auth-names', key: 'names' } } }] });
    const secrets = [opaqueSecret('rl-config', { config: 'minute: 7\npolicy: local\n' }), opaqueSecret('auth-names', { names: '["apikey"]' })];
    const result = translate({ ...base, ingresses: [siteIngress('rl, auth'), other], kongPlugins: [fromSecret, patched], secrets });
    expect(result.failures).to.deep.equal([]);
    const byName = (name: string) => pluginsOf(result).filter((p) => p.name === name);
    expect(byName('rate-limiting').map((p) => p.config)).to.deep.equal([{ minute: 7, policy: 'local' }, { minute: 7, policy: 'local' }]);
    expect(byName('key-auth').map((p) => p.config)).to.deep.equal([{ hide_credentials: true, key_names: ['apikey'] }, { hide_credentials: true, key_names: ['apikey'] }]);
    expect(configuredKeys(result)).to.include.members(['Secret/default/rl-config', 'Secret/default/auth-names', 'KongPlugin/default/auth', 'KongPlugin/default/rl']);
    expect(kongVerdict(result)).to.equal('accepted');
  });

  it('keeps disabled, protocols and instance_name (one instance name per route: Kong keeps them unique)', () => {
    const cors = kongPlugin('cors', { plugin: 'cors', config: { origins: ['https://a.example.com'] }, disabled: true, protocols: ['https'], instance_name: 'site-cors' });
    const result = translate({ ...base, ingresses: [siteIngress('cors'), other], kongPlugins: [cors] });
    expect(result.failures).to.deep.equal([]);
    const plugins = pluginsOf(result);
    expect(plugins.map((p) => [p.enabled, p.protocols])).to.deep.equal([[false, ['https']], [false, ['https']]]);
    const names = plugins.map((p) => p.instance_name ?? '');
    expect(names.every((n) => n.startsWith('site-cors-'))).to.equal(true);
    expect(new Set(names).size).to.equal(2);
    expect(kongVerdict(result)).to.equal('accepted');
  });

  it('uses the KongClusterPlugin of that name when the namespace has no KongPlugin of it (no class annotation needed)', () => {
    const shared = clusterPlugin('rl', { plugin: 'rate-limiting', config: { second: 2, policy: 'local' } });
    const result = translate({ ...base, kongClusterPlugins: [shared] });
    expect(result.failures).to.deep.equal([]);
    expect(pluginsOf(result).map((p) => p.config)).to.deep.equal([{ second: 2, policy: 'local' }, { second: 2, policy: 'local' }]);
    expect(pluginsOf(result)[0]?.tags).to.include('k8s-kind:KongClusterPlugin');
    expect(configuredKeys(result)).to.include('KongClusterPlugin//rl');
  });

  it('puts a Service\'s plugin on its Kong service once, whichever Ingresses route to it', () => {
    const web = service('web', [{ port: 80 }], { annotations: { [PLUGINS]: 'rl' } });
    const result = translate({ ...base, ingresses: [siteIngress(), other], services: [web, service('api')], kongPlugins: [rl] });
    expect(result.failures).to.deep.equal([]);
    expect(pluginsOf(result).map((p) => [p.name, p.service?.id, p.route])).to.deep.equal([['rate-limiting', serviceId('default.web.80'), undefined]]);
    expect(kongVerdict(result)).to.equal('accepted');
  });
});

describe('translate: plugin failures withhold the referrer', () => {
  const withheld = (result: TranslateResult): void => {
    expect(routeNames(result)).to.deep.equal([OTHER_ROUTE]);
    expect(pluginsOf(result)).to.deep.equal([]);
    expect(configuredKeys(result)).to.not.include('Ingress/default/site');
  };

  it('a missing plugin object: the Ingress fails (PluginNotFound), its routes are not served, the rest is', () => {
    const result = translate(base);
    expect(reasons(result)).to.deep.equal(['Ingress/default/site:PluginNotFound']);
    expect(result.failures[0]?.message).to.contain("'rl'").and.to.contain("none of this Ingress's routes are configured");
    withheld(result);
  });

  it('a KongPlugin of another namespace (ns:name): PluginWrongNamespace', () => {
    const result = translate({ ...base, ingresses: [siteIngress('shop:rl'), other], kongPlugins: [kongPlugin('rl', { plugin: 'rate-limiting', config: { minute: 1 } }, 'shop')] });
    expect(reasons(result)).to.deep.equal(['Ingress/default/site:PluginWrongNamespace']);
    withheld(result);
  });

  it('a missing configFrom Secret, or a missing key: PluginSecretMissing on the Ingress and on the KongPlugin, no value repeated', () => {
    const fromSecret = kongPlugin('rl', { plugin: 'rate-limiting', configFrom: { secretKeyRef: { name: 'rl-config', key: 'config' } } });
    const missing = translate({ ...base, kongPlugins: [fromSecret] });
    expect(reasons(missing)).to.deep.equal(['Ingress/default/site:PluginSecretMissing', 'KongPlugin/default/rl:PluginSecretMissing']);
    withheld(missing);
    const noKey = translate({ ...base, kongPlugins: [fromSecret], secrets: [opaqueSecret('rl-config', { other: 'minute: 1' })] });
    expect(reasons(noKey)).to.deep.equal(['Ingress/default/site:PluginSecretMissing', 'KongPlugin/default/rl:PluginSecretMissing']);
    expect(noKey.failures[1]?.message).to.contain("has no key 'config'");
    withheld(noKey);
  });

  it('a config the recorded schema refuses: InvalidPluginConfig naming the field; a Secret value is never repeated', () => {
    const bad = kongPlugin('rl', { plugin: 'rate-limiting', config: { minute: 'many' } });
    const result = translate({ ...base, kongPlugins: [bad] });
    expect(reasons(result)).to.deep.equal(['Ingress/default/site:InvalidPluginConfig', 'KongPlugin/default/rl:InvalidPluginConfig']);
    expect(result.failures[1]?.message).to.contain('minute');
    withheld(result);
    const fromSecret = kongPlugin('rl', { plugin: 'rate-limiting', configFrom: { secretKeyRef: { name: 'rl-config', key: 'config' } } });
    const leaky = translate({ ...base, kongPlugins: [fromSecret], secrets: [opaqueSecret('rl-config', { config: '{"minute": 5, "policy": "s3cr3t-value"}' })] });
    expect(reasons(leaky)).to.include('KongPlugin/default/rl:InvalidPluginConfig');
    expect(JSON.stringify(leaky.failures)).to.not.contain('s3cr3t-value');
    withheld(leaky);
  });

  it('offline (no schema), a structurally broken config still fails and a sound one is served', () => {
    const offline = translate({ ...base, kongPlugins: [rl] }, { schemas: OFFLINE_SCHEMAS });
    expect(offline.failures).to.deep.equal([]);
    expect(pluginsOf(offline)).to.have.length(2);
    const broken = translate({ ...base, kongPlugins: [kongPlugin('rl', { plugin: 'rate-limiting', config: 'minute=5' })] }, { schemas: OFFLINE_SCHEMAS });
    expect(reasons(broken)).to.deep.equal(['Ingress/default/site:InvalidPluginConfig', 'KongPlugin/default/rl:InvalidPluginConfig']);
    withheld(broken);
  });

  it('two references to the same Kong plugin: DuplicatePlugin', () => {
    const twice = [rl, kongPlugin('rl2', { plugin: 'rate-limiting', config: { hour: 100, policy: 'local' } })];
    const result = translate({ ...base, ingresses: [siteIngress('rl, rl2'), other], kongPlugins: twice });
    expect(reasons(result)).to.deep.equal(['Ingress/default/site:DuplicatePlugin']);
    withheld(result);
  });

  it('a KongPlugin Kong refused (excluded): its referrers fail too, never served without it', () => {
    const result = translate({ ...base, kongPlugins: [rl] }, { exclude: ['KongPlugin/default/rl'] });
    expect(reasons(result)).to.deep.equal(['Ingress/default/site:KongRejected']);
    expect(result.failures[0]?.message).to.contain('KongPlugin default/rl');
    withheld(result);
  });

  it('a Service whose plugin does not resolve: every route to it is withheld, other routes of the same Ingress are served', () => {
    const web = service('web', [{ port: 80 }], { annotations: { [PLUGINS]: 'missing' } });
    const result = translate({ ...base, ingresses: [siteIngress(), other], services: [web, service('api')] });
    expect(reasons(result)).to.deep.equal(['Ingress/default/other:PluginNotFound', 'Ingress/default/site:PluginNotFound', 'Service/default/web:PluginNotFound']);
    expect(routeNames(result)).to.deep.equal(['default.site.api.a.example.com.80']);
    expect(result.config.services.map((s) => s.name)).to.deep.equal(['default.api.80']);
  });

  it('the default backend route of an Ingress carries its plugins too', () => {
    const fallback = ingress('fallback', { defaultBackend: { service: { name: 'web', port: { number: 80 } } } }, { annotations: { [PLUGINS]: 'rl' } });
    const result = translate({ ...base, ingresses: [fallback], kongPlugins: [rl] });
    expect(result.failures).to.deep.equal([]);
    const [route] = allRoutes(result);
    expect(pluginsOf(result).map((p) => p.route?.id)).to.deep.equal([route?.id]);
  });
});

describe('translate: global KongClusterPlugins', () => {
  const prometheus = clusterPlugin('metrics', { plugin: 'prometheus', config: { per_consumer: false } }, { global: true, ingressClass: 'kong' });

  it('a global KongClusterPlugin of meshdoor\'s class is one Kong plugin with no attachment', () => {
    const result = translate({ ...base, ingresses: [siteIngress(), other], kongClusterPlugins: [prometheus] });
    expect(result.failures).to.deep.equal([]);
    expect(pluginsOf(result).map((p) => [p.name, p.id, p.route, p.service, p.consumer])).to.deep.equal([['prometheus', kongPluginId('prometheus', {}), undefined, undefined, undefined]]);
    expect(configuredKeys(result)).to.include('KongClusterPlugin//metrics');
    expect(kongVerdict(result)).to.equal('accepted');
  });

  it('the class rule: another class, or no class annotation unless meshdoor\'s IngressClass is the cluster default', () => {
    const parts = { ...base, ingresses: [siteIngress(), other] };
    const otherClass = clusterPlugin('metrics', { plugin: 'prometheus' }, { global: true, ingressClass: 'nginx' });
    expect(pluginsOf(translate({ ...parts, kongClusterPlugins: [otherClass] }))).to.deep.equal([]);
    const classless = clusterPlugin('metrics', { plugin: 'prometheus' }, { global: true });
    expect(pluginsOf(translate({ ...parts, kongClusterPlugins: [classless] }))).to.deep.equal([]);
    expect(pluginsOf(translate({ ...parts, ingressClasses: [ingressClass('kong', true)], kongClusterPlugins: [classless] }))).to.have.length(1);
  });

  it('a broken global plugin keeps its last version that resolved (and says so); never resolved, it is left out; routes stay served', () => {
    const { translate: pass } = createTranslator();
    const options = { settings: settings(), pluginSchemas: recordedAnswer };
    const parts = { ...base, ingresses: [siteIngress(), other] };
    const good = pass(snapshot({ ...parts, kongClusterPlugins: [prometheus] }), options);
    const broken = clusterPlugin('metrics', { plugin: 'prometheus', config: { per_consumer: 'yes' } }, { global: true, ingressClass: 'kong' });
    const kept = pass(snapshot({ ...parts, kongClusterPlugins: [broken] }), options);
    expect(reasons(kept)).to.deep.equal(['KongClusterPlugin//metrics:InvalidPluginConfig']);
    expect(kept.failures[0]?.message).to.contain('last version that resolved is served');
    expect(pluginsOf(kept)).to.deep.equal(pluginsOf(good));
    expect(routeNames(kept)).to.deep.equal(routeNames(good));
    const fresh = translate({ ...parts, kongClusterPlugins: [broken] });
    expect(reasons(fresh)).to.deep.equal(['KongClusterPlugin//metrics:InvalidPluginConfig']);
    expect(fresh.failures[0]?.message).to.contain('left out');
    expect(pluginsOf(fresh)).to.deep.equal([]);
    expect(routeNames(fresh)).to.deep.equal(routeNames(good));
  });

  it('two global plugins of one Kong plugin name: the first by name is used, the other is reported', () => {
    const second = clusterPlugin('metrics2', { plugin: 'prometheus' }, { global: true, ingressClass: 'kong' });
    const result = translate({ ...base, ingresses: [siteIngress(), other], kongClusterPlugins: [second, prometheus] });
    expect(reasons(result)).to.deep.equal(['KongClusterPlugin//metrics2:DuplicatePlugin']);
    expect(pluginsOf(result).map((p) => p.tags.find((t) => t.startsWith('k8s-name:')))).to.deep.equal(['k8s-name:metrics']);
  });
});

describe('translate: KongConsumers', () => {
  const credentials = [
    opaqueSecret('alice-key', { key: 'alice-api-key' }, { 'konghq.com/credential': 'key-auth' }),
    opaqueSecret('alice-basic', { username: 'alice', password: 'pw' }, { 'konghq.com/credential': 'basic-auth' }),
    opaqueSecret('alice-hmac', { username: 'alice-h', secret: 'hs' }, { 'konghq.com/credential': 'hmac-auth' }),
    opaqueSecret('alice-jwt', { key: 'alice-iss', secret: 'js', algorithm: 'HS256' }, { 'konghq.com/credential': 'jwt' }),
    opaqueSecret('alice-acl', { group: 'gold' }, { 'konghq.com/credential': 'acl' }),
  ];
  const names = credentials.map((s) => s.metadata?.name ?? '');
  const auth = kongPlugin('auth', { plugin: 'key-auth' });

  it('a consumer with every credential type and a consumer plugin, next to a key-auth Ingress', () => {
    const alice = kongConsumer('alice', { username: 'alice', credentials: names }, { 'kubernetes.io/ingress.class': 'kong', [PLUGINS]: 'rl' });
    const result = translate({ ...base, ingresses: [siteIngress('auth'), other], kongPlugins: [auth, rl], kongConsumers: [alice], secrets: credentials });
    expect(result.failures).to.deep.equal([]);
    const [consumer, ...more] = consumersOf(result);
    expect(more).to.deep.equal([]);
    const id = kongConsumerId({ username: 'alice' });
    expect(consumer?.id).to.equal(id);
    expect(consumer?.keyauth_credentials.map((c) => [c.id, c.key])).to.deep.equal([[kongCredentialId('keyauth_credentials', id, { namespace: 'default', name: 'alice-key' }), 'alice-api-key']]);
    expect(consumer?.basicauth_credentials.map((c) => c.username)).to.deep.equal(['alice']);
    expect(consumer?.hmacauth_credentials.map((c) => c.username)).to.deep.equal(['alice-h']);
    expect(consumer?.jwt_secrets.map((c) => [c.key, c.algorithm])).to.deep.equal([['alice-iss', 'HS256']]);
    expect(consumer?.acls.map((c) => c.group)).to.deep.equal(['gold']);
    const consumerPlugins = pluginsOf(result).filter((p) => p.consumer);
    expect(consumerPlugins.map((p) => [p.name, p.consumer?.id])).to.deep.equal([['rate-limiting', id]]);
    expect(pluginsOf(result).filter((p) => p.name === 'key-auth')).to.have.length(2);
    expect(configuredKeys(result)).to.include.members(['KongConsumer/default/alice', ...names.map((n) => `Secret/default/${n}`), 'KongPlugin/default/rl', 'KongPlugin/default/auth']);
    expect(kongVerdict(result)).to.equal('accepted');
  });

  it('a consumer with a missing credential Secret, another class, or an excluded object is left out; the routes stay', () => {
    const broken = kongConsumer('bob', { username: 'bob', credentials: ['nope'] });
    const nginx = kongConsumer('carol', { username: 'carol' }, { 'kubernetes.io/ingress.class': 'nginx' });
    const excluded = kongConsumer('dave', { username: 'dave' });
    const fine = kongConsumer('erin', { username: 'erin' });
    const result = translate({ ...base, ingresses: [siteIngress(), other], kongConsumers: [broken, nginx, excluded, fine] }, { exclude: ['KongConsumer/default/dave'] });
    expect(reasons(result)).to.deep.equal(['KongConsumer/default/bob:CredentialSecretMissing']);
    expect(result.failures[0]?.message).to.contain('left out');
    expect(consumersOf(result).map((c) => c.username)).to.deep.equal(['erin']);
    expect(routeNames(result)).to.have.length(3);
  });

  it('a consumer whose credential Kong refused (its Secret excluded) is left out whole', () => {
    const alice = kongConsumer('alice', { username: 'alice', credentials: names });
    const result = translate({ ...base, ingresses: [siteIngress(), other], kongConsumers: [alice], secrets: credentials }, { exclude: ['Secret/default/alice-key'] });
    expect(reasons(result)).to.deep.equal(['KongConsumer/default/alice:KongRejected']);
    expect(result.failures[0]?.message).to.contain('Secret default/alice-key');
    expect(consumersOf(result)).to.deep.equal([]);
  });

  it('a consumer naming a broken plugin is left out; the plugin object is reported too', () => {
    const alice = kongConsumer('alice', { username: 'alice' }, { 'kubernetes.io/ingress.class': 'kong', [PLUGINS]: 'rl' });
    const broken = kongPlugin('rl', { plugin: 'rate-limiting', config: { minute: 'many' } });
    const result = translate({ ...base, ingresses: [siteIngress(), other], kongPlugins: [broken], kongConsumers: [alice] });
    expect(reasons(result)).to.deep.equal(['KongConsumer/default/alice:InvalidPluginConfig', 'KongPlugin/default/rl:InvalidPluginConfig']);
    expect(consumersOf(result)).to.deep.equal([]);
    expect(routeNames(result)).to.have.length(3);
  });

  it('a consumer naming a plugin Kong refused is left out', () => {
    const alice = kongConsumer('alice', { username: 'alice' }, { 'kubernetes.io/ingress.class': 'kong', [PLUGINS]: 'rl' });
    const result = translate({ ...base, ingresses: [siteIngress(), other], kongPlugins: [rl], kongConsumers: [alice] }, { exclude: ['KongPlugin/default/rl'] });
    expect(reasons(result)).to.deep.equal(['KongConsumer/default/alice:KongRejected']);
    expect(consumersOf(result)).to.deep.equal([]);
  });
});
