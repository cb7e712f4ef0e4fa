// The admission webhook on Kong plugins: a KongPlugin / KongClusterPlugin
// whose config the gateway's schema (or, without one, the structural check)
// refuses is refused, worded as the translator's failure; a configFrom Secret
// not there yet, or a plugin the gateway lacks, only warned about. An
// Ingress's or Service's `konghq.com/plugins` naming a plugin that does not
// exist is a warning (objects are applied in any order); naming another
// namespace's KongPlugin is refused.
import { expect } from 'chai';
import type { V1Ingress, V1Secret } from '@kubernetes/client-node';
import { evaluate, evaluateIngress, type AdmissionInputs } from '../../src/admission/evaluate.ts';
import { ServedIndex } from '../../src/admission/served-index.ts';
import type { AdmissionRequest } from '../../src/admission/review.ts';
import type { KongPluginResource, SchemaAnswer, SchemaLookup } from '../../src/plugins/index.ts';
import { OFFLINE_SCHEMAS } from '../../src/plugins/index.ts';
import type { SnapshotParts } from '../translate/builders.ts';
import { ingress, ingressClass, rule, service, settings, snapshot } from '../translate/builders.ts';
import { recordedAnswer } from '../plugins/recorded-schemas.ts';

const NOW = new Date('2025-06-01T00:00:00Z');
const GROUP = 'configuration.konghq.com';

/** The gateway's schemas as a real Kong 3.9.3 publishes them (none enabled beyond the recorded ones). */
const RECORDED: SchemaLookup = (name) => recordedAnswer(name);

function inputsOf(parts: SnapshotParts, pluginSchemas?: SchemaLookup): AdmissionInputs {
  const snap = snapshot({ ingressClasses: [ingressClass('kong')], services: [service('web')], ...parts });
  const served = new ServedIndex();
  served.update(snap, settings());
  return { snapshot: snap, settings: settings(), served, watchNamespaces: [], ...(pluginSchemas ? { pluginSchemas } : {}) };
}

function plugin(name: string, spec: Partial<KongPluginResource>, namespace = 'default'): KongPluginResource {
  return { apiVersion: `${GROUP}/v1`, kind: 'KongPlugin', metadata: { name, namespace }, plugin: 'rate-limiting', ...spec };
}

function review(object: unknown, kind = 'KongPlugin', oldObject?: unknown): AdmissionRequest {
  return { uid: 'u', kind: { group: GROUP, version: 'v1', kind }, operation: oldObject ? 'UPDATE' : 'CREATE', object, ...(oldObject ? { oldObject } : {}) };
}

function opaque(name: string, data: Record<string, string>, namespace = 'default'): V1Secret {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'Opaque', data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])) };
}

describe('admission: a KongPlugin under review', () => {
  it('refuses a config the gateway\'s schema refuses, naming the field', () => {
    const verdict = evaluate(review(plugin('rl', { config: { minute: 'five' } })), inputsOf({}, RECORDED), NOW);
    expect(verdict.allowed).to.equal(false);
    expect(verdict.message).to.equal('KongPlugin default/rl: InvalidPluginConfig: plugin rate-limiting: config.minute: expected a number');
  });

  it('allows a config the schema accepts without a word', () => {
    expect(evaluate(review(plugin('rl', { config: { minute: 5 } })), inputsOf({}, RECORDED), NOW)).to.deep.equal({ allowed: true, warnings: [] });
  });

  it('without a schema from the gateway, checks the structure and says the schema check was skipped', () => {
    const bad = evaluate(review(plugin('rl', { config: { minute: 5 }, protocols: ['carrier-pigeon'] })), inputsOf({}), NOW);
    expect(bad.allowed).to.equal(false);
    expect(bad.message).to.contain('InvalidPluginConfig').and.to.contain('protocols.1');
    const good = evaluate(review(plugin('rl', { config: { minute: 'five' } })), inputsOf({}), NOW);
    expect(good.allowed, 'the field types need the schema').to.equal(true);
    expect(good.warnings).to.deep.equal([`KongPlugin rl: configuration checked for structure only (${(OFFLINE_SCHEMAS('rate-limiting') as Extract<SchemaAnswer, { kind: 'unavailable' }>).reason})`]);
  });

  it('refuses a malformed object (no plugin name, an Enterprise-only field)', () => {
    const noName = evaluate(review(plugin('x', { plugin: undefined, config: {} })), inputsOf({}, RECORDED), NOW);
    expect(noName).to.include({ allowed: false });
    expect(noName.message).to.contain('InvalidPlugin: plugin: the Kong plugin name is missing');
    expect(evaluate(review(plugin('x', { config: { minute: 5 }, ordering: { before: { access: ['key-auth'] } } })), inputsOf({}, RECORDED), NOW).allowed).to.equal(false);
  });

  it('only warns of a configFrom Secret it cannot read (created later, or not read until the plugin is used)', () => {
    const verdict = evaluate(review(plugin('rl', { configFrom: { secretKeyRef: { name: 'rl-config', key: 'config' } } })), inputsOf({}, RECORDED), NOW);
    expect(verdict.allowed).to.equal(true);
    expect(verdict.warnings[0]).to.contain('PluginSecretMissing').and.to.contain('Secret default/rl-config does not exist');
  });

  it('checks a config read from a cached Secret, never repeating its values', () => {
    const secret = opaque('rl-config', { config: JSON.stringify({ minute: 'secret-value' }) });
    const verdict = evaluate(review(plugin('rl', { configFrom: { secretKeyRef: { name: 'rl-config', key: 'config' } } })), inputsOf({ secrets: [secret] }, RECORDED), NOW);
    expect(verdict.allowed).to.equal(false);
    expect(verdict.message).to.contain('config.minute').and.not.to.contain('secret-value');
  });

  it('only warns of a plugin the gateway does not have enabled (it may be enabled later)', () => {
    const verdict = evaluate(review(plugin('x', { plugin: 'my-custom', config: {} })), inputsOf({}, RECORDED), NOW);
    expect(verdict.allowed).to.equal(true);
    expect(verdict.warnings.join('\n')).to.contain('my-custom').and.to.contain('not enabled');
  });

  it('does not hold an update to a problem its earlier version already had', () => {
    const broken = plugin('rl', { config: { minute: 'five' } });
    const verdict = evaluate(review({ ...broken, metadata: { ...broken.metadata, labels: { team: 'a' } } }, 'KongPlugin', broken), inputsOf({}, RECORDED), NOW);
    expect(verdict.allowed).to.equal(true);
    expect(verdict.warnings.join('\n')).to.contain('config.minute');
  });

  it('checks KongClusterPlugins too, and their Secrets in the namespace they name', () => {
    const cluster = { ...plugin('cors', { plugin: 'cors', config: { max_age: 'long' } }), kind: 'KongClusterPlugin', metadata: { name: 'cors' } };
    expect(evaluate(review(cluster, 'KongClusterPlugin'), inputsOf({}, RECORDED), NOW).message).to.contain('KongClusterPlugin cors: InvalidPluginConfig').and.to.contain('config.max_age');
    const fromSecret = { ...cluster, config: undefined, configFrom: { secretKeyRef: { name: 'cors', namespace: 'kong', key: 'config' } } };
    const verdict = evaluate(review(fromSecret, 'KongClusterPlugin'), inputsOf({ secrets: [opaque('cors', { config: '{"max_age": 3600}' }, 'kong')] }, RECORDED), NOW);
    expect(verdict).to.deep.equal({ allowed: true, warnings: [] });
  });

  it('allows a plugin of a namespace meshdoor does not watch', () => {
    const inputs = { ...inputsOf({}, RECORDED), watchNamespaces: ['shop'] };
    expect(evaluate(review(plugin('rl', { config: { minute: 'five' } })), inputs, NOW).allowed).to.equal(true);
  });
});

