// KongPlugin / KongClusterPlugin → Kong plugin entities: ids as Kong gives
// them (checked against the recordings), tags, every configuration source,
// and each way a reference fails (the referrer is then a failure naming the
// plugin and the reason; no entity is produced for it).
import { expect } from 'chai';
import type { V1Secret } from '@kubernetes/client-node';
import { parse } from 'yaml';
import {
  OFFLINE_SCHEMAS, PluginResolver, declarativePlugin, globalPlugins, indexPluginSources, kongConsumerId, kongPluginId, parsePluginsAnnotation, pluginsForReferrer,
} from '../../src/plugins/index.ts';
import type { KongPluginResource, PluginAttachment, PluginObjectRef, PluginSourceLists, ReferrerPlugins, SchemaLookup } from '../../src/plugins/index.ts';
import { readRecording } from '../recordings/recordings-dir.ts';
import type { RecordedFile } from '../recordings/recording-types.ts';
import { recordedAnswer } from './recorded-schemas.ts';

const ROUTE_ID = '5ee53712-7b9f-5691-8482-8c2799681699';
const INGRESS: PluginObjectRef = { kind: 'Ingress', namespace: 'shop', name: 'web' };
const GATEWAY: SchemaLookup = recordedAnswer;

function kongPlugin(name: string, spec: Partial<KongPluginResource>, namespace = 'shop'): KongPluginResource {
  return { apiVersion: 'configuration.konghq.com/v1', kind: 'KongPlugin', metadata: { name, namespace, uid: `uid-${name}` }, ...spec };
}
function clusterPlugin(name: string, spec: Partial<KongPluginResource>, labels?: Record<string, string>): KongPluginResource {
  return { apiVersion: 'configuration.konghq.com/v1', kind: 'KongClusterPlugin', metadata: { name, ...(labels ? { labels } : {}) }, ...spec };
}
function secret(namespace: string, name: string, data: Record<string, string>): V1Secret {
  return { metadata: { namespace, name }, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])) };
}

function attach(annotation: string, lists: PluginSourceLists, schemas: SchemaLookup = GATEWAY, at: PluginAttachment = { routeId: ROUTE_ID }): ReferrerPlugins {
  return pluginsForReferrer(annotation, at, { referrer: INGRESS, sources: indexPluginSources(lists), schemas });
}

function failureOf(result: ReferrerPlugins): { reason: string; message: string } {
  expect(result.ok, 'the referrer fails').to.equal(false);
  if (result.ok) throw new Error('unreachable');
  expect(result.failures).to.have.length(1);
  const [failure] = result.failures;
  expect(failure?.object).to.deep.equal(INGRESS);
  return { reason: failure?.reason ?? '', message: failure?.message ?? '' };
}

function entitiesOf(result: ReferrerPlugins): Extract<ReferrerPlugins, { ok: true }>['entities'] {
  if (!result.ok) throw new Error(result.failures.map((f) => f.message).join('\n'));
  return result.entities;
}

