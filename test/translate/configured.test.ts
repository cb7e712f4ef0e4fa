// The configured list names every object the Kong configuration was made
// from, once, by key and uid: status and Events are written from it.
import { expect } from 'chai';
import { createTranslator } from '../../src/translate/index.ts';
import type { ObjectRef, Snapshot, TranslateResult } from '../../src/translate/types.ts';
import { ingress, rule, service, settings, snapshot } from './builders.ts';

const OPTIONS = { settings: settings() };
const ns = { namespace: 'shop' };

function keys(result: TranslateResult): string[] {
  return result.configured.map((ref: ObjectRef) => `${ref.kind}/${ref.name}${ref.uid ? `#${ref.uid}` : ''}`);
}

/** A whole pass over copies (a part excluded forces one): what the incremental pass must equal. */
function wholePass(snap: Snapshot): TranslateResult {
  return createTranslator().translate(structuredClone(snap), { ...OPTIONS, exclude: new Set(['Ingress/none/none']) });
}

describe('configured objects', () => {
  // A manifest copied from `kubectl get -o yaml` and renamed keeps the uid it was copied with.
  const web = service('web', [{ port: 80 }], { ...ns, uid: 'svc-web' });
  const api = service('api', [{ port: 80 }], { ...ns, uid: 'svc-api' });
  const original = ingress('web', { rules: [rule('web.example.com', ['/', 'Prefix', 'web', 80])] }, { ...ns, uid: 'copied' });
  const copy = ingress('api', { rules: [rule('api.example.com', ['/', 'Prefix', 'api', 80])] }, { ...ns, uid: 'copied' });

  it('lists both of two Ingresses given the same uid, and the one left when either goes', () => {
    const { translate } = createTranslator();
    const both = snapshot({ ingresses: [original, copy], services: [web, api] });
    expect(keys(translate(both, OPTIONS))).to.deep.equal(['Ingress/api#copied', 'Ingress/web#copied', 'Service/api#svc-api', 'Service/web#svc-web']);
    for (const left of [[original], [copy], [original, copy], [copy]]) {
      const snap = snapshot({ ingresses: left, services: [web, api] });
      expect(keys(translate(snap, OPTIONS)), left.map((i) => i.metadata?.name).join(',')).to.deep.equal(keys(wholePass(snap)));
    }
  });

  it('lists objects that have no uid, by key', () => {
    const { translate } = createTranslator();
    const snap = snapshot({ ingresses: [ingress('plain', { rules: [rule('plain.example.com', ['/', 'Prefix', 'plain', 80])] }, ns)], services: [service('plain', [{ port: 80 }], ns)] });
    expect(keys(translate(snap, OPTIONS))).to.deep.equal(['Ingress/plain', 'Service/plain']);
  });
});
