// A MeshDoor edit of fields translation does not read (publish addresses, the
// Admin API, the gateway, last-valid serving) keeps every remembered plan; an
// edit of anything translation reads takes effect at once.
import { expect } from 'chai';
import { createTranslator } from '../../src/translate/index.ts';
import { externalService, ingress, ingressClass, rule, service, settings, snapshot } from './builders.ts';

describe('settings the translator plans with', () => {
  const input = snapshot({
    ingresses: [
      ingress('web', { rules: [rule('web.example.com', ['/', 'Prefix', 'web', 80])] }, { namespace: 'a' }),
      ingress('out', { rules: [rule('out.example.com', ['/', 'Prefix', 'partner', 443])] }, { namespace: 'a' }),
    ],
    services: [service('web', [{ port: 80 }], { namespace: 'a' }), externalService('partner', 'api.partner.example', { namespace: 'a' })],
    ingressClasses: [ingressClass('kong')],
  });

  it('keeps the previous pass for an edit translation does not read', () => {
    const translator = createTranslator();
    const base = settings();
    const first = translator.translate(input, { settings: base });
    const edited = { ...base, publishAddresses: ['192.0.2.9'], serveLastValid: false, kongAdmin: { ...base.kongAdmin, urls: ['https://kong.example:8444'] } };
    const second = translator.translate(input, { settings: edited });
    expect(second.configured, 'the same pass state: its configured list is handed out again').to.equal(first.configured);
    expect(second.config).to.deep.equal(first.config);
    expect(second.failures).to.deep.equal(first.failures);
  });

  it('applies an edit translation reads at once', () => {
    const translator = createTranslator();
    const base = settings();
    const first = translator.translate(input, { settings: base });
    expect(first.failures.map((f) => f.reason), 'an ExternalName outside the mesh is refused by default').to.include('ExternalNameRefused');
    const allowed = translator.translate(input, { settings: { ...base, externalNameAllow: ['api.partner.example'] } });
    expect(allowed.configured).to.not.equal(first.configured);
    expect(allowed.failures).to.deep.equal([]);
    expect(allowed.config.services.map((s) => s.host)).to.include('api.partner.example');
    const again = translator.translate(input, { settings: { ...base, publishAddresses: ['192.0.2.1'] } });
    expect(again.failures.map((f) => f.reason), 'back to what it read before').to.include('ExternalNameRefused');
  });
});
