// DB mode with plugins, consumers and credentials: created in dependency
// order, an unchanged sync writes nothing (Kong's filled-in plugin defaults
// and hashed basic-auth passwords compare equal), drift is put back, removals
// delete plugins before what they are on, and foreign entities are never touched.
import { expect } from 'chai';
import { KongClientPool } from '../../src/kong/client-pool.ts';
import { DbModeSyncEngine, type PluginConfigCompleter } from '../../src/kong/dbmode-engine.ts';
import { createKongSyncEngine } from '../../src/kong/sync-engine.ts';
import type { KongConfig } from '../../src/model/index.ts';
import { completePluginConfig } from '../../src/plugins/index.ts';
import type { SyncRequest } from '../../src/kong/sync-types.ts';
import { createTranslator } from '../../src/translate/index.ts';
import { DEFAULT_SETTINGS } from '../../src/config/settings.ts';
import { startKongDouble } from '../kong-double/index.ts';
import type { KongDouble } from '../kong-double/index.ts';
import { recordedSchema } from '../plugins/recorded-schemas.ts';
import { fastRetry, shopSnapshot } from './fixtures.ts';
import { ALICE, PARTNER, withPlugins } from './plugin-fixtures.ts';

async function admin(double: KongDouble, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${double.url}${path}`, {
    method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) as Record<string, unknown> : {} };
}

/** The recorded schemas, as the controller's schema fetcher would give them. */
const completer: PluginConfigCompleter = (_url, plugin) => completePluginConfig(recordedSchema(plugin.name), plugin.config);

const writes = (double: KongDouble): string[] => double.writes().map((w) => `${w.method} ${w.path.split('/').filter((s) => !/^[0-9a-f-]{36}$/.test(s)).join('/')}`);

describe('DB-mode sync of plugins, consumers and credentials (against the Kong double)', () => {
  let double: KongDouble;
  let pool: KongClientPool;
  let edit: (config: KongConfig) => KongConfig;
  let request: SyncRequest;

  beforeEach(async () => {
    double = await startKongDouble({ mode: 'db' });
    pool = new KongClientPool({ retry: fastRetry, timeoutMs: 2000 });
    edit = withPlugins;
    request = {
      translate: (exclude) => {
        const result = createTranslator().translate(shopSnapshot(), { settings: DEFAULT_SETTINGS, exclude });
        return { ...result, config: edit(result.config) };
      },
      gateways: [{ url: double.url }],
    };
  });
  afterEach(async () => {
    pool.close();
    await double.close();
  });

  const engine = (options: { complete?: boolean } = {}): DbModeSyncEngine =>
    new DbModeSyncEngine({ clientFor: (t) => pool.get(t), ...(options.complete === true ? { completePluginConfig: completer } : {}) });

  it('creates consumers before their credentials and plugins after what they are on', async () => {
    const report = await engine().sync(request);
    expect(report.gateways[0]).to.include({ status: 'pushed', created: 14, updated: 0, deleted: 0 });
    const order = writes(double);
    const last = (what: string): number => order.map((w) => w.startsWith(what)).lastIndexOf(true);
    const first = (what: string): number => order.findIndex((w) => w.startsWith(what));
    expect(last('PUT /consumers')).to.be.lessThan(first('POST /consumers'));
    expect(order).to.include('POST /consumers/key-auth').and.include('POST /consumers/acls').and.include('POST /consumers/jwt');
    expect(Math.max(last('PUT /routes'), last('POST /consumers'), last('PUT /services'))).to.be.lessThan(first('PUT /plugins'));
    expect(double.state.plugins.find((p) => p['consumer'] !== null)?.['consumer']).to.deep.equal({ id: PARTNER });
    expect(double.state.basicauth_credentials[0]?.['password'], 'stored hashed').to.match(/^[0-9a-f]{40}$/);
  });

  for (const complete of [false, true]) {
    it(`writes nothing on an unchanged sync (${complete ? 'with' : 'without'} the plugin schemas)`, async () => {
      const sync = engine({ complete });
      await sync.sync(request);
      double.clearRequests();
      const report = await sync.sync(request);
      expect(report.gateways[0]).to.include({ status: 'skipped', created: 0, updated: 0, deleted: 0, writes: 0 });
      expect(double.writes()).to.deep.equal([]);
      // A new engine (a restarted controller) has no cache: the comparison itself finds nothing.
      const fresh = await engine({ complete }).sync(request);
      expect(fresh.gateways[0]).to.include({ writes: 0 });
    });
  }

  it('changes a basic-auth password and a plugin config by updating them', async () => {
    await engine().sync(request);
    double.clearRequests();
    edit = (config) => {
      const out = withPlugins(config);
      const alice = out.consumers?.find((c) => c.id === ALICE);
      const basic = alice?.basicauth_credentials[0];
      if (basic) basic.password = 'new-password';
      const limit = out.plugins?.find((p) => p.route !== undefined);
      if (limit) limit.config = { minute: 10, policy: 'local' };
      return out;
    };
    const report = await engine().sync(request);
    expect(report.gateways[0]).to.include({ updated: 2, created: 0, deleted: 0 });
    expect(writes(double).sort()).to.deep.equal(['PUT /consumers/basic-auth', 'PUT /plugins']);
    expect(double.state.plugins.find((p) => p['route'] !== null)?.['config']).to.include({ minute: 10 });
  });

  it('puts back a plugin field changed on Kong when it knows the plugin schema', async () => {
    const sync = engine({ complete: true });
    await sync.sync(request);
    const plugin = double.state.plugins.find((p) => p['route'] !== null);
    expect((await admin(double, 'PATCH', `/plugins/${String(plugin?.['id'])}`, { config: { error_code: 503 } })).status).to.equal(200);
    double.clearRequests();
    const report = await sync.sync(request);
    expect(report.gateways[0]).to.include({ updated: 1 });
    expect(double.state.plugins.find((p) => p['route'] !== null)?.['config']).to.include({ error_code: 429 });
  });

  it('gets the plugin schemas through createKongSyncEngine too (the controller\'s way in)', async () => {
    const sync = createKongSyncEngine({ mode: 'db', client: { retry: fastRetry }, completePluginConfig: completer });
    try {
      await sync.sync(request);
      const plugin = double.state.plugins.find((p) => p['route'] !== null);
      await admin(double, 'PATCH', `/plugins/${String(plugin?.['id'])}`, { config: { error_message: 'slow down' } });
      expect((await sync.sync(request)).gateways[0]).to.include({ updated: 1 });
    } finally {
      sync.close();
    }
    expect(double.state.plugins.find((p) => p['route'] !== null)?.['config']).to.include({ error_message: 'API rate limit exceeded' });
  });

  it('deletes a removed consumer\'s plugin before its credentials, and those before the consumer', async () => {
    await engine().sync(request);
    double.clearRequests();
    edit = (config) => {
      const out = withPlugins(config);
      return { ...out, consumers: out.consumers?.filter((c) => c.id !== PARTNER) ?? [], plugins: out.plugins?.filter((p) => p.consumer === undefined) ?? [] };
    };
    const report = await engine().sync(request);
    expect(report.gateways[0]).to.include({ deleted: 5, created: 0, updated: 0 });
    const order = writes(double);
    expect(order[0]).to.equal('DELETE /plugins');
    expect(order.at(-1)).to.equal('DELETE /consumers');
    expect(double.state.consumers.map((c) => c['id'])).to.deep.equal([ALICE]);
  });

  it('never touches plugins and consumers it does not own', async () => {
    expect((await admin(double, 'POST', '/consumers', { username: 'ops' })).status).to.equal(201);
    expect((await admin(double, 'POST', '/plugins', { name: 'prometheus', config: {} })).status).to.equal(201);
    await engine().sync(request);
    edit = (config) => config;
    const report = await engine().sync(request);
    expect(report.gateways[0]).to.include({ deleted: 10 });
    expect(double.state.consumers.map((c) => c['username'])).to.deep.equal(['ops']);
    expect(double.state.plugins.map((p) => p['name'])).to.deep.equal(['prometheus']);
  });

  it('serves the recorded plugin schemas, and Kong\'s 404 for a plugin it does not have', async () => {
    const found = await admin(double, 'GET', '/schemas/plugins/rate-limiting');
    expect(found.status).to.equal(200);
    expect(found.body).to.deep.equal(recordedSchema('rate-limiting'));
    expect(await admin(double, 'GET', '/schemas/plugins/no-such-plugin')).to.deep.equal({ status: 404, body: { message: 'No plugin named \'no-such-plugin\'' } });
  });
});
