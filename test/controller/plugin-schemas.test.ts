// Feature: before a pass translates, the controller reads the schemas of the
// plugins the cluster uses from the gateways (cached per gateway and Kong
// version) and hands them to the translator and the admission webhook. A
// gateway that cannot say leaves the structural check; the pass goes on.
import { expect } from 'chai';
import type { KubernetesObject } from '@kubernetes/client-node';
import { kongBackend } from '../../src/controller/kong-backend.ts';
import { combineAnswers, GatewaySchemas, pluginNamesInUse } from '../../src/controller/plugin-schemas.ts';
import { KongAdminError } from '../../src/kong/admin-errors.ts';
import type { AutoSyncEngine } from '../../src/kong/sync-engine.ts';
import type { SchemaAnswer, SchemaLookup } from '../../src/plugins/index.ts';
import { createTranslator, snapshotOf, type TranslateOptions } from '../../src/translate/index.ts';
import { recordedSchema } from '../plugins/recorded-schemas.ts';
import { gatewayObjects, ingress, service } from './fixtures.ts';
import { startHarness, type Harness } from './harness.ts';
import { recordingKong, type RecordingKong } from './recording-kong.ts';

const GROUP = 'configuration.konghq.com/v1';

function kongPlugin(ns: string, name: string, plugin: string): KubernetesObject & { plugin: string } {
  return { apiVersion: GROUP, kind: 'KongPlugin', metadata: { namespace: ns, name }, plugin };
}

/** An engine stand-in: each gateway's version, and an Admin API answering schema requests from the recordings. */
function fakeEngine(versions: Record<string, string | undefined>, enabled: Record<string, readonly string[]>, hits: string[]): AutoSyncEngine {
  const engine = {
    retain: () => undefined,
    gatewayInfo: (url: string) => (versions[url] ? { version: versions[url], mode: 'dbless' } : undefined),
    detect: (target: { url: string }) => (versions[target.url] ? Promise.resolve({ version: versions[target.url], mode: 'dbless' }) : Promise.reject(new Error('connect ECONNREFUSED'))),
    clientFor: (target: { url: string }) => ({
      gateway: target.url,
      requestJson: (_method: string, path: string) => {
        hits.push(`${target.url}${path}`);
        const name = path.replace('/schemas/plugins/', '');
        if ((enabled[target.url] ?? []).includes(name)) return Promise.resolve(recordedSchema(name));
        return Promise.reject(new KongAdminError({ status: 404, method: 'GET', path, gateway: target.url, body: { message: `No plugin named '${name}'` } }));
      },
    }),
  };
  return engine as unknown as AutoSyncEngine;
}

describe('plugin schemas for a pass', () => {
  it('names the plugins the plugin objects use', () => {
    const snapshot = snapshotOf({
      KongPlugin: [kongPlugin('a', 'x', 'rate-limiting'), kongPlugin('b', 'y', 'key-auth'), kongPlugin('c', 'z', 'rate-limiting'), { metadata: { name: 'broken' } }],
      KongClusterPlugin: [{ metadata: { name: 'cors' }, plugin: 'cors' }],
    });
    expect(pluginNamesInUse(snapshot)).to.deep.equal(['cors', 'key-auth', 'rate-limiting']);
  });

  it('over several gateways: not enabled on one is not enabled; else the first schema; else unavailable', () => {
    const schema: SchemaAnswer = { kind: 'schema', schema: { fields: [] } };
    const off: SchemaAnswer = { kind: 'not-enabled' };
    const down: SchemaAnswer = { kind: 'unavailable', reason: 'timeout' };
    const combined = combineAnswers([new Map<string, SchemaAnswer>([['a', schema], ['b', schema], ['c', down]]), new Map<string, SchemaAnswer>([['a', off], ['b', down], ['c', down]])], ['a', 'b', 'c']);
    expect([...combined.entries()]).to.deep.equal([['a', off], ['b', schema], ['c', down]]);
  });

  it('asks each gateway once per Kong version and plugin (the Kong backend)', async () => {
    const hits: string[] = [];
    const backend = kongBackend(fakeEngine({ 'http://g1': '3.9.3', 'http://g2': undefined }, { 'http://g1': ['rate-limiting'] }, hits), 'dbless');
    const answers = await backend.pluginSchemas?.([{ url: 'http://g1' }], ['rate-limiting', 'no-such']);
    expect(answers?.get('rate-limiting')?.kind).to.equal('schema');
    expect(answers?.get('no-such')?.kind).to.equal('not-enabled');
    await backend.pluginSchemas?.([{ url: 'http://g1' }], ['rate-limiting']);
    expect(hits).to.deep.equal(['http://g1/schemas/plugins/rate-limiting', 'http://g1/schemas/plugins/no-such']);
    const withDown = await backend.pluginSchemas?.([{ url: 'http://g2' }], ['rate-limiting']);
    expect(withDown?.get('rate-limiting')?.kind, 'a gateway that does not answer: structure only').to.equal('unavailable');
  });
});

