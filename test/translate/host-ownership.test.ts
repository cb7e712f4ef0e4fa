// spec.hosts.ownership: Namespace — a host belongs to the namespace of the
// oldest Ingress claiming it; other namespaces need the owner's delegation.
import { expect } from 'chai';
import type { V1Ingress } from '@kubernetes/client-node';
import { HOST_DELEGATES_ANNOTATION, hostsOverlap } from '../../src/translate/host-ownership.ts';
import { createTranslator } from '../../src/translate/index.ts';
import { allRoutes, ingress, PEM, reasons, rule, run, service, settings, snapshot, tlsSecret } from './builders.ts';
import type { PathSpec } from './builders.ts';

const OLD = '2024-01-01T00:00:00Z';
const MID = '2024-01-15T00:00:00Z';
const NEW = '2024-02-01T00:00:00Z';
const NAMESPACE_MODE = { hostOwnership: 'Namespace' } as const;

interface Tenant {
  namespace: string;
  created: string;
  annotations?: Record<string, string>;
  tls?: { hosts: string[]; secretName: string };
}

function site({ namespace, created, annotations = {}, tls }: Tenant, host: string, ...paths: PathSpec[]): V1Ingress {
  const spec = { rules: [rule(host, ...paths)], ...(tls ? { tls: [tls] } : {}) };
  return ingress('site', spec, { namespace, created, annotations, uid: `${namespace}-site` });
}

const services = ['team-a', 'team-b', 'team-c'].map((namespace) => service('web', [{ port: 80 }], { namespace }));
const ROOT: PathSpec = ['/', 'Prefix', 'web', 80];
const EXTRA: PathSpec = ['/extra', 'Prefix', 'web', 80];
const teamA = site({ namespace: 'team-a', created: OLD }, 'a.example.com', ROOT);
const teamBOnA = site({ namespace: 'team-b', created: NEW }, 'a.example.com', EXTRA);

/** Route name → hosts, for the routes of one namespace. */
function routesOf(result: ReturnType<typeof run>, namespace: string): Record<string, readonly string[]> {
  return Object.fromEntries(allRoutes(result).filter((r) => r.name?.startsWith(`${namespace}.`)).map((r) => [r.name ?? '', r.hosts ?? []]));
}