describe('admission: konghq.com/plugins under review', () => {
  const withPlugins = (value: string): V1Ingress => ingress('a', { rules: [rule('a.example.com', ['/', 'Prefix', 'web', 80])] }, { annotations: { 'konghq.com/plugins': value } });
  const reviewOf = (object: unknown, kind: string, group: string, oldObject?: unknown): AdmissionRequest => ({
    uid: 'u', kind: { group, version: 'v1', kind }, operation: oldObject ? 'UPDATE' : 'CREATE', object, ...(oldObject ? { oldObject } : {}),
  });

  it('allows an Ingress naming a plugin that does not exist yet, warning that its routes wait for it', () => {
    const verdict = evaluateIngress(inputsOf({}, RECORDED), withPlugins('rl'), undefined, NOW);
    expect(verdict.allowed, verdict.message).to.equal(true);
    expect(verdict.warnings).to.deep.equal([
      "Ingress default/a: PluginNotFound: konghq.com/plugins: 'rl': no KongPlugin default/rl and no KongClusterPlugin rl; none of this Ingress's routes are configured",
    ]);
  });

  it('allows an Ingress whose plugins resolve without a word', () => {
    const inputs = inputsOf({ kongPlugins: [plugin('rl', { config: { minute: 5 } })], kongClusterPlugins: [{ ...plugin('cors', { plugin: 'cors', config: {} }), kind: 'KongClusterPlugin', metadata: { name: 'cors' } }] }, RECORDED);
    const verdict = evaluateIngress(inputs, withPlugins('rl, cors'), undefined, NOW);
    expect(verdict, verdict.message).to.deep.equal({ allowed: true, warnings: [] });
  });

  it('refuses an Ingress naming another namespace\'s KongPlugin', () => {
    const verdict = evaluateIngress(inputsOf({ kongPlugins: [plugin('rl', { config: { minute: 5 } }, 'other')] }, RECORDED), withPlugins('other:rl'), undefined, NOW);
    expect(verdict.allowed).to.equal(false);
    expect(verdict.message).to.contain('Ingress default/a: PluginWrongNamespace: ');
  });

  it('only warns of an Ingress naming a plugin whose config is broken (the plugin is at fault, and refused itself)', () => {
    const verdict = evaluateIngress(inputsOf({ kongPlugins: [plugin('rl', { config: { minute: 'five' } })] }, RECORDED), withPlugins('rl'), undefined, NOW);
    expect(verdict.allowed).to.equal(true);
    expect(verdict.warnings.join('\n')).to.contain('InvalidPluginConfig').and.to.contain('config.minute: expected a number');
  });

  it('checks the plugin against the schema the controller read: without it, the same config passes the structural check', () => {
    const parts = { kongPlugins: [plugin('rl', { config: { minute: 'five' } })] };
    expect(evaluateIngress(inputsOf(parts), withPlugins('rl'), undefined, NOW)).to.deep.equal({ allowed: true, warnings: [] });
  });

  it('warns of a Service a served Ingress uses naming a plugin that does not exist yet', () => {
    const inputs = inputsOf({ ingresses: [ingress('a', { rules: [rule('a.example.com', ['/', 'Prefix', 'web', 80])] })] }, RECORDED);
    const svc = service('web', [{ port: 80 }], { annotations: { 'konghq.com/plugins': 'rl' } });
    const verdict = evaluate(reviewOf(svc, 'Service', '', service('web')), inputs, NOW);
    expect(verdict.allowed).to.equal(true);
    expect(verdict.warnings.join('\n')).to.contain('PluginNotFound').and.to.contain("Service default/web: konghq.com/plugins: 'rl'");
  });
});
