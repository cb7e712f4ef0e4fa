// The controller's memo of object keys: the same keys the model defines, a
// configured list's key set made once per list (the translator hands out the
// same list while nothing starts or stops being used), and a new set for a new list.
import { expect } from 'chai';
import { ObjectKeys } from '../../src/controller/object-keys.ts';
import { objectKey, type ObjectKind, type ObjectRef } from '../../src/model/index.ts';
import type { KubeObject } from '../../src/translate/index.ts';
import { createTranslator } from '../../src/translate/index.ts';
import { ingress, ingressClass, rule, service, settings, snapshot } from '../translate/builders.ts';

describe('ObjectKeys', () => {
  it('keys an object as objectKey does, namespaced or not', () => {
    const keys = new ObjectKeys();
    const svc = service('web', [{ port: 80 }], { namespace: 'a' });
    expect(keys.of('Service', svc)).to.equal(objectKey({ kind: 'Service', namespace: 'a', name: 'web' })).and.equal('Service/a/web');
    expect(keys.of('IngressClass', ingressClass('kong'))).to.equal('IngressClass/kong');
  });

  it('tells configured objects from others, by kind and name, with one key set per configured list', () => {
    const keys = new ObjectKeys();
    const isConfigured = (list: readonly ObjectRef[], kind: ObjectKind, obj: KubeObject): boolean => keys.configured(list).has(keys.of(kind, obj));
    const web = service('web', [{ port: 80 }], { namespace: 'a' });
    const idle = service('idle', [{ port: 80 }], { namespace: 'a' });
    const app = ingress('web', { rules: [rule('web.example.com', ['/', 'Prefix', 'web', 80])] }, { namespace: 'a' });
    const options = { settings: settings() };
    const translator = createTranslator();
    const input = snapshot({ ingresses: [app], services: [web, idle], ingressClasses: [ingressClass('kong')] });
    const first = translator.translate(input, options);
    expect(isConfigured(first.configured, 'Service', web)).to.equal(true);
    expect(isConfigured(first.configured, 'Ingress', app)).to.equal(true);
    expect(isConfigured(first.configured, 'Service', idle), 'not used by any route').to.equal(false);
    // An Ingress named like the Service is another object: the kind is part of the key.
    expect(isConfigured(first.configured, 'Ingress', { metadata: { namespace: 'a', name: 'idle' } })).to.equal(false);

    const edited = { ...app, metadata: { ...app.metadata, resourceVersion: '2' } };
    const second = translator.translate({ ...input, Ingress: [edited] }, options);
    expect(second.configured, 'an edit moves no use: the same list').to.equal(first.configured);
    expect(keys.configured(second.configured)).to.equal(keys.configured(first.configured));
    expect(isConfigured(second.configured, 'Ingress', edited)).to.equal(true);

    const moved: ObjectRef[] = first.configured.filter((ref) => ref.kind !== 'Service');
    expect(keys.configured(moved)).to.not.equal(keys.configured(first.configured));
    expect(isConfigured(moved, 'Service', web)).to.equal(false);
  });
});
