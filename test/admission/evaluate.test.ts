import { expect } from 'chai';
import type { V1Ingress, V1Service } from '@kubernetes/client-node';
import { evaluate, evaluateIngress, evaluateMeshDoor, evaluateService, NOT_SYNCED_WARNING } from '../../src/admission/evaluate.ts';
import type { AdmissionInputs } from '../../src/admission/evaluate.ts';
import { ServedIndex } from '../../src/admission/served-index.ts';
import type { MeshDoorSettings } from '../../src/config/settings.ts';
import { createTranslator, formatFailure } from '../../src/translate/index.ts';
import type { SnapshotParts } from '../translate/builders.ts';
import { externalService, ingress, ingressClass, PEM, rule, service, settings, snapshot, tlsSecret } from '../translate/builders.ts';

const NOW = new Date('2025-06-01T00:00:00Z');
const OLD = '2025-01-01T00:00:00Z';

/** The controller's view after a pass over `parts`. */
function inputsOf(parts: SnapshotParts, overrides: Partial<MeshDoorSettings> = {}): AdmissionInputs {
  const snap = snapshot({ ingressClasses: [ingressClass('kong')], services: [service('web')], ...parts });
  const config = settings(overrides);
  const served = new ServedIndex();
  served.update(snap, config);
  return { snapshot: snap, settings: config, served, watchNamespaces: [] };
}

function site(name: string, extra: Partial<V1Ingress['spec']> = {}, meta: { annotations?: Record<string, string>; created?: string; namespace?: string } = {}): V1Ingress {
  return ingress(name, { rules: [rule(`${name}.example.com`, ['/', 'Prefix', 'web', 80])], ...extra }, meta);
}

/** What the Event of the translator says about `ing` in that view, formatted as Events and messages are. */
function translatorSays(inputs: AdmissionInputs, ing: V1Ingress): string[] {
  const result = createTranslator().translate({ ...inputs.snapshot, Ingress: [...inputs.snapshot.Ingress, ing] }, { settings: inputs.settings });
  return result.failures.filter((f) => f.object.kind === 'Ingress' && f.object.name === ing.metadata?.name).map(formatFailure);
}

