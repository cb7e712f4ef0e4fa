// Incremental translation must never change what is translated: after any
// sequence of edits, translating the live snapshot (unchanged objects are the
// same objects, as in the watch caches) gives exactly what a translation of
// fresh copies gives, and only the edited parts are rebuilt.
import { expect } from 'chai';
import type { V1EndpointSlice, V1Ingress, V1Secret, V1Service } from '@kubernetes/client-node';
import { createTranslator } from '../../src/translate/index.ts';
import type { Snapshot, TranslateOptions, TranslateResult } from '../../src/translate/types.ts';
// The benchmarks' seeded generator, so a failing sequence can be replayed from its seed.
import { seededRandom } from '../../bench/generate.ts';
import {
  PEM, endpointSlice, externalService, ingress, ingressClass, rule, service, settings, snapshot, tlsSecret,
} from './builders.ts';
import type { PathSpec } from './builders.ts';

const NAMESPACES = ['a', 'b'];
const APPS = ['web', 'api', 'cart', 'shop', 'auth'];

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

function randomIngress(random: Random, namespace: string, name: string, round: number): V1Ingress {
  // Few hosts and paths, so Ingresses often conflict over the same host and path.
  const host = pick(random, [`${pick(random, APPS)}.example.com`, '*.example.com', undefined]);
  const backend = pick(random, APPS);
  const port = pick(random, [80, 8080, 'http'] as const);
  const paths = [[pick(random, ['/', '/api', '/v1', '/static']), pick(random, ['Prefix', 'Exact']), backend, port] as const];
  if (random() < 0.5) paths.push(['/health', 'Exact', pick(random, APPS), 80] as const);
  const spec: V1Ingress['spec'] = { rules: [rule(host, ...paths.map((p) => [...p] as [string, string, string, number | string]))] };
  if (random() < 0.2) spec.defaultBackend = { service: { name: pick(random, APPS), port: { number: 80 } } };
  if (host && random() < 0.3) spec.tls = [{ hosts: [host], secretName: pick(random, ['tls-a', 'tls-b', 'missing']) }];
  const annotations: Record<string, string> = {};
  if (random() < 0.2) annotations['konghq.com/strip-path'] = pick(random, ['true', 'false', 'maybe']);
  if (random() < 0.1) annotations['konghq.com/methods'] = 'GET,POST';
  // Aliases are hosts: they conflict with rules[].host and with each other.
  if (random() < 0.2) annotations['meshdoor.dev/host-delegates'] = pick(random, ['a', 'b', 'a, b']);
  if (random() < 0.3) annotations['konghq.com/host-aliases'] = pick(random, [`${pick(random, APPS)}.example.com`, '*.example.com', 'web.example.com,api.example.com']);
  return ingress(name, spec, { namespace, annotations, created: `2025-01-01T00:00:${String(round % 60).padStart(2, '0')}Z`, uid: `${namespace}-${name}-${round}` });
}

function randomService(random: Random, namespace: string, name: string, round: number): V1Service {
  const meta = { namespace, uid: `${namespace}-${name}-svc-${round}` };
  if (random() < 0.2) return externalService(name, pick(random, [`${name}.${namespace}.svc.80.mesh`, 'evil.example.org']), meta);
  const annotations = random() < 0.2 ? { 'konghq.com/read-timeout': pick(random, ['5000', 'soon']) } : undefined;
  return service(name, [{ name: 'http', port: pick(random, [80, 8080]) }], annotations ? { ...meta, annotations } : meta);
}

function randomSlice(random: Random, namespace: string, name: string): V1EndpointSlice {
  return endpointSlice(name, [{ name: 'http', port: 8080 }], [{ ip: `10.0.0.${Math.floor(random() * 9) + 1}`, ready: random() < 0.8 }], { namespace });
}

function secretFor(random: Random, name: string, namespace: string, round: number): V1Secret {
  // Now and then a key that does not match its certificate.
  const key = random() < 0.2 ? PEM.keyB : PEM.keyA;
  return tlsSecret(name, PEM.certA, key, { namespace, uid: `${namespace}-${name}-${round}` });
}