describe('plugin schemas for the DB-mode engine', () => {
  it('completes a plugin config with the schema its gateway gave last, and nothing for another gateway or a forgotten one', async () => {
    const schemas = new GatewaySchemas();
    const backend = kongBackend(fakeEngine({ 'http://g1': '3.9.3' }, { 'http://g1': ['rate-limiting'] }, []), 'db', {}, schemas);
    await backend.pluginSchemas?.([{ url: 'http://g1' }], ['rate-limiting']);
    const completed = schemas.completePluginConfig('http://g1', { name: 'rate-limiting', config: { minute: 5 } });
    expect(completed).to.include({ minute: 5, policy: 'local', hour: null });
    expect(schemas.completePluginConfig('http://g2', { name: 'rate-limiting', config: { minute: 5 } })).to.equal(undefined);
    expect(schemas.completePluginConfig('http://g1', { name: 'cors', config: {} }), 'a plugin not asked for').to.equal(undefined);
    backend.retain?.([]);
    expect(schemas.completePluginConfig('http://g1', { name: 'rate-limiting', config: { minute: 5 } }), 'a gateway gone').to.equal(undefined);
  });
});

describe('controller: plugin schemas', () => {
  let h: Harness;
  let kong: RecordingKong;
  afterEach(async () => { await h.stop(); });

  const lastHosts = () => kong.syncs.at(-1)?.applied.config.services.flatMap((s) => s.routes.flatMap((r) => r.hosts ?? [])).sort();

  /** A translator that records the plugin schema lookups it is given. */
  function recordingTranslate(seen: (SchemaLookup | undefined)[]) {
    const translator = createTranslator();
    return (snapshot: Parameters<typeof translator.translate>[0], options: TranslateOptions) => {
      seen.push(options.pluginSchemas);
      return translator.translate(snapshot, options);
    };
  }

  it('reads the schemas of the plugins in use before translating, and gives them to the translator and the webhook', async () => {
    const asked: string[][] = [];
    const rateLimiting: SchemaAnswer = { kind: 'schema', schema: recordedSchema('rate-limiting') };
    kong = { ...recordingKong(), pluginSchemas: (_gateways, plugins) => { asked.push([...plugins]); return Promise.resolve(new Map([['rate-limiting', rateLimiting]])); } };
    const seen: (SchemaLookup | undefined)[] = [];
    const webhookSeen: SchemaLookup[] = [];
    h = await startHarness({
      kong, kongAdminUrls: ['http://127.0.0.1:1'], translate: recordingTranslate(seen),
      onSnapshot: (_s, _settings, _owners, schemas) => { webhookSeen.push(schemas); },
      objects: [...gatewayObjects(1), service('shop', 'web'), ingress('shop', 'web'), kongPlugin('shop', 'rl', 'rate-limiting')],
    });
    await h.eventually(() => { expect(lastHosts()).to.deep.equal(['web.example.com']); });
    expect(asked[0]).to.deep.equal(['rate-limiting']);
    expect(seen.at(-1)?.('rate-limiting')).to.equal(rateLimiting);
    expect(seen.at(-1)?.('cors').kind, 'a plugin not asked for: structure only').to.equal('unavailable');
    h.cluster.apply(ingress('shop', 'web2'));
    await h.eventually(() => { expect(webhookSeen.at(-1)?.('rate-limiting')).to.equal(rateLimiting); });
    const lookups = new Set(seen.slice(1));
    expect(lookups.size, 'unchanged answers give the same lookup').to.equal(1);
  });

  it('goes on with the structural check when the gateways cannot give schemas', async () => {
    kong = { ...recordingKong(), pluginSchemas: () => Promise.reject(new Error('connect ECONNREFUSED')) };
    const seen: (SchemaLookup | undefined)[] = [];
    h = await startHarness({
      kong, kongAdminUrls: ['http://127.0.0.1:1'], translate: recordingTranslate(seen),
      objects: [...gatewayObjects(1), service('shop', 'web'), ingress('shop', 'web'), kongPlugin('shop', 'rl', 'rate-limiting')],
    });
    await h.eventually(() => { expect(lastHosts()).to.deep.equal(['web.example.com']); });
    expect(seen.at(-1)?.('rate-limiting').kind).to.equal('unavailable');
  });

  it('asks nothing when no plugin object exists', async () => {
    let asked = 0;
    kong = { ...recordingKong(), pluginSchemas: () => { asked += 1; return Promise.resolve(new Map()); } };
    h = await startHarness({ kong, kongAdminUrls: ['http://127.0.0.1:1'], objects: [...gatewayObjects(1), service('shop', 'web'), ingress('shop', 'web')] });
    await h.eventually(() => { expect(lastHosts()).to.deep.equal(['web.example.com']); });
    expect(asked).to.equal(0);
  });
});
