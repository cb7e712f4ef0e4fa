// The DB-less /config body leaves out what Kong fills in itself; Kong must load
// exactly the entities the full config describes (ids, defaults and all).
import { expect } from 'chai';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_SETTINGS } from '../../src/config/settings.ts';
import type { V1Ingress } from '@kubernetes/client-node';
import { DblessBodyWriter, dblessBody } from '../../src/kong/dbless-body.ts';
import { OWNERSHIP_TAG, type KongConfig } from '../../src/model/index.ts';
import { validateDeclarativeConfig } from '../kong-model/validate/index.ts';
import type { FlatEntities } from '../kong-model/validate/index.ts';
import { createTranslator } from '../../src/translate/index.ts';
import type { Snapshot } from '../../src/translate/types.ts';
import { editIngress, generateCluster } from '../../bench/generate.ts';
import { kongConfigurationHash } from './fixtures.ts';
import { loadKongYaml } from '../kong-double/yaml-load.ts';
import {
  PEM, endpointSlice, externalService, ingress, rule, service, snapshot, tlsSecret,
} from '../translate/builders.ts';

function cluster(): ReturnType<typeof snapshot> {
  const ns = { namespace: 'shop' };
  return snapshot({
    ingresses: [
      ingress('web', {
        rules: [rule('shop.example.com', ['/', 'Prefix', 'web', 80], ['/login', 'Exact', 'web', 80])],
        tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }],
      }, { ...ns, uid: 'web-uid' }),
      ingress('api', { rules: [rule('api.example.com', ['/v1', 'Prefix', 'api', 'grpc'])] }, {
        ...ns, uid: 'api-uid', annotations: { 'konghq.com/protocols': 'grpcs', 'konghq.com/strip-path': 'false' },
      }),
      ingress('mesh', { rules: [rule('mesh.example.com', ['/', 'Prefix', 'frontend', 80])] }, {
        ...ns, uid: 'mesh-uid', annotations: { 'konghq.com/methods': 'GET', 'konghq.com/https-redirect-status-code': '426' },
      }),
    ],
    services: [
      service('web', [{ port: 80 }], { ...ns, uid: 'svc-web', annotations: { 'konghq.com/retries': '5', 'konghq.com/read-timeout': '1000' } }),
      service('api', [{ name: 'grpc', port: 9000 }], { ...ns, uid: 'svc-api', annotations: { 'konghq.com/protocol': 'grpcs' } }),
      externalService('frontend', 'frontend.shop.svc.80.mesh', { ...ns, uid: 'svc-frontend' }),
    ],
    endpointSlices: [endpointSlice('web', [{ port: 80 }], [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ns)],
    secrets: [tlsSecret('shop-tls', PEM.certA, PEM.keyA, { ...ns, uid: '0b7c3c1e-8d0e-4a53-9f53-3c7f1b2a9d11' })],
  });
}

/**
 * The body as Kong reads it: not JSON, so its YAML 1.1 parser (merge keys,
 * aliases). A YAML 1.2 reader must see the same data: nothing in the body
 * may depend on the YAML version.
 */
export function parseBody(text: string): KongConfig {
  const asKong = loadKongYaml(text) as KongConfig;
  expect(() => JSON.parse(text) as unknown, 'JSON would be read by another parser').to.throw();
  if (text.length < 1_000_000) {
    // The yaml package's own alias resolution is quadratic: small bodies only.
    const strict = parseYaml(text, { version: '1.2', merge: true, maxAliasCount: -1 }) as unknown;
    expect(strict, 'YAML 1.1 and 1.2 read the body alike').to.deep.equal(asKong);
  }
  return asKong;
}

function loaded(config: unknown): FlatEntities {
  const result = validateDeclarativeConfig(config, { routerFlavor: 'traditional_compatible', flattenErrors: true });
  if (!result.ok) throw new Error(JSON.stringify(result.body));
  // Kong gives SNIs a new random id on every load: they are compared by name.
  const snis = result.entities.snis.map(({ id: _id, ...sni }) => sni);
  return { ...result.entities, snis };
}