/** One edit, as the watch caches would see it: a changed list is a new array, the others stay. */
function edit(snap: Snapshot, random: Random, round: number): Snapshot {
  const namespace = pick(random, NAMESPACES);
  const name = pick(random, APPS);
  const replace = <T extends { metadata?: { namespace?: string; name?: string } }>(list: readonly T[], next: T | undefined): T[] => {
    const others = list.filter((o) => o.metadata?.namespace !== namespace || o.metadata?.name !== next?.metadata?.name);
    return next ? [...others, next] : others;
  };
  const roll = random();
  if (roll < 0.45) return { ...snap, Ingress: replace(snap.Ingress, randomIngress(random, namespace, `ing-${name}`, round)) };
  if (roll < 0.55) return { ...snap, Ingress: snap.Ingress.filter((i) => i !== pick(random, snap.Ingress)) };
  if (roll < 0.75) return { ...snap, Service: replace(snap.Service, randomService(random, namespace, name, round)) };
  if (roll < 0.8) return { ...snap, Service: snap.Service.filter((s) => s !== pick(random, snap.Service)) };
  if (roll < 0.9) return { ...snap, EndpointSlice: replace(snap.EndpointSlice, randomSlice(random, namespace, name)) };
  const secretName = pick(random, ['tls-a', 'tls-b']);
  return { ...snap, Secret: random() < 0.3 ? snap.Secret.filter((s) => s.metadata?.name !== secretName) : replace(snap.Secret, secretFor(random, secretName, namespace, round)) };
}

function initial(random: Random): Snapshot {
  const ingresses = NAMESPACES.flatMap((ns) => APPS.map((app, i) => randomIngress(random, ns, `ing-${app}`, i)));
  const services = NAMESPACES.flatMap((ns) => APPS.map((app, i) => randomService(random, ns, app, i)));
  const endpointSlices = NAMESPACES.flatMap((ns) => APPS.map((app) => randomSlice(random, ns, app)));
  const secrets = NAMESPACES.flatMap((ns) => ['tls-a', 'tls-b'].map((s) => secretFor(random, s, ns, 0)));
  return snapshot({ ingresses, services, endpointSlices, secrets, ingressClasses: [ingressClass('kong')] });
}

/**
 * The same translation by a new translator from copies of everything, so
 * nothing remembered applies, as a whole pass (an exclusion, even of nothing,
 * forces one).
 */
function fromScratch(snap: Snapshot, options: TranslateOptions): TranslateResult {
  const fresh = structuredClone(snap);
  const owners = options.hostOwners ? { hostOwners: new Map(options.hostOwners) } : {};
  return createTranslator().translate(fresh, { settings: structuredClone(options.settings), exclude: options.exclude ?? new Set(['Ingress/none/none']), ...owners });
}

/** The host report as plain data (owners is a Map). */
function hostsOf(result: TranslateResult): unknown {
  const { owners, ...rest } = result.hosts ?? { owners: new Map<string, string>() };
  return JSON.parse(JSON.stringify({ ...rest, owners: [...owners].sort() })) as unknown;
}

/**
 * The owners the next pass remembers: as the controller feeds them back, or
 * now and then what another replica wrote (a part of them, some moved).
 */
function nextOwners(rnd: Random, owners: ReadonlyMap<string, string>): ReadonlyMap<string, string> {
  if (rnd() >= 0.15) return owners;
  return new Map([...owners].filter(() => rnd() < 0.7).map(([host, ns]) => [host, rnd() < 0.3 ? pick(rnd, NAMESPACES) : ns]));
}

/** Now and then an object, or a part of an Ingress (a path, a route split per path), as after a Kong rejection. */
function randomExclusion(rnd: Random): Set<string> | undefined {
  const roll = rnd();
  const ns = pick(rnd, NAMESPACES);
  const app = pick(rnd, APPS);
  if (roll < 0.15) return new Set([`Service/${ns}/${app}`]);
  if (roll < 0.25) return new Set([`Ingress/${ns}/ing-${app}#path:${pick(rnd, ['/api/', '~/health$', '/'])}`]);
  if (roll < 0.3) return new Set([`Ingress/${ns}/ing-${app}#split:${ns}.ing-${app}.${pick(rnd, APPS)}.${app}.example.com.80`]);
  return undefined;
}

const comparable = (result: TranslateResult) => JSON.parse(JSON.stringify(result)) as unknown;

