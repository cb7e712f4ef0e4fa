import { expect } from 'chai';
import type { V1Ingress } from '@kubernetes/client-node';
import { evaluateIngress } from '../../src/admission/evaluate.ts';
import type { AdmissionInputs } from '../../src/admission/evaluate.ts';
import { ServedIndex } from '../../src/admission/served-index.ts';
import type { MeshDoorSettings } from '../../src/config/settings.ts';
import { createTranslator, formatFailure, sharedHostMessage } from '../../src/translate/index.ts';
import type { Snapshot, TranslateResult } from '../../src/translate/types.ts';
import { ingress, ingressClass, rule, service, settings, snapshot } from '../translate/builders.ts';

const NOW = new Date('2025-06-01T00:00:00Z');
const NAMESPACES = ['team-a', 'team-b', 'team-c'];
const base = snapshot({ ingressClasses: [ingressClass('kong')], services: NAMESPACES.map((namespace) => service('web', [{ port: 80 }], { namespace })) });

/** An Ingress `namespace/name` serving one path of one host. */
function site(key: string, host: string, path: string, meta: { created?: string; annotations?: Record<string, string> } = {}): V1Ingress {
  const [namespace, name] = key.split('/') as [string, string];
  return ingress(name, { rules: [rule(host, [path, 'Prefix', 'web', 80])] }, { namespace, ...meta });
}

/** The webhook's view after a pass over `ingresses` that remembered `hostOwners`. */
function inputsOf(ingresses: V1Ingress[], config: MeshDoorSettings, hostOwners?: ReadonlyMap<string, string>): AdmissionInputs {
  const snap: Snapshot = { ...base, Ingress: ingresses };
  const served = new ServedIndex();
  served.update(snap, config, hostOwners);
  return { snapshot: snap, settings: config, served, watchNamespaces: [] };
}

function translate(ingresses: V1Ingress[], config: MeshDoorSettings, hostOwners?: ReadonlyMap<string, string>): TranslateResult {
  return createTranslator().translate({ ...base, Ingress: ingresses }, { settings: config, ...(hostOwners ? { hostOwners } : {}) });
}

/** The translator's failures for `ing` in a pass with it added, formatted as its Events read. */
function translatorSays(ingresses: V1Ingress[], ing: V1Ingress, config: MeshDoorSettings, hostOwners?: ReadonlyMap<string, string>): string[] {
  const created = { ...ing, metadata: { ...ing.metadata, creationTimestamp: ing.metadata?.creationTimestamp ?? NOW } };
  return translate([...ingresses, created], config, hostOwners).failures
    .filter((f) => f.object.namespace === ing.metadata?.namespace && f.object.name === ing.metadata?.name).map(formatFailure);
}

describe('admission: hosts owned by a namespace, as the translator remembers them (sticky owners)', () => {
  const namespaceMode = settings({ hostOwnership: 'Namespace' });
  // team-a owns shop.com; an older Ingress of team-b (restored from a backup)
  // claims it too: the remembered owner keeps it, whatever the ages.
  const owner = site('team-a/a', 'shop.com', '/', { created: '2025-03-01T00:00:00Z' });
  const restored = site('team-b/restored', 'shop.com', '/b', { created: '2025-01-01T00:00:00Z' });
  const owners = translate([owner], namespaceMode).hosts?.owners ?? new Map<string, string>();

  it('the translator keeps the host with its remembered owner', () => {
    expect([...owners]).to.deep.equal([['shop.com', 'team-a']]);
    const pass = translate([owner, restored], namespaceMode, owners);
    expect(pass.failures.map((f) => `${f.object.namespace ?? ''}/${f.object.name} ${f.reason}`)).to.deep.equal(['team-b/restored HostNotOwned']);
  });

  it('refuses an older Ingress of another namespace exactly as the translator refuses it', () => {
    const inputs = inputsOf([owner, restored], namespaceMode, owners);
    const older = site('team-b/older', 'shop.com', '/login', { created: '2025-02-01T00:00:00Z' });
    const verdict = evaluateIngress(inputs, older, undefined, NOW);
    expect(verdict.allowed).to.equal(false);
    expect(verdict.message?.split('\n')).to.deep.equal(translatorSays([owner, restored], older, namespaceMode, owners));
    expect(verdict.message).to.contain("host 'shop.com' belongs to namespace team-a (Ingress team-a/a claims it first)");
  });

  it('lets the remembered owner add paths to its host, as the translator serves them', () => {
    const more = site('team-a/more', 'shop.com', '/more');
    expect(translatorSays([owner, restored], more, namespaceMode, owners)).to.deep.equal([]);
    expect(evaluateIngress(inputsOf([owner, restored], namespaceMode, owners), more, undefined, NOW)).to.deep.equal({ allowed: true, warnings: [] });
    // Deciding by age alone, the restored Ingress would own the host and the owner be refused.
    expect(evaluateIngress(inputsOf([owner, restored], namespaceMode), more, undefined, NOW).allowed, 'without the remembered owners').to.equal(false);
  });

  it('refuses an alias and a certificate host on an owned host, and allows a delegated namespace, as the translator does', () => {
    const candidate = ingress('b', {
      rules: [rule('b.example.com', ['/', 'Prefix', 'web', 80])], tls: [{ hosts: ['shop.com'], secretName: 'tls' }],
    }, { namespace: 'team-b', annotations: { 'konghq.com/host-aliases': 'shop.com' } });
    const verdict = evaluateIngress(inputsOf([owner], namespaceMode, owners), candidate, undefined, NOW);
    expect(verdict.allowed).to.equal(false);
    expect(verdict.message?.split('\n')).to.deep.equal(translatorSays([owner], candidate, namespaceMode, owners).filter((line) => line.includes('HostNotOwned')));
    expect(verdict.message).to.contain('tls[0]: ');
    const delegating = { ...owner, metadata: { ...owner.metadata, annotations: { 'meshdoor.dev/host-delegates': 'team-b' } } };
    const delegated = site('team-b/b', 'shop.com', '/b');
    expect(translatorSays([delegating], delegated, namespaceMode, owners)).to.deep.equal([]);
    expect(evaluateIngress(inputsOf([delegating], namespaceMode, owners), delegated, undefined, NOW)).to.deep.equal({ allowed: true, warnings: [] });
  });

  it('follows new remembered owners with the same Ingresses (a hand-over seen by the next pass)', () => {
    const served = new ServedIndex();
    const snap: Snapshot = { ...base, Ingress: [owner, restored] };
    served.update(snap, namespaceMode, owners);
    served.update(snap, namespaceMode, new Map([['shop.com', 'team-b']]));
    const inputs = { snapshot: snap, settings: namespaceMode, served, watchNamespaces: [] };
    expect(evaluateIngress(inputs, site('team-b/next', 'shop.com', '/next'), undefined, NOW).allowed).to.equal(true);
    expect(evaluateIngress(inputs, site('team-a/next', 'shop.com', '/next'), undefined, NOW).allowed).to.equal(false);
  });
});

