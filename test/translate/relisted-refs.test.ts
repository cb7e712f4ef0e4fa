// A relisted copy of an object (same uid, name and namespace) shares the ref
// of the copy before, with its tags and the ids of the Kong entities named for
// it. What users rely on: every entity still carries its own object's tags and
// the id of its own name, whatever was listed before.
import { expect } from 'chai';
import { kongEntityId } from '../../src/model/index.ts';
import { createTranslator } from '../../src/translate/index.ts';
import type { TranslateResult } from '../../src/translate/types.ts';
import { allRoutes, ingress, rule, service, settings, snapshot } from './builders.ts';

const ns = { namespace: 'shop' };
const web = service('web', [{ port: 80 }], { ...ns, uid: 'svc-web' });

function webIngress(name: string, host: string, uid: string): ReturnType<typeof ingress> {
  return ingress(name, { rules: [rule(host, ['/', 'Prefix', 'web', 80])] }, { ...ns, uid });
}

/** Each route's name, id and k8s-name tag. */
function routeLabels(result: TranslateResult): string[] {
  return allRoutes(result).map((route) => `${route.name} ${route.id ?? ''} ${route.tags?.find((tag) => tag.startsWith('k8s-name:')) ?? ''}`);
}

function expectOwnIds(result: TranslateResult): void {
  for (const route of allRoutes(result)) expect(route.id, route.name).to.equal(kongEntityId('routes', route.name));
  for (const svc of result.config.services) expect(svc.id, svc.name).to.equal(kongEntityId('services', svc.name));
}

describe('translate: refs shared by relisted copies', () => {
  it('gives a relisted copy of the cluster the ids and tags a new translator gives it', () => {
    const { translate } = createTranslator();
    const snap = snapshot({ ingresses: [webIngress('web', 'web.example.com', 'ing-web')], services: [web] });
    const first = translate(snap, { settings: settings() });
    // New objects and new settings: planned again, refs found by uid.
    const again = translate(structuredClone(snap), { settings: settings() });
    const fresh = createTranslator().translate(structuredClone(snap), { settings: settings() });
    expect(again.config).to.deep.equal(fresh.config);
    expect(again.config).to.deep.equal(first.config);
    expectOwnIds(again);
  });

  it('tags an Ingress that a manifest gave another Ingress\'s uid with its own name, in one pass and the next', () => {
    const { translate } = createTranslator();
    const original = webIngress('web', 'web.example.com', 'copied');
    const copy = webIngress('api', 'api.example.com', 'copied');
    const both = translate(snapshot({ ingresses: [original, copy], services: [web] }), { settings: settings() });
    expect(routeLabels(both).map((label) => label.split(' ')[2])).to.deep.equal(['k8s-name:api', 'k8s-name:web']);
    expectOwnIds(both);
    const copyAlone = translate(snapshot({ ingresses: [structuredClone(copy)], services: [web] }), { settings: settings() });
    expect(routeLabels(copyAlone).map((label) => label.split(' ')[2])).to.deep.equal(['k8s-name:api']);
    expectOwnIds(copyAlone);
  });

  it('tags an Ingress and a Service that a manifest gave one uid with their own kinds', () => {
    const { translate } = createTranslator();
    const shared = { ...ns, uid: 'same' };
    const parts = { ingresses: [ingress('web', { rules: [rule('web.example.com', ['/', 'Prefix', 'web', 80])] }, shared)], services: [service('web', [{ port: 80 }], shared)] };
    for (const pass of [0, 1]) {
      const { config } = translate(snapshot(pass === 0 ? parts : structuredClone(parts)), { settings: settings() });
      const kinds = (tags: readonly string[] | undefined): string[] => (tags ?? []).filter((tag) => tag.startsWith('k8s-kind:'));
      expect(config.services.map((svc) => kinds(svc.tags)), `pass ${pass}`).to.deep.equal([['k8s-kind:Service']]);
      expect(allRoutes({ config } as TranslateResult).map((route) => kinds(route.tags)), `pass ${pass}`).to.deep.equal([['k8s-kind:Ingress']]);
    }
  });

  it('gives an edited Ingress whose route names changed the ids of its new names, however many edits', () => {
    const { translate } = createTranslator();
    // Thirty hosts: more names than one ref keeps, so its list of ids starts again on the way.
    for (const round of [0, 1]) {
      for (let i = 0; i < 30; i += 1) {
        const result = translate(snapshot({ ingresses: [webIngress('web', `h${i}.example.com`, 'ing-web')], services: [web] }), { settings: settings() });
        expect(allRoutes(result).map((route) => route.hosts), `round ${round}, host ${i}`).to.deep.equal([[`h${i}.example.com`]]);
        expectOwnIds(result);
      }
    }
  });
});
