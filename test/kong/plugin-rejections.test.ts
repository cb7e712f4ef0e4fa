// Kong's refusals of plugin, consumer and credential entities name the object
// to leave out: a plugin's KongPlugin / KongClusterPlugin, a credential's
// KongConsumer (naming the Secret, never its data). A plugin whose route is
// not in the config is found before the push (Kong would answer a bare 500),
// and a 500 Kong answers anyway is named and not retried in a loop.
import { expect } from 'chai';
import { DEFAULT_SETTINGS } from '../../src/config/settings.ts';
import { KongClientPool } from '../../src/kong/client-pool.ts';
import { DblessSyncEngine } from '../../src/kong/dbless-engine.ts';
import { DbModeSyncEngine } from '../../src/kong/dbmode-engine.ts';
import { attributeCredentialRejections, danglingPluginReferences } from '../../src/kong/plugin-rejections.ts';
import { rejectionsFromFlattened } from '../../src/kong/rejections.ts';
import type { SyncRequest } from '../../src/kong/sync-types.ts';
import { objectKey, type KongConfig } from '../../src/model/index.ts';
import { createTranslator } from '../../src/translate/index.ts';
import { startKongDouble } from '../kong-double/index.ts';
import type { KongDouble } from '../kong-double/index.ts';
import { fastRetry, shopSnapshot } from './fixtures.ts';
import { ALICE, withPlugins } from './plugin-fixtures.ts';

function shopConfig(): KongConfig {
  return withPlugins(createTranslator().translate(shopSnapshot(), { settings: DEFAULT_SETTINGS }).config);
}

/** Stands in for the translator: an excluded KongPlugin or KongConsumer leaves the config (with what refers to it). */
function requestFor(url: string, edit: (config: KongConfig) => KongConfig): SyncRequest {
  return {
    translate: (exclude) => {
      const result = createTranslator().translate(shopSnapshot(), { settings: DEFAULT_SETTINGS, exclude });
      const config = edit(withPlugins(result.config));
      const kept = (tags: string[]): boolean => ![...exclude].some((key) => tags.includes(`k8s-name:${key.split('/').at(-1) ?? ''}`) && tags.some((t) => t === `k8s-kind:${key.split('/')[0] ?? ''}`));
      const consumers = (config.consumers ?? []).filter((c) => kept(c.tags));
      const ids = new Set(consumers.map((c) => c.id));
      const plugins = (config.plugins ?? []).filter((p) => kept(p.tags) && (p.consumer === undefined || ids.has(p.consumer.id)));
      return { ...result, config: { ...config, plugins, consumers } };
    },
    gateways: [{ url }],
  };
}

const badLimit = (config: KongConfig): KongConfig => ({
  ...config, plugins: config.plugins?.map((p) => (p.route !== undefined ? { ...p, config: { minute: 'five', policy: 'local' } } : p)) ?? [],
});

const duplicateKey = (config: KongConfig): KongConfig => ({
  ...config,
  consumers: config.consumers?.map((c) => (c.id === ALICE ? { ...c, keyauth_credentials: c.keyauth_credentials.map((k) => ({ ...k, key: '' })) } : c)) ?? [],
});