describe('admission: a host shared with another namespace (spec.hosts.ownership: Shared)', () => {
  const shared = settings({ hostOwnership: 'Shared' });
  const teamA = site('team-a/a', 'shop.com', '/', { created: '2025-01-01T00:00:00Z' });
  const teamAOld = site('team-a/a-old', 'shop.com', '/old', { created: '2024-01-01T00:00:00Z' });
  const teamC = site('team-c/c', 'shop.com', '/c', { created: '2025-02-01T00:00:00Z' });
  const teamB = site('team-b/b', 'shop.com', '/b');

  it('warns with the SharedHost Event\'s facts: the namespaces and their oldest Ingress', () => {
    const served = [teamA, teamAOld, teamC];
    const verdict = evaluateIngress(inputsOf(served, shared), teamB, undefined, NOW);
    const event = translate([...served, { ...teamB, metadata: { ...teamB.metadata, creationTimestamp: NOW } }], shared).hosts?.shared ?? [];
    expect(event).to.have.length(1);
    expect(verdict).to.deep.equal({ allowed: true, warnings: [`Ingress team-b/b: SharedHost: ${sharedHostMessage(event[0] ?? { host: '', servedFrom: [] })}`] });
    expect(verdict.warnings[0]).to.equal("Ingress team-b/b: SharedHost: host 'shop.com' is served from namespaces team-a, team-b, team-c "
      + '(Ingresses team-a/a-old, team-b/b, team-c/c): spec.hosts.ownership Shared merges their paths; Namespace keeps a host to one namespace');
  });

  it('counts a host alias as a host', () => {
    const aliased = site('team-b/b', 'b.example.com', '/b', { annotations: { 'konghq.com/host-aliases': 'shop.com' } });
    expect(evaluateIngress(inputsOf([teamA], shared), aliased, undefined, NOW).warnings).to.deep.equal([
      "Ingress team-b/b: SharedHost: host 'shop.com' is served from namespaces team-a, team-b (Ingresses team-a/a, team-b/b): "
        + 'spec.hosts.ownership Shared merges their paths; Namespace keeps a host to one namespace',
    ]);
  });

  it('says nothing of a host served only from its own namespace, or of another host', () => {
    expect(evaluateIngress(inputsOf([teamA], shared), site('team-a/more', 'shop.com', '/more'), undefined, NOW)).to.deep.equal({ allowed: true, warnings: [] });
    expect(evaluateIngress(inputsOf([teamA], shared), site('team-b/b', 'b.example.com', '/'), undefined, NOW)).to.deep.equal({ allowed: true, warnings: [] });
  });

  it('says it once: an update of an Ingress that already shared the host is not warned again', () => {
    const stored = { ...teamB, metadata: { ...teamB.metadata, creationTimestamp: NOW } };
    const labelled = { ...stored, metadata: { ...stored.metadata, labels: { tier: 'web' } } };
    expect(evaluateIngress(inputsOf([teamA, stored], shared), labelled, stored, NOW)).to.deep.equal({ allowed: true, warnings: [] });
  });

  it('refuses instead, without a SharedHost warning, under spec.hosts.ownership Namespace', () => {
    const namespaceMode = settings({ hostOwnership: 'Namespace' });
    const verdict = evaluateIngress(inputsOf([teamA], namespaceMode), teamB, undefined, NOW);
    expect(verdict.allowed).to.equal(false);
    expect(verdict.message).to.contain('HostNotOwned');
    expect(verdict.warnings.join('\n')).not.to.contain('SharedHost');
  });
});