describe('incremental translation', () => {
  for (const [label, overrides] of [
    ['service mode, traditional_compatible', {}],
    ['endpoints mode, expressions', { upstreamMode: 'endpoints', routerFlavor: 'expressions' }],
    ['mesh mode, traditional', { upstreamMode: 'mesh', routerFlavor: 'traditional' }],
    ['service mode, Namespace host ownership', { hostOwnership: 'Namespace' }],
  ] as const) {
    it(`gives what a translation from scratch gives after every edit (${label})`, () => {
      for (const seed of [1, 2, 3]) {
        const { translate } = createTranslator();
        const rnd = seededRandom(seed);
        const options = { settings: settings(overrides) };
        let snap = initial(rnd);
        let owners: ReadonlyMap<string, string> | undefined;
        for (let round = 1; round <= 60; round += 1) {
          snap = edit(snap, rnd, round);
          const exclude = randomExclusion(rnd);
          const opts = { ...options, ...(exclude ? { exclude } : {}), ...(owners ? { hostOwners: owners } : {}) };
          const incremental = translate(snap, opts);
          const scratch = fromScratch(snap, opts);
          expect(comparable(incremental), `seed ${seed}, round ${round}`).to.deep.equal(comparable(scratch));
          expect(hostsOf(incremental), `seed ${seed}, round ${round}: hosts`).to.deep.equal(hostsOf(scratch));
          owners = nextOwners(rnd, incremental.hosts?.owners ?? new Map<string, string>());
        }
      }
    });
  }

  it('gives what a translation from scratch gives while many Ingresses share one host and contest its paths', () => {
    // Up to 40 Ingresses of two or three paths on one host (past the claim table's short list) and some host-less ones.
    const rnd = seededRandom(11);
    const { translate } = createTranslator();
    const options = { settings: settings() };
    const crowded = (n: number, round: number): V1Ingress => {
      const host = rnd() < 0.8 ? 'shop.example.com' : undefined;
      const paths = [0, 1, 2].slice(0, 2 + Math.floor(rnd() * 2)).map((): PathSpec => [pick(rnd, ['/', '/a', '/b', '/c', '/d']), pick(rnd, ['Prefix', 'Exact']), 'web', 80]);
      const created = `2025-01-01T00:${String(Math.floor(rnd() * 60)).padStart(2, '0')}:00Z`;
      return ingress(`ing-${n}`, { rules: [rule(host, ...paths)] }, { namespace: pick(rnd, NAMESPACES), created, uid: `ing-${n}-${round}` });
    };
    let ingresses = Array.from({ length: 40 }, (_, n) => crowded(n, 0));
    // The same lists of the other kinds every pass: the passes are incremental ones.
    const base = snapshot({ services: NAMESPACES.map((namespace) => service('web', [{ port: 80 }], { namespace })), ingressClasses: [ingressClass('kong')] });
    let conflicts = 0;
    for (let round = 1; round <= 80; round += 1) {
      const n = Math.floor(rnd() * 40);
      const others = ingresses.filter((i) => i.metadata?.name !== `ing-${n}`);
      ingresses = rnd() < 0.25 ? others : [...others, crowded(n, round)];
      const snap = { ...base, Ingress: ingresses };
      const result = translate(snap, options);
      expect(comparable(result), `round ${round}`).to.deep.equal(comparable(fromScratch(snap, options)));
      conflicts += result.failures.filter((f) => f.reason === 'PathConflict').length;
    }
    expect(conflicts, 'paths were contested').to.be.greaterThan(100);
  });

  describe('Namespace host ownership, owners fed back as the controller does', () => {
    const TENANTS = ['a', 'b', 'c'];
    // Many hosts, few wildcards: most edits touch hosts unconnected to the rest, so the pass re-decides a part only.
    const HOSTS = [...Array.from({ length: 12 }, (_, i) => `h${i}.example.com`), 'x.h1.example.com', '*.h1.example.com', '*.example.com'];
    const hostIn = (rnd: Random): string => (rnd() < 0.9 ? pick(rnd, HOSTS.slice(0, 13)) : pick(rnd, HOSTS));

    function tenantIngress(rnd: Random, round: number): V1Ingress {
      const namespace = pick(rnd, TENANTS);
      const host = hostIn(rnd);
      const spec: V1Ingress['spec'] = { rules: [rule(host, [pick(rnd, ['/', '/api', '/v1']), 'Prefix', 'web', 80])] };
      if (rnd() < 0.3) spec.tls = [{ hosts: [host, hostIn(rnd)], secretName: 'tls' }];
      const annotations: Record<string, string> = {};
      if (rnd() < 0.2) annotations['konghq.com/host-aliases'] = hostIn(rnd);
      if (rnd() < 0.2) annotations['meshdoor.dev/host-delegates'] = pick(rnd, TENANTS);
      // Ages in any order: a newcomer may be older than the owner (restored from a backup).
      const created = `2025-01-01T00:${String(Math.floor(rnd() * 60)).padStart(2, '0')}:00Z`;
      return ingress(`ing-${Math.floor(rnd() * 8)}`, spec, { namespace, annotations, created, uid: `${namespace}-${round}` });
    }

    function editIngresses(rnd: Random, ingresses: readonly V1Ingress[], round: number): V1Ingress[] {
      const next = tenantIngress(rnd, round);
      const key = (i: V1Ingress): string => `${i.metadata?.namespace ?? ''}/${i.metadata?.name ?? ''}`;
      const others = ingresses.filter((i) => key(i) !== key(next));
      if (rnd() < 0.3 && others.length > 0) return others.filter((i) => i !== pick(rnd, others));
      return [...others, next];
    }

    it('gives what a whole pass gives after every edit: routes, failures, owners, hand-overs, shared hosts', () => {
      const services = TENANTS.map((namespace) => service('web', [{ port: 80 }], { namespace }));
      const secrets = TENANTS.map((namespace) => tlsSecret('tls', PEM.certA, PEM.keyA, { namespace, uid: `${namespace}-tls` }));
      let handOvers = 0;
      let refused = 0;
      for (const seed of [11, 12, 13, 14]) {
        const rnd = seededRandom(seed);
        const { translate } = createTranslator();
        const options = { settings: settings({ hostOwnership: 'Namespace' }) };
        const base = snapshot({ services, secrets, ingressClasses: [ingressClass('kong')] });
        let ingresses: V1Ingress[] = [];
        let owners: ReadonlyMap<string, string> | undefined;
        for (let round = 1; round <= 120; round += 1) {
          ingresses = editIngresses(rnd, ingresses, round);
          const snap = { ...base, Ingress: ingresses };
          const opts = owners ? { ...options, hostOwners: owners } : options;
          const incremental = translate(snap, opts);
          const scratch = fromScratch(snap, opts);
          expect(comparable(incremental), `seed ${seed}, round ${round}`).to.deep.equal(comparable(scratch));
          expect(hostsOf(incremental), `seed ${seed}, round ${round}: hosts`).to.deep.equal(hostsOf(scratch));
          handOvers += incremental.hosts?.handOvers.length ?? 0;
          refused += incremental.failures.filter((f) => f.reason === 'HostNotOwned').length;
          owners = nextOwners(rnd, incremental.hosts?.owners ?? new Map<string, string>());
        }
      }
      expect(handOvers, 'hand-overs happened').to.be.greaterThan(10);
      expect(refused, 'claims were refused').to.be.greaterThan(50);
    });
  });

  it('reuses the Kong entities of unchanged Ingresses and rebuilds the edited one', () => {
    const { translate } = createTranslator();
    const options = { settings: settings() };
    const web = service('web', [{ port: 80 }], { namespace: 'a' });
    const api = service('api', [{ port: 80 }], { namespace: 'a' });
    const one = ingress('one', { rules: [rule('one.example.com', ['/', 'Prefix', 'web', 80])] }, { namespace: 'a' });
    const two = ingress('two', { rules: [rule('two.example.com', ['/', 'Prefix', 'api', 80])] }, { namespace: 'a' });
    const first = translate(snapshot({ ingresses: [one, two], services: [web, api] }), options);
    const edited = ingress('two', { rules: [rule('two.example.com', ['/v2', 'Prefix', 'api', 80])] }, { namespace: 'a' });
    const second = translate(snapshot({ ingresses: [one, edited], services: [web, api] }), options);
    const route = (result: TranslateResult, svc: string) => result.config.services.find((s) => s.name === svc)?.routes[0];
    expect(route(second, 'a.web.80')).to.equal(route(first, 'a.web.80'));
    expect(route(second, 'a.api.80')).to.not.equal(route(first, 'a.api.80'));
    expect(route(second, 'a.api.80')?.paths).to.deep.equal(['/v2/', '~/v2$']);
    expect(Object.isFrozen(route(second, 'a.web.80'))).to.equal(true);
  });

  it('hands out configurations frozen all the way down, whatever the route shape, flavor and upstream mode', () => {
    const annotated = { namespace: 'a', annotations: { 'konghq.com/methods': 'GET', 'konghq.com/strip-path': 'true' } };
    const ingresses = [
      ingress('hosted', { rules: [rule('one.example.com', ['/', 'Prefix', 'web', 80], ['/y', 'Prefix', 'web', 80], ['/x', 'Exact', 'web', 80])] }, { namespace: 'a' }),
      ingress('hostless', { rules: [rule(undefined, ['/h', 'Prefix', 'web', 80])] }, { namespace: 'a' }),
      ingress('methods', { rules: [rule('m.example.com', ['/', 'Prefix', 'web', 80])] }, annotated),
    ];
    const parts = { ingresses, services: [service('web', [{ port: 80 }], { namespace: 'a' })], endpointSlices: [endpointSlice('web', [{ port: 8080 }], [{ ip: '10.0.0.1' }], { namespace: 'a' })] };
    const unfrozen = (value: unknown, where: string): string[] => {
      if (typeof value !== 'object' || value === null) return [];
      const inside = Object.entries(value).flatMap(([key, member]) => unfrozen(member, `${where}.${key}`));
      return Object.isFrozen(value) ? inside : [where, ...inside];
    };
    for (const overrides of [{}, { routerFlavor: 'expressions' as const }, { upstreamMode: 'endpoints' as const }]) {
      const { translate } = createTranslator();
      for (const pass of [0, 1]) {
        const { config } = translate(snapshot(pass === 0 ? parts : structuredClone(parts)), { settings: settings(overrides) });
        expect(config.services.flatMap((s) => s.routes)).to.have.length.greaterThan(2);
        const where = `${JSON.stringify(overrides)} pass ${pass}`;
        expect([...unfrozen(config.services, 'services'), ...unfrozen(config.upstreams, 'upstreams')], where).to.deep.equal([]);
      }
    }
  });

  it('reports a reused Ingress\'s failures again, and routes it once its Service appears', () => {
    const { translate } = createTranslator();
    const options = { settings: settings() };
    const orphan = ingress('orphan', { rules: [rule('x.example.com', ['/', 'Prefix', 'later', 80])] }, { namespace: 'a' });
    const services: V1Service[] = [];
    for (let pass = 0; pass < 2; pass += 1) {
      const result = translate(snapshot({ ingresses: [orphan], services }), options);
      expect(result.failures.map((f) => f.reason), `pass ${pass}`).to.deep.equal(['ServiceNotFound']);
    }
    const routed = translate(snapshot({ ingresses: [orphan], services: [service('later', [{ port: 80 }], { namespace: 'a' })] }), options);
    expect(routed.failures).to.deep.equal([]);
    expect(routed.config.services.map((s) => s.name)).to.deep.equal(['a.later.80']);
  });

  describe('pass after pass, against whole passes', () => {
    const options = { settings: settings() };
    const ns = { namespace: 'a' };
    const web = service('web', [{ port: 80 }], { ...ns, uid: 'svc-web' });
    const api = service('api', [{ port: 80 }], { ...ns, uid: 'svc-api' });
    const older = ingress('older', { rules: [rule('x.example.com', ['/', 'Prefix', 'web', 80])] }, { ...ns, uid: 'older', created: '2025-01-01T00:00:00Z' });
    const newer = ingress('newer', { rules: [rule('x.example.com', ['/', 'Prefix', 'api', 80])] }, { ...ns, uid: 'newer', created: '2025-01-02T00:00:00Z' });
    const withDefault = ingress('fallback', { defaultBackend: { service: { name: 'web', port: { number: 80 } } } }, { ...ns, uid: 'fallback' });
    const catchAll = ingress('catch-all', { rules: [rule(undefined, ['/', 'Prefix', 'api', 80])] }, { ...ns, uid: 'catch-all' });

    function passes(...ingressLists: V1Ingress[][]): void {
      // Only the Ingress list changes from pass to pass, as when only Ingresses were edited.
      const base = snapshot({ services: [web, api] });
      const { translate } = createTranslator();
      ingressLists.forEach((ingresses, pass) => {
        const snap = { ...base, Ingress: ingresses };
        expect(comparable(translate(snap, options)), `pass ${pass}`).to.deep.equal(comparable(fromScratch(snap, options)));
      });
    }

    it('gives a path to the newer Ingress once the older one is deleted, and back', () => {
      passes([older, newer], [newer], [older, newer]);
    });

    it('drops the default backend while a catch-all route exists, and brings it back', () => {
      passes([withDefault], [withDefault, catchAll], [withDefault]);
    });

    it('lists a new Ingress and its Service as configured', () => {
      passes([older], [older, catchAll]);
    });
  });
});