describe('KongPlugin and KongClusterPlugin → Kong plugin entities', () => {
  it('gives plugins and consumers the ids a real Kong gave them', () => {
    const file = readRecording<RecordedFile>('plugin-contract.json');
    const ids = (name: string): string[] => Object.keys((file.cases.find((c) => c.name === name)?.response.body as { plugins?: object } | undefined)?.plugins ?? {});
    expect(ids('plugin-route-rate-limiting-ok')).to.deep.equal([kongPluginId('rate-limiting', { routeId: ROUTE_ID })]);
    expect(ids('plugin-key-auth-with-consumer')).to.deep.equal([kongPluginId('key-auth', { routeId: ROUTE_ID })]);
    expect(ids('plugin-global-cors-ok')).to.deep.equal([kongPluginId('cors', {})]);
    const twice = file.cases.find((c) => c.name === 'plugin-same-plugin-twice-on-route')?.response.body as { message: string };
    expect(twice.message).to.include(kongPluginId('cors', { routeId: ROUTE_ID }));
    const consumers = (file.cases.find((c) => c.name === 'plugin-key-auth-with-consumer')?.response.body as { consumers: object }).consumers;
    expect(Object.keys(consumers)).to.deep.equal([kongConsumerId({ username: 'alice' })]);
    expect(kongConsumerId({ custom_id: 'alice' })).to.not.equal(kongConsumerId({ username: 'alice' }));
  });

  it('parses konghq.com/plugins as the Kong Ingress Controller does', () => {
    expect(parsePluginsAnnotation(' rl, auth ,,rl, other:cors ')).to.deep.equal([{ name: 'rl' }, { name: 'auth' }, { namespace: 'other', name: 'cors' }]);
    expect(parsePluginsAnnotation(undefined)).to.deep.equal([]);
  });

  it('builds a route\'s plugin with its config, protocols, state, instance name and source tags', () => {
    const rl = kongPlugin('rl', { plugin: 'rate-limiting', config: { minute: 5, policy: 'local' }, protocols: ['https'], disabled: true, instance_name: 'shop-rl' });
    const [entity, ...rest] = entitiesOf(attach('rl', { kongPlugins: [rl] }));
    expect(rest).to.deep.equal([]);
    expect(entity).to.deep.equal({
      id: kongPluginId('rate-limiting', { routeId: ROUTE_ID }), name: 'rate-limiting', config: { minute: 5, policy: 'local' },
      protocols: ['https'], enabled: false, instance_name: entity?.instance_name, route: { id: ROUTE_ID },
      tags: ['k8s-kind:KongPlugin', 'k8s-name:rl', 'k8s-namespace:shop', 'k8s-uid:uid-rl', 'managed-by:meshdoor'],
    });
    // Kong's instance_name is unique gateway-wide: one per attachment.
    expect(entity?.instance_name).to.match(/^shop-rl-[0-9a-f]{8}$/);
    const other = entitiesOf(attach('rl', { kongPlugins: [rl] }, GATEWAY, { routeId: '00000000-0000-4000-8000-000000000001' }));
    expect(other[0]?.instance_name).to.not.equal(entity?.instance_name);
  });

  it('writes attachments as ids for DB-less /config and as {id} for the Admin API', () => {
    const rl = kongPlugin('rl', { plugin: 'rate-limiting', config: { minute: 5 } });
    const [entity] = entitiesOf(attach('rl', { kongPlugins: [rl] }));
    expect(entity?.route).to.deep.equal({ id: ROUTE_ID });
    const declarative = entity ? declarativePlugin(entity) : undefined;
    expect(declarative?.route).to.equal(ROUTE_ID);
    expect(declarative).to.not.have.any.keys('service', 'consumer');
  });

  it('prefers the namespace\'s KongPlugin, else a KongClusterPlugin of that name (tagged without namespace)', () => {
    const both = { kongPlugins: [kongPlugin('cors', { plugin: 'cors', config: { origins: ['https://shop.example'] } })], kongClusterPlugins: [clusterPlugin('cors', { plugin: 'cors', config: { origins: ['*'] } })] };
    expect(entitiesOf(attach('cors', both))[0]?.config).to.deep.equal({ origins: ['https://shop.example'] });
    const cluster = entitiesOf(attach('cors', { kongClusterPlugins: both.kongClusterPlugins }))[0];
    expect(cluster?.config).to.deep.equal({ origins: ['*'] });
    expect(cluster?.tags).to.deep.equal(['k8s-kind:KongClusterPlugin', 'k8s-name:cors', 'managed-by:meshdoor']);
  });

  it('reads configFrom and configPatches from Secrets (JSON, YAML, unquoted strings)', () => {
    const fromSecret = kongPlugin('rl', { plugin: 'rate-limiting', configFrom: { secretKeyRef: { name: 'rl-config', key: 'config' } } });
    const lists = { kongPlugins: [fromSecret], secrets: [secret('shop', 'rl-config', { config: 'minute: 10\npolicy: redis\nredis:\n  host: redis.shop\n' })] };
    expect(entitiesOf(attach('rl', lists))[0]?.config).to.deep.equal({ minute: 10, policy: 'redis', redis: { host: 'redis.shop' } });
    const patched = kongPlugin('rl', {
      plugin: 'rate-limiting', config: { minute: 5, policy: 'redis', redis: { host: 'redis.shop' } },
      configPatches: [
        { path: '/redis/password', valueFrom: { secretKeyRef: { name: 'redis', key: 'password' } } },
        { path: '/redis/port', valueFrom: { secretKeyRef: { name: 'redis', key: 'port' } } },
      ],
    });
    const patchedLists = { kongPlugins: [patched], secrets: [secret('shop', 'redis', { password: 's3cret word', port: '6380' })] };
    expect(entitiesOf(attach('rl', patchedLists))[0]?.config).to.deep.equal({ minute: 5, policy: 'redis', redis: { host: 'redis.shop', password: 's3cret word', port: 6380 } });
    const cluster = clusterPlugin('cors', { plugin: 'cors', configFrom: { secretKeyRef: { name: 'cors', namespace: 'kong', key: 'c' } } });
    const clusterLists = { kongClusterPlugins: [cluster], secrets: [secret('kong', 'cors', { c: '{"origins": ["*"]}' })] };
    expect(entitiesOf(attach('cors', clusterLists))[0]?.config).to.deep.equal({ origins: ['*'] });
  });

  describe('a reference that does not resolve makes the referrer a failure, naming plugin and reason', () => {
    const rl = kongPlugin('rl', { plugin: 'rate-limiting', config: { minute: 5 } });
    const cases: [string, string, PluginSourceLists, string, RegExp][] = [
      ['missing object', 'rl, auth', { kongPlugins: [rl] }, 'PluginNotFound', /^Ingress shop\/web: konghq\.com\/plugins: 'auth': no KongPlugin shop\/auth and no KongClusterPlugin auth$/],
      ['wrong namespace', 'other:rl', { kongPlugins: [kongPlugin('rl', { plugin: 'rate-limiting', config: { minute: 5 } }, 'other')] }, 'PluginWrongNamespace', /'other:rl' names a KongPlugin of namespace other; only KongPlugins of shop apply here/],
      ['configFrom Secret missing', 'rl', { kongPlugins: [kongPlugin('rl', { plugin: 'rate-limiting', configFrom: { secretKeyRef: { name: 'gone', key: 'config' } } })] }, 'PluginSecretMissing', /'rl' cannot be used: KongPlugin shop\/rl: configFrom: Secret shop\/gone does not exist$/],
      ['configFrom key missing', 'rl', { kongPlugins: [kongPlugin('rl', { plugin: 'rate-limiting', configFrom: { secretKeyRef: { name: 'cfg', key: 'config' } } })], secrets: [secret('shop', 'cfg', { other: 'minute: 5' })] }, 'PluginSecretMissing', /configFrom: Secret shop\/cfg has no key 'config'$/],
      ['configFrom not an object', 'rl', { kongPlugins: [kongPlugin('rl', { plugin: 'rate-limiting', configFrom: { secretKeyRef: { name: 'cfg', key: 'config' } } })], secrets: [secret('shop', 'cfg', { config: 'hunter2' })] }, 'InvalidPluginConfig', /configFrom: the Secret value is not a JSON or YAML object$/],
      ['configPatches Secret missing', 'rl', { kongPlugins: [kongPlugin('rl', { plugin: 'rate-limiting', config: { minute: 5 }, configPatches: [{ path: '/hour', valueFrom: { secretKeyRef: { name: 'gone', key: 'k' } } }] })] }, 'PluginSecretMissing', /configPatches\[0\]\.valueFrom: Secret shop\/gone does not exist$/],
      ['configPatches bad path', 'rl', { kongPlugins: [kongPlugin('rl', { plugin: 'rate-limiting', config: { minute: 5 }, configPatches: [{ path: '/redis/x/y', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] })], secrets: [secret('shop', 's', { k: '1' })] }, 'InvalidPlugin', /configPatches\[0\]\.path '\/redis\/x\/y' has no parent in the configuration at \/redis$/],
      ['config and configFrom both', 'rl', { kongPlugins: [kongPlugin('rl', { plugin: 'rate-limiting', config: {}, configFrom: { secretKeyRef: { name: 's', key: 'k' } } })] }, 'InvalidPlugin', /set config or configFrom, not both$/],
      ['no plugin name', 'rl', { kongPlugins: [kongPlugin('rl', { config: {} })] }, 'InvalidPlugin', /plugin: the Kong plugin name is missing$/],
      ['a config Kong refuses', 'rl', { kongPlugins: [kongPlugin('rl', { plugin: 'rate-limiting', config: { minute: 'five' } })] }, 'InvalidPluginConfig', /'rl' cannot be used: KongPlugin shop\/rl: plugin rate-limiting: config\.minute: expected a number$/],
      ['a plugin the gateway lacks', 'x', { kongPlugins: [kongPlugin('x', { plugin: 'no-such-plugin', config: {} })] }, 'InvalidPluginConfig', /name: plugin 'no-such-plugin' not enabled; add it to the 'plugins' configuration property$/],
      ['the same plugin twice', 'a, b', { kongPlugins: [kongPlugin('a', { plugin: 'cors', config: { origins: ['*'] } }), kongPlugin('b', { plugin: 'cors', config: { origins: ['https://b.example.com'] } })] }, 'DuplicatePlugin', /KongPlugin shop\/a and KongPlugin shop\/b are both plugin cors; Kong takes one cors per route, service or consumer$/],
      ['consumerRef', 'rl', { kongPlugins: [kongPlugin('rl', { plugin: 'rate-limiting', config: { minute: 5 }, consumerRef: 'alice' })] }, 'InvalidPlugin', /consumerRef is not supported/],
      ['ordering (Kong Enterprise)', 'rl', { kongPlugins: [kongPlugin('rl', { plugin: 'rate-limiting', config: { minute: 5 }, ordering: { before: { access: ['key-auth'] } } })] }, 'InvalidPlugin', /ordering is a Kong Enterprise field/],
    ];
    for (const [name, annotation, lists, reason, message] of cases) {
      it(name, () => {
        const failure = failureOf(attach(annotation, lists));
        expect(failure.reason).to.equal(reason);
        expect(failure.message).to.match(message);
      });
    }

    it('a plugin its schema forbids on the attachment (key-auth on a consumer)', () => {
      const auth = kongPlugin('auth', { plugin: 'key-auth', config: {} });
      const failure = failureOf(attach('auth', { kongPlugins: [auth] }, GATEWAY, { consumerId: kongConsumerId({ username: 'alice' }) }));
      expect(failure.reason).to.equal('InvalidPluginConfig');
      expect(failure.message).to.match(/plugin key-auth \(KongPlugin shop\/auth\) cannot be applied to a consumer$/);
    });

    it('never repeats a value that came from a Secret', () => {
      const transformer = kongPlugin('rt', { plugin: 'request-transformer', configFrom: { secretKeyRef: { name: 'rt', key: 'config' } } });
      const failure = failureOf(attach('rt', { kongPlugins: [transformer], secrets: [secret('shop', 'rt', { config: '{"add": {"headers": ["Authorization-Bearer-s3cr3t"]}}' })] }));
      expect(failure.message).to.equal("Ingress shop/web: konghq.com/plugins: 'rt' cannot be used: KongPlugin shop/rt: plugin request-transformer: config.add.headers.1: invalid value (from a Secret, not shown)");
      expect(failure.message).to.not.include('s3cr3t');
    });
  });

  it('offline, checks structure only and says the schema check was skipped', () => {
    const rl = kongPlugin('rl', { plugin: 'rate-limiting', config: { minute: 'five' } });
    const result = attach('rl', { kongPlugins: [rl] }, OFFLINE_SCHEMAS);
    expect(result.ok).to.equal(true);
    if (result.ok) expect(result.schemaSkipped).to.deep.equal(['KongPlugin shop/rl: no gateway to ask (offline): structure checked only']);
    const bad = kongPlugin('rl', { plugin: 'rate-limiting', config: { minute: 5 }, protocols: ['smtp'] });
    expect(failureOf(attach('rl', { kongPlugins: [bad] }, OFFLINE_SCHEMAS)).message).to.match(/protocols\.1: expected one of: http, https/);
  });

  it('applies KongClusterPlugins labelled global: "true" everywhere, one per plugin name, reporting broken ones', () => {
    const lists = {
      kongClusterPlugins: [
        clusterPlugin('cors', { plugin: 'cors', config: { origins: ['https://a.example.com'], credentials: true } }, { global: 'true' }),
        clusterPlugin('cors-2', { plugin: 'cors', config: { origins: ['*'] } }, { global: 'true' }),
        clusterPlugin('not-global', { plugin: 'acl', config: { allow: ['a'] } }),
        clusterPlugin('broken', { plugin: 'rate-limiting', config: {} }, { global: 'true' }),
      ],
    };
    const { entities, failures } = globalPlugins({ sources: indexPluginSources(lists), schemas: GATEWAY });
    expect(entities.map((e) => [e.id, e.name, e.route, e.service])).to.deep.equal([[kongPluginId('cors', {}), 'cors', undefined, undefined]]);
    expect(failures.map((f) => [f.object.name, f.reason])).to.deep.equal([['broken', 'InvalidPluginConfig'], ['cors-2', 'DuplicatePlugin']]);
    expect(failures[0]?.message).to.equal("KongClusterPlugin broken: plugin rate-limiting: at least one of these fields must be non-empty: 'config.second', 'config.minute', 'config.hour', 'config.day', 'config.month', 'config.year'");
  });

  it('with a resolver, reads and checks a plugin once, and again when the plugin, a Secret or the schema changes', () => {
    const resolver = new PluginResolver();
    const rl = kongPlugin('rl', { plugin: 'rate-limiting', config: { minute: 5 }, configPatches: [{ path: '/hour', valueFrom: { secretKeyRef: { name: 'limits', key: 'hour' } } }] });
    let checks = 0;
    const counting: SchemaLookup = (name) => { checks += 1; return recordedAnswer(name); };
    const answer = recordedAnswer('rate-limiting');
    const stable: SchemaLookup = () => answer;
    const run = (lists: PluginSourceLists, schemas: SchemaLookup, routeId: string): ReferrerPlugins =>
      pluginsForReferrer('rl', { routeId }, { referrer: INGRESS, sources: indexPluginSources(lists), schemas, resolver });
    const limits = secret('shop', 'limits', { hour: '100' });
    const first = entitiesOf(run({ kongPlugins: [rl], secrets: [limits] }, stable, 'r1'));
    const second = entitiesOf(run({ kongPlugins: [rl], secrets: [limits] }, stable, 'r2'));
    expect(second[0]?.config).to.deep.equal(first[0]?.config);
    expect(second[0]?.route).to.deep.equal({ id: 'r2' });
    const changedSecret = entitiesOf(run({ kongPlugins: [rl], secrets: [secret('shop', 'limits', { hour: '200' })] }, stable, 'r1'));
    expect(changedSecret[0]?.config).to.deep.equal({ minute: 5, hour: 200 });
    const gone = run({ kongPlugins: [rl] }, stable, 'r1');
    expect(gone.ok).to.equal(false);
    const edited = { ...rl, config: { minute: 7 } };
    expect(entitiesOf(run({ kongPlugins: [edited], secrets: [limits] }, stable, 'r1'))[0]?.config).to.deep.equal({ minute: 7, hour: 100 });
    // Hits give back the very same resolution; any change resolves afresh.
    const sources = indexPluginSources({ kongPlugins: [edited], secrets: [limits] });
    const once = resolver.resolve(edited, 'KongPlugin', sources, stable);
    expect(resolver.resolve(edited, 'KongPlugin', indexPluginSources({ kongPlugins: [edited], secrets: [limits] }), stable)).to.equal(once);
    expect(resolver.resolve(edited, 'KongPlugin', sources, counting)).to.not.equal(once);
    expect(checks).to.equal(1);
  });

  it('produces the plugin a real Kong accepted for the recorded rate-limited route', () => {
    const file = readRecording<RecordedFile>('plugin-contract.json');
    const kase = file.cases.find((c) => c.name === 'plugin-route-rate-limiting-ok');
    const sent = (parse(kase?.request.body ?? '') as { services: { routes: { plugins: { name: string; config: Record<string, unknown> }[] }[] }[] }).services[0]?.routes[0]?.plugins[0];
    const rl = kongPlugin('rl', { plugin: sent?.name ?? '', config: sent?.config ?? {} });
    const [entity] = entitiesOf(attach('rl', { kongPlugins: [rl] }));
    const stored = Object.values((kase?.response.body as { plugins: Record<string, Record<string, unknown>> }).plugins)[0];
    expect({ id: entity?.id, name: entity?.name, route: entity?.route, enabled: entity?.enabled }).to.deep.equal({ id: stored?.id, name: stored?.name, route: stored?.route, enabled: stored?.enabled });
  });
});
