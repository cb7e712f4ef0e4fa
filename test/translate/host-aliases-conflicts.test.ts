// Aliases are hosts: konghq.com/host-aliases make Kong match those hosts, so
// they take part in the oldest-Ingress-wins host + path rule like rules[].host.
import { expect } from 'chai';
import { createTranslator } from '../../src/translate/index.ts';
import { allRoutes, ingress, reasons, routeNamed, rule, run, service, settings, snapshot } from './builders.ts';
import type { PathSpec } from './builders.ts';

const K = 'konghq.com/';
const OLD = '2024-01-01T00:00:00Z';
const NEW = '2024-02-01T00:00:00Z';

interface Hosts {
  host: string;
  /** konghq.com/host-aliases, as written. */
  aliases?: string;
}

function tenant(namespace: string, created: string, { host, aliases }: Hosts, ...paths: PathSpec[]) {
  const annotations: Record<string, string> = aliases === undefined ? {} : { [`${K}host-aliases`]: aliases };
  return ingress('site', { rules: [rule(host, ...paths)] }, { namespace, created, annotations, uid: `${namespace}-site` });
}

const services = [service('web', [{ port: 80 }], { namespace: 'team-a' }), service('web', [{ port: 80 }], { namespace: 'team-b' })];
const teamA = tenant('team-a', OLD, { host: 'a.example.com' }, ['/', 'Prefix', 'web', 80], ['/login', 'Exact', 'web', 80]);
const teamB = tenant('team-b', NEW, { host: 'b.example.com', aliases: 'a.example.com' }, ['/login', 'Exact', 'web', 80]);

function hostsServing(result: ReturnType<typeof run>, host: string, path: string): string[] {
  return allRoutes(result)
    .filter((r) => r.hosts?.includes(host) && r.paths?.includes(path))
    .map((r) => r.name ?? '');
}

describe('translate: host aliases take part in host + path conflicts', () => {
  it("a newer tenant's alias does not take an older tenant's host + path", () => {
    const result = run({ ingresses: [teamB, teamA], services });
    expect(reasons(result)).to.deep.equal(['Ingress/team-b/site:PathConflict']);
    const message = result.failures[0]?.message ?? '';
    expect(message).to.contain("host 'a.example.com'").and.to.contain('konghq.com/host-aliases')
      .and.to.contain('Ingress team-a/site').and.to.contain('/login');
    expect(hostsServing(result, 'a.example.com', '~/login$'), 'only team-a serves a.example.com/login')
      .to.deep.equal(['team-a.site.web.a.example.com.80.exact']);
    const bRoutes = allRoutes(result).filter((r) => r.name?.startsWith('team-b.'));
    expect(bRoutes.map((r) => r.hosts), "team-b keeps its own host, without the alias it lost").to.deep.equal([['b.example.com']]);
  });

  it('an older alias wins over a newer rules[].host, reported the same way', () => {
    const olderB = tenant('team-b', OLD, { host: 'b.example.com', aliases: 'a.example.com' }, ['/login', 'Exact', 'web', 80]);
    const newerA = tenant('team-a', NEW, { host: 'a.example.com' }, ['/', 'Prefix', 'web', 80], ['/login', 'Exact', 'web', 80]);
    const result = run({ ingresses: [newerA, olderB], services });
    expect(reasons(result)).to.deep.equal(['Ingress/team-a/site:PathConflict']);
    expect(result.failures[0]?.message).to.contain("host 'a.example.com'").and.to.contain('Ingress team-b/site');
    expect(routeNamed(result, 'team-b.site.web.b.example.com.80').hosts).to.deep.equal(['b.example.com', 'a.example.com']);
    expect(routeNamed(result, 'team-a.site.web.a.example.com.80').paths, "team-a keeps the paths nobody else claims").to.deep.equal(['/']);
  });

  it('two aliases of the same host + path conflict like two rule hosts', () => {
    const older = tenant('team-a', OLD, { host: 'a.example.com', aliases: 'shared.example.com' }, ['/api', 'Prefix', 'web', 80]);
    const newer = tenant('team-b', NEW, { host: 'b.example.com', aliases: 'shared.example.com' }, ['/api', 'Prefix', 'web', 80]);
    const result = run({ ingresses: [newer, older], services });
    expect(reasons(result)).to.deep.equal(['Ingress/team-b/site:PathConflict']);
    expect(hostsServing(result, 'shared.example.com', '/api/')).to.deep.equal(['team-a.site.web.a.example.com.80']);
  });

  it('routes a path without the alias it lost and keeps the alias on the paths it won', () => {
    const newer = tenant('team-b', NEW, { host: 'b.example.com', aliases: 'a.example.com' }, ['/login', 'Exact', 'web', 80], ['/shop', 'Exact', 'web', 80]);
    const result = run({ ingresses: [teamA, newer], services });
    const bRoutes = allRoutes(result).filter((r) => r.name?.startsWith('team-b.')).map((r) => ({ name: r.name, hosts: r.hosts, paths: r.paths }));
    expect(bRoutes).to.have.length(2);
    expect(bRoutes.find((r) => r.paths?.includes('~/shop$'))).to.deep.include({ name: 'team-b.site.web.b.example.com.80', hosts: ['b.example.com', 'a.example.com'] });
    const reduced = bRoutes.find((r) => r.paths?.includes('~/login$'));
    expect(reduced?.hosts).to.deep.equal(['b.example.com']);
    expect(reduced?.name).to.match(/^team-b\.site\.web\.b\.example\.com\.80\.h[0-9a-f]{8}$/);
  });

  it('on the expressions router the losing alias is left out of the match', () => {
    const result = run({ ingresses: [teamB, teamA], services }, { routerFlavor: 'expressions' });
    expect(reasons(result)).to.deep.equal(['Ingress/team-b/site:PathConflict']);
    const bRoutes = allRoutes(result).filter((r) => r.name?.startsWith('team-b.'));
    expect(bRoutes).to.have.length(1);
    expect(bRoutes[0]?.expression).to.contain('b.example.com').and.not.contain('a.example.com');
  });

  it("an explicit rules[].host of the same Ingress wins over the same host reached through an alias", () => {
    const both = ingress('site', { rules: [rule('a.example.com', ['/x', 'Prefix', 'web', 80]), rule('b.example.com', ['/x', 'Prefix', 'other', 80])] },
      { namespace: 'team-a', created: OLD, annotations: { [`${K}host-aliases`]: 'b.example.com' } });
    const result = run({ ingresses: [both], services: [...services, service('other', [{ port: 80 }], { namespace: 'team-a' })] });
    expect(reasons(result)).to.deep.equal(['Ingress/team-a/site:PathConflict']);
    expect(hostsServing(result, 'b.example.com', '/x/')).to.deep.equal(['team-a.site.other.b.example.com.80']);
  });

  it('hands the alias over when the owner is deleted, incrementally as from scratch', () => {
    const options = { settings: settings() };
    const { translate } = createTranslator();
    const base = snapshot({ services });
    const before = translate({ ...base, Ingress: [teamA, teamB] }, options);
    expect(reasons(before)).to.deep.equal(['Ingress/team-b/site:PathConflict']);
    const after = translate({ ...base, Ingress: [teamB] }, options);
    expect(after.failures).to.deep.equal([]);
    expect(routeNamed(after, 'team-b.site.web.b.example.com.80').hosts).to.deep.equal(['b.example.com', 'a.example.com']);
    expect(after.config).to.deep.equal(createTranslator().translate(snapshot({ ingresses: [structuredClone(teamB)], services: structuredClone(services) }), options).config);
  });
});