describe('admission: an Ingress under review', () => {
  const refusals: Array<[string, V1Ingress, string, SnapshotParts?, Partial<MeshDoorSettings>?]> = [
    ['an invalid annotation', site('a', {}, { annotations: { 'konghq.com/protocols': 'carrier-pigeon' } }), 'InvalidAnnotation'],
    ['a regex Kong would reject', ingress('a', { rules: [rule('a.com', ['/~/(', 'ImplementationSpecific', 'web', 80])] }), 'InvalidPath'],
    ['an unknown pathType', ingress('a', { rules: [rule('a.com', ['/', 'Sometimes', 'web', 80])] }), 'InvalidPath'],
    ['an invalid host', ingress('a', { rules: [rule('A_B.com', ['/', 'Prefix', 'web', 80])] }), 'InvalidHost'],
    ['a port the Service does not have', ingress('a', { rules: [rule('a.com', ['/', 'Prefix', 'web', 8080])] }), 'PortNotFound'],
    ['an ExternalName outside the mesh and the allow list', ingress('a', { rules: [rule('a.com', ['/', 'Prefix', 'far', 80])] }), 'ExternalNameRefused',
      { services: [externalService('far', 'www.example.org')] }],
    ['a TLS Secret that would fail', site('a', { tls: [{ hosts: ['a.example.com'], secretName: 'broken' }] }), 'InvalidCertificate',
      { secrets: [tlsSecret('broken', PEM.certA, PEM.keyB)] }],
  ];
  for (const [what, ing, reason, parts, overrides] of refusals) {
    it(`refuses ${what} (${reason}), worded as the translator's Event`, () => {
      const inputs = inputsOf(parts ?? {}, overrides);
      const verdict = evaluateIngress(inputs, ing, undefined, NOW);
      expect(verdict.allowed).to.equal(false);
      expect(verdict.message).to.contain(`: ${reason}: `);
      expect(verdict.message?.split('\n')).to.deep.equal(translatorSays(inputs, ing).filter((line) => line.includes(`: ${reason}: `)));
    });
  }

  it('allows a good Ingress without a word', () => {
    expect(evaluateIngress(inputsOf({}), site('a'), undefined, NOW)).to.deep.equal({ allowed: true, warnings: [] });
  });

  it('warns of a Service that does not exist yet', () => {
    const verdict = evaluateIngress(inputsOf({}), ingress('a', { rules: [rule('a.com', ['/', 'Prefix', 'later', 80])] }), undefined, NOW);
    expect(verdict.allowed).to.equal(true);
    expect(verdict.warnings).to.deep.equal(['Ingress default/a: ServiceNotFound: Service default/later does not exist']);
  });

  it('warns of a TLS Secret that does not exist yet (cert-manager creates it after the Ingress)', () => {
    const verdict = evaluateIngress(inputsOf({}), site('a', { tls: [{ hosts: ['a.example.com'], secretName: 'soon' }] }), undefined, NOW);
    expect(verdict.allowed).to.equal(true);
    expect(verdict.warnings.join('\n')).to.contain('SecretNotFound').and.to.contain('default/soon');
  });

  it('warns of a host + path an older Ingress already serves, naming it', () => {
    const older = ingress('older', { rules: [rule('shop.com', ['/api', 'Prefix', 'web', 80])] }, { created: OLD });
    const inputs = inputsOf({ ingresses: [older] });
    const newer = ingress('newer', { rules: [rule('shop.com', ['/api', 'Prefix', 'web', 80], ['/own', 'Prefix', 'web', 80])] });
    const verdict = evaluateIngress(inputs, newer, undefined, NOW);
    expect(verdict.allowed).to.equal(true);
    expect(verdict.warnings).to.deep.equal(translatorSays(inputs, { ...newer, metadata: { ...newer.metadata, creationTimestamp: NOW } }));
    expect(verdict.warnings[0]).to.contain('PathConflict').and.to.contain('Ingress default/older (older)');
  });

  it('does not see a conflict with the Ingress\'s own served version', () => {
    const served = ingress('same', { rules: [rule('shop.com', ['/api', 'Prefix', 'web', 80])] }, { created: OLD });
    const edited = ingress('same', { rules: [rule('shop.com', ['/api', 'Prefix', 'web', 80], ['/b', 'Prefix', 'web', 80])] }, { created: OLD });
    expect(evaluateIngress(inputsOf({ ingresses: [served] }), edited, served, NOW).warnings).to.deep.equal([]);
  });

  it('warns when its class has no IngressClass (served by name)', () => {
    const verdict = evaluateIngress(inputsOf({ ingressClasses: [] }), site('a'), undefined, NOW);
    expect(verdict).to.deep.include({ allowed: true });
    expect(verdict.warnings).to.deep.equal(['IngressClass kong does not exist: meshdoor serves Ingress default/a by the class name alone; create an IngressClass kong with spec.controller meshdoor.dev/ingress-controller']);
  });

  it('allows Ingresses of other classes untouched, however broken', () => {
    const other = { ...site('a', {}, { annotations: { 'konghq.com/protocols': 'carrier-pigeon' } }) };
    other.spec = { ...other.spec, ingressClassName: 'nginx' };
    expect(evaluateIngress(inputsOf({}), other, undefined, NOW)).to.deep.equal({ allowed: true, warnings: [] });
  });

  it('allows Ingresses outside the watched namespaces untouched', () => {
    const inputs = { ...inputsOf({}), watchNamespaces: ['shop'] };
    const bad = site('a', {}, { annotations: { 'konghq.com/protocols': 'carrier-pigeon' } });
    expect(evaluateIngress(inputs, bad, undefined, NOW)).to.deep.equal({ allowed: true, warnings: [] });
  });

  it('allows an update that fixes one of two problems, and one that keeps a problem it had', () => {
    const bad = (port: number, protocols: string): V1Ingress => ingress('a', { rules: [rule('a.com', ['/', 'Prefix', 'web', port])] }, { annotations: { 'konghq.com/protocols': protocols } });
    const inputs = inputsOf({});
    expect(evaluateIngress(inputs, bad(8080, 'pigeon'), undefined, NOW).allowed, 'both problems on create').to.equal(false);
    const fixed = evaluateIngress(inputs, bad(8080, 'https'), bad(8080, 'pigeon'), NOW);
    expect(fixed.allowed, 'annotation fixed, port still wrong').to.equal(true);
    expect(fixed.warnings.join('\n'), 'what is left is said').to.contain('PortNotFound');
    const labelled = { ...bad(8080, 'https'), metadata: { ...bad(8080, 'https').metadata, labels: { team: 'a' } } };
    expect(evaluateIngress(inputs, labelled, bad(8080, 'https'), NOW).allowed, 'a label edit of a broken Ingress').to.equal(true);
    expect(evaluateIngress(inputs, bad(8081, 'https'), bad(8080, 'https'), NOW).allowed, 'a new problem is refused').to.equal(false);
  });

  it('refuses a host another namespace owns (spec.hosts.ownership: Namespace)', () => {
    const owner = ingress('a', { rules: [rule('shop.com', ['/', 'Prefix', 'web', 80])] }, { namespace: 'team-a', created: OLD });
    const services = ['team-a', 'team-b'].map((namespace) => service('web', [{ port: 80 }], { namespace }));
    const inputs = inputsOf({ ingresses: [owner], services }, { hostOwnership: 'Namespace' });
    const intruder = ingress('b', { rules: [rule('shop.com', ['/login', 'Prefix', 'web', 80])] }, { namespace: 'team-b' });
    const verdict = evaluateIngress(inputs, intruder, undefined, NOW);
    expect(verdict.allowed).to.equal(false);
    expect(verdict.message?.split('\n')).to.deep.equal(translatorSays(inputs, { ...intruder, metadata: { ...intruder.metadata, creationTimestamp: NOW } }));
  });
});