/** What Kong keeps of the full config, with the ownership tag (left out of DB-less bodies) removed. */
function withoutOwnershipTag(entities: FlatEntities): unknown {
  return JSON.parse(JSON.stringify(entities, (key, value: unknown) =>
    key === 'tags' && Array.isArray(value) ? value.filter((tag) => tag !== OWNERSHIP_TAG) : value)) as unknown;
}

describe('DB-less /config body', () => {
  for (const upstreamMode of ['service', 'endpoints'] as const) {
    it(`loads into exactly the entities of the full config (${upstreamMode} mode)`, () => {
      const { config } = createTranslator().translate(cluster(), { settings: { ...DEFAULT_SETTINGS, upstreamMode } });
      const body = dblessBody(config);
      expect(withoutOwnershipTag(loaded(parseBody(body)))).to.deep.equal(withoutOwnershipTag(loaded(structuredClone(config))));
    });
  }

  it('leaves out derivable ids, Kong defaults and the ownership tag, and keeps every other value', () => {
    const { config } = createTranslator().translate(cluster(), { settings: { ...DEFAULT_SETTINGS, upstreamMode: 'endpoints' } });
    const body = parseBody(dblessBody(config));
    const web = body.services.find((s) => s.name === 'shop.web.80');
    expect(web).to.not.have.any.keys('id', 'protocol', 'port', 'retries', 'connect_timeout', 'write_timeout');
    expect(web?.read_timeout).to.equal(1000);
    expect(web?.tags).to.deep.equal(['k8s-kind:Service', 'k8s-name:web', 'k8s-namespace:shop', 'k8s-uid:svc-web']);
    const route = web?.routes[0];
    expect(route).to.not.have.any.keys('id', 'protocols', 'regex_priority', 'path_handling', 'request_buffering', 'response_buffering');
    expect(route).to.include({ strip_path: false, preserve_host: true });
    const grpc = body.services.find((s) => s.name === 'shop.api.grpc')?.routes[0];
    expect(grpc).to.include({ strip_path: false }).and.deep.include({ protocols: ['grpcs'] });
    expect(body.services.find((s) => s.name === 'shop.frontend.80')?.routes[0]).to.deep.include({ methods: ['GET'] });
    expect(body.certificates[0]?.id, 'certificates have no name to derive an id from').to.equal('0b7c3c1e-8d0e-4a53-9f53-3c7f1b2a9d11');
    const targets = body.upstreams.find((u) => u.name === 'web.shop.80.svc')?.targets ?? [];
    expect(targets.map((t) => t.target)).to.deep.equal(['10.0.0.1:80', '10.0.0.2:80']);
    expect(targets[0]).to.not.have.any.keys('id', 'weight');
  });

  it('is the same text whether or not entity texts were remembered', () => {
    const { config } = createTranslator().translate(cluster(), { settings: DEFAULT_SETTINGS });
    const first = dblessBody(config);
    expect(dblessBody(config)).to.equal(first);
    expect(dblessBody(structuredClone(config))).to.equal(first);
  });

  it('reuses unchanged chunks and resumes the MD5, and stays equal to a body written from scratch', () => {
    const settings = { ...DEFAULT_SETTINGS };
    let snap = generateCluster({ n: 400 }).snapshot;
    const edit = (index: number, round: number): Snapshot => {
      const ingresses = [...snap.Ingress];
      ingresses[index] = editIngress(ingresses[index] as V1Ingress, round);
      return { ...snap, Ingress: ingresses };
    };
    const steps: [string, () => Snapshot][] = [
      ['first', () => snap], ['unchanged', () => snap], ['last chunk', () => edit(399, 1)], ['first chunk', () => edit(0, 2)],
      ['middle', () => edit(200, 3)], ['one deleted: later chunks shift', () => ({ ...snap, Ingress: snap.Ingress.slice(1) })],
    ];
    const writer = new DblessBodyWriter();
    for (const [step, next] of steps) {
      snap = next();
      const { config } = createTranslator().translate(snap, { settings });
      const body = writer.bodyAndHash(config);
      expect(body.md5, step).to.equal(kongConfigurationHash(body.text));
      expect(body.text, step).to.equal(dblessBody(structuredClone(config)));
    }
  });

  it('keeps each writer\'s memory its own: bodies another writer writes in between change nothing', () => {
    const settings = { ...DEFAULT_SETTINGS };
    const first = generateCluster({ n: 400 }).snapshot;
    const ingresses = [...first.Ingress];
    ingresses[200] = editIngress(ingresses[200] as V1Ingress, 1);
    // Translated first, in this order, so the edit reuses the translator's entities.
    const { translate } = createTranslator();
    const before = translate(first, { settings }).config;
    const after = translate({ ...first, Ingress: ingresses }, { settings }).config;
    const other = translate(generateCluster({ n: 300, seed: 7 }).snapshot, { settings }).config;
    const mine = new DblessBodyWriter();
    const theirs = new DblessBodyWriter();
    mine.bodyAndHash(before);
    theirs.bodyAndHash(other);
    const body = mine.bodyAndHash(after);
    const counts = mine.chunkCounts();
    expect(counts['services'], 'one chunk of services written again').to.include({ written: 1 }).and.have.property('reused').above(0);
    expect(counts['upstreams']?.written, 'upstreams unchanged').to.equal(0);
    expect(body.md5).to.equal(kongConfigurationHash(body.text));
    expect(body.text).to.equal(dblessBody(structuredClone(after)));
    expect(theirs.chunkCounts()['services']?.reused, 'the other writer knew none of these').to.equal(0);
  });

  it('fits 10k Ingresses of the bench cluster, uid tags included, in at most 500 bytes per Ingress without certificates', function () {
    this.timeout(60_000);
    const n = 10_000;
    const { snapshot: snap } = generateCluster({ n, seed: 1 });
    expect(snap.Ingress.every((i) => i.metadata?.uid !== undefined), 'objects carry uids as an API server gives them').to.equal(true);
    const { config } = createTranslator().translate(snap, { settings: DEFAULT_SETTINGS });
    const text = dblessBody({ ...config, certificates: [] });
    expect(text.match(/k8s-uid:/g)?.length, 'one uid tag per service, and one per Ingress in each chunk').to.be.above(n);
    expect(Buffer.byteLength(text) / n).to.be.at.most(500);
  });

  it('loads the bench cluster with every name and tag as translated', function () {
    this.timeout(60_000);
    const { config } = createTranslator().translate(generateCluster({ n: 300, seed: 1 }).snapshot, { settings: DEFAULT_SETTINGS });
    const body = parseBody(dblessBody(config));
    expect(body.services.map((s) => s.name)).to.deep.equal(config.services.map((s) => s.name));
    expect(body.services.flatMap((s) => s.routes.map((r) => r.tags))).to.deep.equal(
      config.services.flatMap((s) => s.routes.map((r) => r.tags.filter((t) => t !== OWNERSHIP_TAG))));
    expect(withoutOwnershipTag(loaded(body))).to.deep.equal(withoutOwnershipTag(loaded(structuredClone(config))));
  });

  it('keeps strings YAML would read as something else quoted, and anything Kong loads unchanged', () => {
    const tricky = ['yes', 'No', 'on', 'OFF', 'y', 'null', '~', '', '1.5', '0x1F', '012', '2001-12-14', '1:20', '.inf', 'a: b', '#x', '- x', '&a', '*a', '!t', '%x', '@x', '`x', "'q'", '"q"', 'a\u2028b', 'a\u0085b', 'é', 'tab\there', 'line\nbreak'];
    const { config } = createTranslator().translate(cluster(), { settings: DEFAULT_SETTINGS });
    const [web] = config.services;
    if (web === undefined) throw new Error('no service');
    const edited: KongConfig = { ...config, services: [{ ...web, tags: [...web.tags, ...tricky], routes: web.routes.map((r) => ({ ...r, headers: { on: ['yes'], 'x-n': tricky } })) }] };
    const body = parseBody(dblessBody(edited));
    expect(body.services[0]?.tags).to.deep.equal([...web.tags.filter((t) => t !== OWNERSHIP_TAG), ...tricky]);
    expect(body.services[0]?.routes[0]?.headers).to.deep.equal({ on: ['yes'], 'x-n': tricky });
  });
});
