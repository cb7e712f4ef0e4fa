// Plugins and consumers in the DB-less /config body: written only when there
// are some (a config without them keeps its bytes), in Kong's declarative
// form (a plugin's route, service and consumer as plain ids, credentials
// nested under their consumer), and loaded by the Kong double as Kong loads
// them: the same ids, attachments and credentials.
import { expect } from 'chai';
import { DEFAULT_SETTINGS } from '../../src/config/settings.ts';
import { KongClientPool } from '../../src/kong/client-pool.ts';
import { DblessBodyWriter, dblessBody } from '../../src/kong/dbless-body.ts';
import { DblessSyncEngine } from '../../src/kong/dbless-engine.ts';
import { diffGateway } from '../../src/kong/gateway-diff.ts';
import type { SyncRequest } from '../../src/kong/sync-types.ts';
import type { KongConfig } from '../../src/model/index.ts';
import { createTranslator } from '../../src/translate/index.ts';
import { startKongDouble } from '../kong-double/index.ts';
import { loadKongYaml } from '../kong-double/yaml-load.ts';
import { kongConfigurationHash, shopSnapshot } from './fixtures.ts';
import { ALICE, PARTNER, withPlugins } from './plugin-fixtures.ts';

function shopConfig(): KongConfig {
  return createTranslator().translate(shopSnapshot(), { settings: DEFAULT_SETTINGS }).config;
}

type Listed = Record<string, unknown>;

describe('DB-less /config body with plugins and consumers', () => {
  it('leaves both lists out when there are none: the same bytes as a config without the keys', () => {
    const config = shopConfig();
    const text = dblessBody(config);
    expect(dblessBody({ ...config, plugins: [], consumers: [] })).to.equal(text);
    expect(text).to.not.match(/plugins|consumers/);
  });

  it('writes plugins with their attachment as plain ids and consumers with their credentials nested', () => {
    const config = withPlugins(shopConfig());
    const body = loadKongYaml(dblessBody(config)) as { plugins: Listed[]; consumers: Listed[] };
    const routeId = config.services[0]?.routes[0]?.id;
    const routePlugin = body.plugins.find((p) => p['route'] !== undefined);
    expect(routePlugin).to.include({ name: 'rate-limiting', route: routeId });
    expect(routePlugin, 'enabled: true is Kong\'s default').to.not.have.property('enabled');
    expect(body.plugins.find((p) => p['consumer'] !== undefined)).to.include({ consumer: PARTNER });
    const global = body.plugins.find((p) => p['name'] === 'cors');
    expect(global).to.not.have.any.keys('route', 'service', 'consumer');
    expect(body.plugins.map((p) => p['id']), 'plugin ids are kept').to.deep.equal(config.plugins?.map((p) => p.id));
    const alice = body.consumers.find((c) => c['username'] === 'alice');
    expect(alice, 'Kong derives a username\'s id itself').to.not.have.property('id');
    expect(alice).to.have.property('keyauth_credentials').with.length(1);
    expect(alice, 'empty credential lists are left out').to.not.have.any.keys('acls', 'jwt_secrets', 'hmacauth_credentials');
    const partner = body.consumers.find((c) => c['custom_id'] === 'partner-7');
    expect(partner, 'a plugin refers to it by an id Kong would not derive').to.include({ id: PARTNER });
    expect(partner?.['keyauth_credentials']).to.equal(undefined);
    expect(JSON.stringify(body)).to.not.include('managed-by:meshdoor');
  });

  it('pushes a config of global plugins and consumers alone again to a gateway that restarted empty', async () => {
    const kong = await startKongDouble({ mode: 'dbless' });
    const pool = new KongClientPool({});
    try {
      const config = withPlugins(shopConfig());
      const onlyPlugins: KongConfig = { ...config, services: [], upstreams: [], certificates: [], plugins: config.plugins?.filter((p) => p.route === undefined) ?? [] };
      const engine = new DblessSyncEngine({ clientFor: (t) => pool.get(t) });
      const request: SyncRequest = { translate: () => ({ ...createTranslator().translate(shopSnapshot(), { settings: DEFAULT_SETTINGS }), config: onlyPlugins }), gateways: [{ url: kong.url }] };
      expect((await engine.sync(request)).gateways[0]).to.include({ status: 'pushed' });
      expect(kong.state.consumers).to.have.length(2);
      await fetch(`${kong.url}/config`, { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: '_format_version: "3.0"\n' });
      expect(kong.state.consumers, 'the gateway lost its configuration').to.have.length(0);
      expect((await engine.sync(request)).gateways[0]).to.include({ status: 'pushed' });
      expect(kong.state.consumers).to.have.length(2);
    } finally {
      pool.close();
      await kong.close();
    }
  });

  it('hashes what it sends: the MD5 is Kong\'s configuration_hash of the body', () => {
    const body = new DblessBodyWriter().bodyAndHash(withPlugins(shopConfig()));
    expect(body.md5).to.equal(kongConfigurationHash(body.text));
  });

  it('is loaded by the Kong double with the ids, attachments and credentials of the config', async () => {
    const kong = await startKongDouble({ mode: 'dbless' });
    try {
      const config = withPlugins(shopConfig());
      const res = await fetch(`${kong.url}/config?flatten_errors=1`, { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: dblessBody(config) });
      expect(res.status, await res.clone().text()).to.equal(201);
      const plugins = kong.state.plugins;
      expect(plugins.map((p) => p['id']).sort()).to.deep.equal(config.plugins?.map((p) => p.id).sort());
      const routePlugin = plugins.find((p) => p['name'] === 'rate-limiting' && p['route'] !== null);
      expect(routePlugin?.['route']).to.deep.equal(config.plugins?.find((p) => p.route !== undefined)?.route);
      expect(routePlugin?.['config']).to.include({ minute: 5, policy: 'local', limit_by: 'consumer' });
      expect(kong.state.consumers.map((c) => c['id']).sort()).to.deep.equal([ALICE, PARTNER].sort());
      expect(kong.state.keyauth_credentials.map((c) => c['consumer'])).to.deep.equal([{ id: ALICE }]);
      expect(kong.state.acls.map((c) => c['group'])).to.deep.equal(['partners']);
      expect(kong.state.basicauth_credentials[0]?.['password'], 'Kong keeps a basic-auth password hashed').to.not.equal('open-sesame');
      const pool = new KongClientPool({});
      try {
        const diff = await diffGateway(pool.get({ url: kong.url }), config, 'dbless');
        expect(diff.changes.map((c) => `${c.action} ${c.entity.type} ${(c.fields ?? []).join(',')}`), 'the running config is the desired one').to.deep.equal([]);
        const changed = withPlugins(shopConfig());
        const basic = changed.consumers?.find((c) => c.id === ALICE)?.basicauth_credentials[0];
        if (basic) basic.password = 'another';
        const after = await diffGateway(pool.get({ url: kong.url }), changed, 'dbless');
        expect(after.changes.map((c) => `${c.action} ${c.entity.type} ${(c.fields ?? []).join(',')}`)).to.deep.equal(['update basicauth_credentials password']);
      } finally {
        pool.close();
      }
    } finally {
      await kong.close();
    }
  });
});