describe('admission: a Service under review', () => {
  const user = ingress('shop', { rules: [rule('shop.com', ['/', 'Prefix', 'web', 80])] }, { created: OLD });
  const web = service('web', [{ port: 80 }]);

  it('refuses losing a port a served Ingress uses, with that Ingress\'s Event', () => {
    const verdict = evaluateService(inputsOf({ ingresses: [user], services: [web] }), service('web', [{ port: 8080 }]), web);
    expect(verdict).to.deep.include({ allowed: false, message: 'Ingress default/shop: PortNotFound: Service default/web has no port 80' });
  });

  it('refuses an invalid konghq.com annotation on a used Service', () => {
    const bad: V1Service = { ...web, metadata: { ...web.metadata, annotations: { 'konghq.com/protocol': 'pigeon' } } };
    const verdict = evaluateService(inputsOf({ ingresses: [user], services: [web] }), bad, web);
    expect(verdict.allowed).to.equal(false);
    expect(verdict.message).to.match(/^Ingress default\/shop: InvalidAnnotation: Service default\/web: .*konghq.com\/protocol/);
  });

  it('only warns when a Service created for an Ingress lacks its port (the Ingress is at fault)', () => {
    const waiting = ingress('shop', { rules: [rule('shop.com', ['/', 'Prefix', 'late', 80])] }, { created: OLD });
    const verdict = evaluateService(inputsOf({ ingresses: [waiting] }), service('late', [{ port: 8080 }]), undefined);
    expect(verdict).to.deep.equal({ allowed: true, warnings: ['Ingress default/shop: PortNotFound: Service default/late has no port 80'] });
  });

  it('allows Services no served Ingress uses', () => {
    const verdict = evaluateService(inputsOf({ ingresses: [user], services: [web] }), service('other', [{ port: 1 }]), undefined);
    expect(verdict).to.deep.equal({ allowed: true, warnings: [] });
  });
});

describe('admission: requests', () => {
  const request = (object: unknown, kind = { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress' }) =>
    ({ uid: 'u1', kind, operation: 'CREATE' as const, object });

  it('fails open before the caches have synced, and says so', () => {
    expect(evaluate(request(site('a')), undefined, NOW)).to.deep.equal({ allowed: true, warnings: [NOT_SYNCED_WARNING] });
  });

  it('refuses a MeshDoor whose spec the controller would not apply', () => {
    const verdict = evaluate(request({ metadata: { name: 'default' }, spec: { ingressClass: 'Kong!' } }, { group: 'meshdoor.dev', version: 'v1alpha1', kind: 'MeshDoor' }), undefined, NOW);
    expect(verdict.allowed).to.equal(false);
    expect(verdict.message).to.match(/^MeshDoor default: InvalidSpec: spec\.ingressClass must be/);
    expect(evaluateMeshDoor({ spec: {} }, undefined).allowed).to.equal(true);
  });

  it('allows kinds it does not judge and deletions', () => {
    expect(evaluate(request({}, { group: 'apps', version: 'v1', kind: 'Deployment' }), undefined, NOW)).to.deep.equal({ allowed: true, warnings: [] });
    expect(evaluate({ ...request(site('a')), operation: 'DELETE' }, undefined, NOW).allowed).to.equal(true);
  });
});