describe('Kong rejections of plugins, consumers and credentials', () => {
  it('maps a plugin Kong refused to its KongPlugin through its tags, named by id', () => {
    const [rejection] = rejectionsFromFlattened([{
      entity_type: 'plugin', entity_id: 'p-1', entity_name: 'rate-limiting', entity_tags: ['k8s-kind:KongPlugin', 'k8s-name:rl', 'k8s-namespace:shop'],
      errors: [{ type: 'field', field: 'config.minute', message: 'expected a number' }],
    }]);
    expect(rejection).to.deep.include({ entity: 'plugin p-1', object: { kind: 'KongPlugin', name: 'rl', namespace: 'shop' } });
  });

  it('makes a refused credential its KongConsumer\'s failure, naming the Secret and not the key', () => {
    const config = shopConfig();
    const credential = config.consumers?.find((c) => c.id === ALICE)?.keyauth_credentials[0];
    const [rejection] = attributeCredentialRejections(rejectionsFromFlattened([{
      entity_type: 'keyauth_credential', entity_id: credential?.id ?? '', entity_tags: credential?.tags ?? [],
      errors: [{ type: 'field', field: 'key', message: 'length must be at least 1' }],
    }]), config);
    expect(rejection?.object).to.deep.equal({ kind: 'KongConsumer', name: 'alice', namespace: 'shop' });
    expect(rejection?.messages).to.deep.equal(['credential from Secret shop/alice-key: key: length must be at least 1']);
    expect(JSON.stringify(rejection)).to.not.include('alice-secret-key');
  });

  it('finds the KongConsumer by the credential\'s Secret when Kong names no id', () => {
    const config = shopConfig();
    const credential = config.consumers?.find((c) => c.id === ALICE)?.basicauth_credentials[0];
    const [rejection] = attributeCredentialRejections(rejectionsFromFlattened([{
      entity_type: 'basicauth_credential', entity_tags: credential?.tags ?? [], errors: [{ type: 'field', field: 'username', message: 'length must be at least 1' }],
    }]), config);
    expect(rejection?.object).to.deep.equal({ kind: 'KongConsumer', name: 'alice', namespace: 'shop' });
    expect(rejection?.messages[0]).to.equal('credential from Secret shop/alice-basic: username: length must be at least 1');
  });

  it('finds a plugin whose route is not in the config before Kong would answer 500', () => {
    const config = shopConfig();
    const dangling = { ...config, services: config.services.map((s) => ({ ...s, routes: [] })) };
    const found = danglingPluginReferences(dangling);
    expect(found.map((r) => r.object)).to.deep.equal([{ kind: 'KongPlugin', name: 'rl', namespace: 'shop' }]);
    expect(found[0]?.messages[0]).to.match(/^route: route [0-9a-f-]+ is not in the configuration$/);
    expect(danglingPluginReferences(config)).to.deep.equal([]);
  });

  describe('DB-less, against the Kong double', () => {
    let kong: KongDouble;
    let pool: KongClientPool;
    beforeEach(async () => {
      kong = await startKongDouble({ mode: 'dbless' });
      pool = new KongClientPool({ retry: fastRetry, timeoutMs: 2000 });
    });
    afterEach(async () => {
      pool.close();
      await kong.close();
    });
    const engine = (): DblessSyncEngine => new DblessSyncEngine({ clientFor: (t) => pool.get(t) });

    it('leaves out a KongPlugin whose config Kong refused and serves the rest', async () => {
      const report = await engine().sync(requestFor(kong.url, badLimit));
      expect(report.gateways[0]).to.include({ status: 'pushed' });
      expect(report.rejected.map((f) => objectKey(f.object))).to.deep.equal(['KongPlugin/shop/rl']);
      expect(report.rejected[0]?.message).to.include('config.minute: expected a number');
      expect(kong.state.plugins.map((p) => p['name']).sort()).to.deep.equal(['cors', 'rate-limiting']);
      expect(kong.state.plugins.every((p) => p['route'] === null)).to.equal(true);
    });

    it('leaves out the KongConsumer of a credential Kong refused', async () => {
      const report = await engine().sync(requestFor(kong.url, duplicateKey));
      expect(report.rejected.map((f) => objectKey(f.object))).to.deep.equal(['KongConsumer/shop/alice']);
      expect(report.rejected[0]?.message).to.include('Secret shop/alice-key');
      expect(kong.state.consumers.map((c) => c['custom_id'])).to.deep.equal(['partner-7']);
    });

    it('never sends a plugin whose route is not in the config', async () => {
      const noRoutes = (config: KongConfig): KongConfig => ({ ...config, services: config.services.map((s) => ({ ...s, routes: [] })) });
      const report = await engine().sync(requestFor(kong.url, noRoutes));
      expect(report.gateways[0]).to.include({ status: 'pushed' });
      expect(report.rejected.map((f) => objectKey(f.object))).to.deep.equal(['KongPlugin/shop/rl']);
      expect(kong.requests.filter((r) => r.method === 'POST' && r.status === 500)).to.deep.equal([]);
    });

    it('names Kong\'s 500 and does not send the same config again', async () => {
      kong.failNext(10, 500, '/config');
      const sync = engine();
      const first = await sync.sync(requestFor(kong.url, (c) => c));
      const failed = first.gateways[0];
      expect(failed, JSON.stringify(failed)).to.include({ status: 'failed', retryable: false });
      expect(failed?.error).to.include('not in the configuration');
      kong.clearRequests();
      const again = await sync.sync(requestFor(kong.url, (c) => c));
      expect(again.gateways[0]).to.include({ status: 'failed' });
      expect(kong.writes(), 'the refused body is not posted again').to.deep.equal([]);
    });
  });

  it('DB mode: a key another consumer holds fails the KongConsumer, and no report quotes the key', async () => {
    const kong = await startKongDouble({ mode: 'db' });
    const pool = new KongClientPool({ retry: fastRetry, timeoutMs: 2000 });
    try {
      const post = (path: string, body: unknown): Promise<Response> => fetch(`${kong.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect((await post('/consumers', { username: 'someone-else' })).status).to.equal(201);
      expect((await post('/consumers/someone-else/key-auth', { key: 'alice-secret-key' })).status).to.equal(201);
      const report = await new DbModeSyncEngine({ clientFor: (t) => pool.get(t) }).sync(requestFor(kong.url, (c) => c));
      expect(report.rejected.map((f) => objectKey(f.object))).to.deep.equal(['KongConsumer/shop/alice']);
      expect(report.rejected[0]?.message).to.include('Secret shop/alice-key').and.include('(secret)');
      expect(JSON.stringify(report)).to.not.include('alice-secret-key');
    } finally {
      pool.close();
      await kong.close();
    }
  });

  it('DB mode: a refused credential fails its KongConsumer, which is left out', async () => {
    const kong = await startKongDouble({ mode: 'db' });
    const pool = new KongClientPool({ retry: fastRetry, timeoutMs: 2000 });
    try {
      const engine = new DbModeSyncEngine({ clientFor: (t) => pool.get(t) });
      const noKey = (config: KongConfig): KongConfig => ({
        ...config,
        consumers: config.consumers?.map((c) => (c.id === ALICE ? { ...c, keyauth_credentials: c.keyauth_credentials.map(({ key: _key, ...k }) => k as typeof k & { key: string }) } : c)) ?? [],
      });
      const report = await engine.sync(requestFor(kong.url, noKey));
      expect(report.rejected.map((f) => objectKey(f.object))).to.deep.equal(['KongConsumer/shop/alice']);
      expect(report.rejected[0]?.message).to.include('Secret shop/alice-key');
    } finally {
      pool.close();
      await kong.close();
    }
  });
});