describe('translate: host ownership by namespace', () => {
  it('Shared (the default) keeps Kubernetes merging: another namespace may add a path to a host', () => {
    const result = run({ ingresses: [teamA, teamBOnA], services });
    expect(result.failures).to.deep.equal([]);
    expect(routesOf(result, 'team-b')).to.deep.equal({ 'team-b.site.web.a.example.com.80': ['a.example.com'] });
  });

  it("Namespace refuses another namespace's path on an owned host, with a failure naming the owner", () => {
    const result = run({ ingresses: [teamBOnA, teamA], services }, NAMESPACE_MODE);
    expect(reasons(result)).to.deep.equal(['Ingress/team-b/site:HostNotOwned']);
    expect(result.failures[0]?.message).to.contain("host 'a.example.com' belongs to namespace team-a")
      .and.to.contain('Ingress team-a/site').and.to.contain(HOST_DELEGATES_ANNOTATION);
    expect(routesOf(result, 'team-b')).to.deep.equal({});
    expect(routesOf(result, 'team-a'), 'team-a keeps all its traffic').to.deep.equal({ 'team-a.site.web.a.example.com.80': ['a.example.com'] });
  });

  it('refuses a host reached through konghq.com/host-aliases like a rules[].host, and keeps the tenant\'s own host', () => {
    const aliased = site({ namespace: 'team-b', created: NEW, annotations: { 'konghq.com/host-aliases': 'a.example.com' } }, 'b.example.com', EXTRA);
    const result = run({ ingresses: [teamA, aliased], services }, NAMESPACE_MODE);
    expect(reasons(result)).to.deep.equal(['Ingress/team-b/site:HostNotOwned']);
    expect(Object.values(routesOf(result, 'team-b'))).to.deep.equal([['b.example.com']]);
  });

  it('lets Ingresses of the owner namespace share the host', () => {
    const second = ingress('second', { rules: [rule('a.example.com', EXTRA)] }, { namespace: 'team-a', created: NEW });
    const result = run({ ingresses: [teamA, second], services }, NAMESPACE_MODE);
    expect(result.failures).to.deep.equal([]);
    expect(Object.keys(routesOf(result, 'team-a'))).to.have.length(2);
  });

  it('refuses a wildcard over an owned exact host, and an exact host under an owned wildcard', () => {
    const wildcard = site({ namespace: 'team-b', created: NEW }, '*.example.com', EXTRA);
    expect(reasons(run({ ingresses: [teamA, wildcard], services }, NAMESPACE_MODE))).to.deep.equal(['Ingress/team-b/site:HostNotOwned']);
    const olderWildcard = site({ namespace: 'team-b', created: OLD }, '*.example.com', EXTRA);
    const newerExact = site({ namespace: 'team-a', created: NEW }, 'a.example.com', ROOT);
    const result = run({ ingresses: [newerExact, olderWildcard], services }, NAMESPACE_MODE);
    expect(reasons(result)).to.deep.equal(['Ingress/team-a/site:HostNotOwned']);
    expect(result.failures[0]?.message).to.contain("belongs to namespace team-b").and.to.contain("'*.example.com'");
    expect(run({ ingresses: [site({ namespace: 'team-b', created: NEW }, '*.other.com', EXTRA), teamA], services }, NAMESPACE_MODE).failures,
      'hosts that do not overlap').to.deep.equal([]);
  });

  it('serves a delegated namespace on the owner\'s host, exact and wildcard, and no one else', () => {
    const delegating = site({ namespace: 'team-a', created: OLD, annotations: { [HOST_DELEGATES_ANNOTATION]: 'team-b' } }, 'a.example.com', ROOT);
    const teamC = site({ namespace: 'team-c', created: NEW }, 'a.example.com', ['/c', 'Prefix', 'web', 80]);
    const result = run({ ingresses: [delegating, teamBOnA, teamC], services }, NAMESPACE_MODE);
    expect(reasons(result)).to.deep.equal(['Ingress/team-c/site:HostNotOwned']);
    expect(routesOf(result, 'team-b')).to.deep.equal({ 'team-b.site.web.a.example.com.80': ['a.example.com'] });
    const wildcard = site({ namespace: 'team-b', created: NEW }, '*.example.com', EXTRA);
    expect(run({ ingresses: [delegating, wildcard], services }, NAMESPACE_MODE).failures).to.deep.equal([]);
  });

  it('hands the host over when the owner stops claiming it', () => {
    const result = run({ ingresses: [teamBOnA], services }, NAMESPACE_MODE);
    expect(result.failures).to.deep.equal([]);
    expect(routesOf(result, 'team-b')).to.deep.equal({ 'team-b.site.web.a.example.com.80': ['a.example.com'] });
  });

  it('a refused claim holds no path: a path conflict goes to the allowed claimant', () => {
    const olderOutsider = site({ namespace: 'team-b', created: MID }, 'a.example.com', ROOT);
    const oldest = site({ namespace: 'team-a', created: OLD }, 'a.example.com', EXTRA);
    const sameRoot = ingress('root', { rules: [rule('a.example.com', ROOT)] }, { namespace: 'team-a', created: NEW });
    const result = run({ ingresses: [sameRoot, olderOutsider, oldest], services }, NAMESPACE_MODE);
    expect(reasons(result)).to.deep.equal(['Ingress/team-b/site:HostNotOwned']);
    expect(Object.keys(routesOf(result, 'team-a'))).to.deep.equal(['team-a.root.web.a.example.com.80', 'team-a.site.web.a.example.com.80']);
  });

  it('TLS follows ownership: no certificate for a host from a namespace that may not serve it', () => {
    const secrets = ['team-a', 'team-b'].map((namespace) => tlsSecret('tls', PEM.certA, PEM.keyA, { namespace, uid: `${namespace}-tls` }));
    const owner = site({ namespace: 'team-a', created: NEW, tls: { hosts: ['a.example.com'], secretName: 'tls' } }, 'a.example.com', ROOT);
    // Older, and claims only the certificate of team-a's host next to its own.
    const outsider = site({ namespace: 'team-b', created: OLD, tls: { hosts: ['a.example.com', 'b.example.com'], secretName: 'tls' } }, 'b.example.com', ROOT);
    const result = run({ ingresses: [outsider, owner], services, secrets }, NAMESPACE_MODE);
    expect(reasons(result)).to.deep.equal(['Ingress/team-b/site:HostNotOwned']);
    expect(result.failures[0]?.message).to.contain('tls[0]').and.to.contain("host 'a.example.com' belongs to namespace team-a");
    const sniOwners = result.config.certificates.map((c) => [c.id, c.snis.map((s) => s.name)]);
    expect(sniOwners).to.deep.equal([['team-a-tls', ['a.example.com']], ['team-b-tls', ['b.example.com']]].sort());
    const shared = run({ ingresses: [outsider, owner], services, secrets });
    expect(shared.config.certificates.find((c) => c.id === 'team-b-tls')?.snis.map((s) => s.name), 'Shared: the oldest Ingress\'s Secret')
      .to.deep.equal(['a.example.com', 'b.example.com']);
  });

  it('incrementally: withdrawing a delegation refuses the unchanged delegated Ingress, restoring it serves it again', () => {
    const options = { settings: settings(NAMESPACE_MODE) };
    const delegating = site({ namespace: 'team-a', created: OLD, annotations: { [HOST_DELEGATES_ANNOTATION]: 'team-b' } }, 'a.example.com', ROOT);
    // The same lists but the Ingresses: the translator updates its previous pass.
    const base = snapshot({ services });
    const { translate } = createTranslator();
    const pass = (owner: V1Ingress) => translate({ ...base, Ingress: [owner, teamBOnA] }, options);
    expect(Object.keys(routesOf(pass(delegating), 'team-b'))).to.have.length(1);
    const withdrawn = pass(teamA);
    expect(reasons(withdrawn)).to.deep.equal(['Ingress/team-b/site:HostNotOwned']);
    expect(routesOf(withdrawn, 'team-b')).to.deep.equal({});
    expect(withdrawn.config).to.deep.equal(run({ ingresses: [structuredClone(teamA), structuredClone(teamBOnA)], services }, NAMESPACE_MODE).config);
    const restored = pass(delegating);
    expect(restored.failures).to.deep.equal([]);
    expect(Object.keys(routesOf(restored, 'team-b'))).to.have.length(1);
  });

  it('treats hosts as overlapping where Kong would route one name to both (a wildcard matches any depth)', () => {
    const cases: Array<[string, string, boolean]> = [
      ['a.example.com', 'a.example.com', true], ['a.example.com', 'b.example.com', false],
      ['*.example.com', 'a.example.com', true], ['*.example.com', 'x.a.example.com', true], ['*.example.com', 'example.com', false],
      ['*.example.com', '*.a.example.com', true], ['*.a.example.com', '*.b.example.com', false], ['*.example.com', 'a.example.org', false],
    ];
    for (const [a, b, overlap] of cases) {
      expect(hostsOverlap(a, b), `${a} / ${b}`).to.equal(overlap);
      expect(hostsOverlap(b, a), `${b} / ${a}`).to.equal(overlap);
    }
  });

  it('finds overlaps at any depth, oldest owner named first', () => {
    const deep = site({ namespace: 'team-a', created: OLD }, 'x.a.example.com', ROOT);
    const mid = site({ namespace: 'team-c', created: MID }, '*.a.example.com', ROOT);
    const wide = site({ namespace: 'team-b', created: NEW }, '*.example.com', EXTRA);
    const result = run({ ingresses: [wide, mid, deep], services }, NAMESPACE_MODE);
    expect(reasons(result)).to.deep.equal(['Ingress/team-b/site:HostNotOwned', 'Ingress/team-c/site:HostNotOwned']);
    expect(result.failures.map((f) => f.message).join('\n')).to.contain('belongs to namespace team-a').and.not.contain('namespace team-c (');
    expect(run({ ingresses: [site({ namespace: 'team-b', created: NEW }, 'example.com', EXTRA), deep], services }, NAMESPACE_MODE).failures,
      'the apex is not under its own wildcard').to.deep.equal([]);
  });

  describe('sticky ownership: remembered owners (TranslateOptions.hostOwners)', () => {
    const options = (hostOwners?: ReadonlyMap<string, string>) => ({ settings: settings(NAMESPACE_MODE), ...(hostOwners ? { hostOwners } : {}) });
    const base = snapshot({ services });
    const { translate } = createTranslator();
    const pass = (ingresses: V1Ingress[], hostOwners?: ReadonlyMap<string, string>) => translate({ ...base, Ingress: ingresses }, options(hostOwners));

    it('reports each host\'s owner, to be fed back', () => {
      const result = pass([teamA, teamBOnA]);
      expect([...result.hosts?.owners ?? []]).to.deep.equal([['a.example.com', 'team-a']]);
      expect(result.hosts?.contested, 'team-a keeps team-b out').to.deep.equal(['a.example.com']);
      expect(result.hosts?.handOvers).to.deep.equal([]);
    });

    it('an older Ingress of another namespace (restored from a backup) does not take a remembered host', () => {
      const owners = pass([teamA]).hosts?.owners;
      const restored = site({ namespace: 'team-b', created: '2023-06-01T00:00:00Z' }, 'a.example.com', EXTRA);
      const result = pass([teamA, restored], owners);
      expect(reasons(result)).to.deep.equal(['Ingress/team-b/site:HostNotOwned']);
      expect(routesOf(result, 'team-a')).to.deep.equal({ 'team-a.site.web.a.example.com.80': ['a.example.com'] });
      expect(reasons(pass([teamA, restored])), 'without memory the oldest claimant owns it').to.deep.equal(['Ingress/team-a/site:HostNotOwned']);
    });

    it('the owner keeps its host when its oldest Ingress goes and a newer one still claims it', () => {
      const newerOfA = ingress('second', { rules: [rule('a.example.com', ROOT)] }, { namespace: 'team-a', created: '2024-03-01T00:00:00Z', uid: 'team-a-second' });
      const owners = pass([teamA, newerOfA, teamBOnA]).hosts?.owners;
      const result = pass([newerOfA, teamBOnA], owners);
      expect(reasons(result), 'team-b is older than what team-a has left, and still refused').to.deep.equal(['Ingress/team-b/site:HostNotOwned']);
      expect(result.failures[0]?.message).to.contain('Ingress team-a/second');
      expect(result.hosts?.handOvers).to.deep.equal([]);
    });

    it('hands the host over when the owner stops claiming it, reported once', () => {
      const owners = pass([teamA, teamBOnA]).hosts?.owners;
      const handed = pass([teamBOnA], owners);
      expect(handed.failures).to.deep.equal([]);
      expect(handed.hosts?.handOvers).to.deep.equal([{ host: 'a.example.com', from: 'team-a', to: 'team-b', ingress: { kind: 'Ingress', namespace: 'team-b', name: 'site', uid: 'team-b-site' } }]);
      const next = pass([teamBOnA], handed.hosts?.owners);
      expect(next.hosts?.handOvers, 'fed back, it is no longer news').to.deep.equal([]);
      const back = pass([teamBOnA, teamA], next.hosts?.owners);
      expect(reasons(back), 'team-a returning finds its host taken').to.deep.equal(['Ingress/team-a/site:HostNotOwned']);
    });

    it('a remembered wildcard keeps out an older exact host under it', () => {
      const wildcard = site({ namespace: 'team-b', created: NEW }, '*.example.com', EXTRA);
      const owners = pass([wildcard]).hosts?.owners;
      expect(reasons(pass([teamA, wildcard], owners))).to.deep.equal(['Ingress/team-a/site:HostNotOwned']);
    });
  });

  describe('Shared: hosts served from more than one namespace', () => {
    it('lists the host with the oldest Ingress of each namespace serving it', () => {
      const result = run({ ingresses: [teamBOnA, teamA], services });
      expect(result.hosts?.shared).to.deep.equal([{
        host: 'a.example.com',
        servedFrom: [
          { namespace: 'team-a', ingress: { kind: 'Ingress', namespace: 'team-a', name: 'site', uid: 'team-a-site' } },
          { namespace: 'team-b', ingress: { kind: 'Ingress', namespace: 'team-b', name: 'site', uid: 'team-b-site' } },
        ],
      }]);
      expect(result.hosts?.owners.size, 'no owners under Shared').to.equal(0);
    });

    it('counts aliases, not a namespace whose paths all lost, nor two Ingresses of one namespace', () => {
      const aliased = site({ namespace: 'team-b', created: NEW, annotations: { 'konghq.com/host-aliases': 'a.example.com' } }, 'b.example.com', EXTRA);
      expect(run({ ingresses: [teamA, aliased], services }).hosts?.shared.map((h) => h.host)).to.deep.equal(['a.example.com']);
      const sameRoot = site({ namespace: 'team-b', created: NEW }, 'a.example.com', ROOT);
      expect(run({ ingresses: [teamA, sameRoot], services }).hosts?.shared).to.deep.equal([]);
      const second = ingress('second', { rules: [rule('a.example.com', EXTRA)] }, { namespace: 'team-a', created: NEW });
      expect(run({ ingresses: [teamA, second], services }).hosts?.shared).to.deep.equal([]);
    });

    it('under Namespace, a delegated namespace shares the host', () => {
      const delegating = site({ namespace: 'team-a', created: OLD, annotations: { [HOST_DELEGATES_ANNOTATION]: 'team-b' } }, 'a.example.com', ROOT);
      expect(run({ ingresses: [delegating, teamBOnA], services }, NAMESPACE_MODE).hosts?.shared.map((h) => h.host)).to.deep.equal(['a.example.com']);
    });
  });
});
