// Parts of an Ingress left out after a Kong rejection: the result is exactly
// the translation of the Ingress without that path; a split route carries one
// path per route under derivable names; once a path is left out, the route has
// its own name again.
import { expect } from 'chai';
import { createTranslator } from '../../src/translate/index.ts';
import { partExclusionKey, type TranslateResult } from '../../src/translate/types.ts';
import { ingress, ingressClass, rule, service, settings, snapshot } from './builders.ts';

const ref = { kind: 'Ingress' as const, namespace: 'a', name: 'web' };
const ROUTE = 'a.web.web.web.example.com.80';

function snapshotWith(paths: string[]): ReturnType<typeof snapshot> {
  const ing = ingress('web', { rules: [rule('web.example.com', ...paths.map((p) => [p, 'Prefix', 'web', 80] as [string, string, string, number]))] }, { namespace: 'a', uid: 'u1' });
  return snapshot({ ingresses: [ing], services: [service('web', [{ port: 80 }], { namespace: 'a' })], ingressClasses: [ingressClass('kong')] });
}

function translateWith(paths: string[], exclude: string[] = []): TranslateResult {
  return createTranslator().translate(snapshotWith(paths), { settings: settings(), exclude: new Set(exclude) });
}

const routes = (r: TranslateResult) => r.config.services.flatMap((s) => s.routes.map((x) => ({ name: x.name, paths: x.paths })));

describe('excluded parts of an Ingress', () => {
  it('leaving out a Kong path equals translating the Ingress without that path', () => {
    const without = translateWith(['/a', '/c']);
    const excluded = translateWith(['/a', '/bad', '/c'], [partExclusionKey(ref, { kind: 'path', kongPath: '~/bad$' })]);
    expect(routes(excluded)).to.deep.equal(routes(without));
    expect(routes(excluded)[0]?.name).to.equal(ROUTE);
  });

  it('splits a route into one route per path under derivable names, and joins it again once a path is left out', () => {
    const split = translateWith(['/a', '/b', '/c'], [partExclusionKey(ref, { kind: 'split', name: ROUTE })]);
    expect(routes(split).map((r) => r.paths)).to.have.deep.members([['/a/', '~/a$'], ['/b/', '~/b$'], ['/c/', '~/c$']]);
    expect(routes(split).every((r) => r.name.startsWith(`${ROUTE}.`))).to.equal(true);
    const joined = translateWith(['/a', '/b', '/c'], [partExclusionKey(ref, { kind: 'split', name: ROUTE }), partExclusionKey(ref, { kind: 'path', kongPath: '/b/' })]);
    expect(routes(joined)).to.deep.equal([{ name: ROUTE, paths: ['/a/', '/c/', '~/a$', '~/c$'] }]);
  });

  it('leaves out a path of a route an earlier pass of the same translator configured whole', () => {
    // The route left with fewer paths is a copy of the remembered route plan: it must not keep that plan's Kong route.
    const translator = createTranslator();
    const snap = snapshotWith(['/a', '/bad', '/c']);
    // Planned while something else is left out, so the next exclusion reuses the plan and its routes.
    const other = partExclusionKey(ref, { kind: 'route', name: 'a.other.route' });
    const whole = translator.translate(snap, { settings: settings(), exclude: new Set([other]) });
    expect(routes(whole)[0]?.paths).to.include('/bad/');
    const excluded = translator.translate(snap, { settings: settings(), exclude: new Set([other, partExclusionKey(ref, { kind: 'path', kongPath: '~/bad$' })]) });
    expect(routes(excluded)).to.deep.equal(routes(translateWith(['/a', '/c'])));
    const split = translator.translate(snap, { settings: settings(), exclude: new Set([other, partExclusionKey(ref, { kind: 'split', name: ROUTE })]) });
    expect(routes(split).map((r) => r.paths)).to.have.deep.members([['/a/', '~/a$'], ['/bad/', '~/bad$'], ['/c/', '~/c$']]);
  });

  it('leaves out a route by name, and the Ingress is not configured when nothing of it is left', () => {
    const result = translateWith(['/a'], [partExclusionKey(ref, { kind: 'route', name: ROUTE })]);
    expect(routes(result)).to.deep.equal([]);
    expect(result.configured.map((o) => o.kind)).to.not.include('Ingress');
  });
});
