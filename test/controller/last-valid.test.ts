// The last valid version per object, on its own: what is substituted, when it
// is given up, and how the report reads (pure; the real translator).
import type { V1Ingress, V1Service } from '@kubernetes/client-node';
import { expect } from 'chai';
import { LastValid, SERVING_LAST_VALID, foldServingLastValid } from '../../src/controller/last-valid.ts';
import { createTranslator } from '../../src/translate/index.ts';
import type { Snapshot, TranslateResult } from '../../src/translate/types.ts';
import { ingress, ingressClass, rule, service, settings, snapshot } from '../translate/builders.ts';

const withVersion = <T extends V1Ingress | V1Service>(obj: T, rv: string): T => ({ ...obj, metadata: { ...obj.metadata, resourceVersion: rv } });
const web = (rv: string, annotations: Record<string, string> = {}): V1Service => withVersion(service('web', [{ port: 80 }], { namespace: 'a', uid: 'svc-uid', annotations }), rv);
const app = (rv: string, path = '/'): V1Ingress => withVersion(ingress('app', { rules: [rule('app.example.com', [path, 'Prefix', 'web', 80])] }, { namespace: 'a', uid: 'ing-uid' }), rv);
const snap = (ing: V1Ingress, svc: V1Service): Snapshot => snapshot({ ingresses: [ing], services: [svc], ingressClasses: [ingressClass('kong')] });
const base = (s: Snapshot, ex: ReadonlySet<string>): TranslateResult => createTranslator().translate(s, { settings: settings(), exclude: ex });
const serviceTimeout = (r: TranslateResult): number | undefined => r.config.services[0]?.read_timeout;

describe('LastValid', () => {
  it('serves a Service\'s last valid version when an annotation edit breaks it, and reports why', () => {
    const lv = new LastValid();
    const good = snap(app('1'), web('1', { 'konghq.com/read-timeout': '5000' }));
    lv.commit(good, lv.translate(good, new Set(), base), []);
    const broken = snap(app('1'), web('2', { 'konghq.com/read-timeout': 'soon' }));
    const result = lv.translate(broken, new Set(), base);
    expect(serviceTimeout(result)).to.equal(5000);
    const folded = foldServingLastValid(result.failures).filter((f) => f.object.kind === 'Service');
    expect(folded).to.have.length(1);
    expect(folded[0]?.reason).to.equal(SERVING_LAST_VALID);
    expect(folded[0]?.message).to.contain('InvalidAnnotation').and.contain('resourceVersion 2 is not served');
  });

  it('substitutes for an object Kong rejected (its exclusion key) and lifts the exclusion', () => {
    const lv = new LastValid();
    const good = snap(app('1', '/a'), web('1'));
    lv.commit(good, lv.translate(good, new Set(), base), []);
    const edited = snap(app('2', '/b'), web('1'));
    const result = lv.translate(edited, new Set(['Ingress/a/app#path:/b/']), base);
    expect(result.config.services[0]?.routes[0]?.paths).to.deep.equal(['/a/', '~/a$']);
  });

  it('gives the older version up when it fails too (its Service is gone), and forgets a deleted or re-created object', () => {
    const lv = new LastValid();
    const good = snap(app('1', '/a'), web('1'));
    lv.commit(good, lv.translate(good, new Set(), base), []);
    const gone = snapshot({ ingresses: [app('2', '/b')], ingressClasses: [ingressClass('kong')] });
    const result = lv.translate(gone, new Set(), base);
    expect(result.failures.map((f) => f.reason)).to.deep.equal(['ServiceNotFound']);
    lv.commit(snapshot({ services: [web('1')] }), base(snapshot({}), new Set()), []);
    expect(lv.size).to.equal(1);
    const recreated = { ...web('9'), metadata: { ...web('9').metadata, uid: 'other-uid' } };
    lv.commit(snapshot({ services: [recreated] }), base(snapshot({}), new Set()), []);
    expect(lv.size).to.equal(0);
  });

  it('keeps what it serves in a bounded, status-ready form', () => {
    const lv = new LastValid();
    const good = snap(app('1', '/a'), web('1'));
    lv.commit(good, lv.translate(good, new Set(), base), []);
    const edited = snap(app('2', '/b'), web('1'));
    const applied = lv.translate(edited, new Set(['Ingress/a/app#path:/b/']), base);
    lv.commit(edited, applied, []);
    const entries = lv.servingEntries();
    expect(entries.map((e) => [e.kind, e.object.metadata?.name, e.object.metadata?.resourceVersion])).to.deep.equal([['Ingress', 'app', '1']]);
    const restarted = new LastValid();
    restarted.seed(JSON.parse(JSON.stringify(entries)) as typeof entries, false);
    expect(restarted.translate(edited, new Set(['Ingress/a/app#path:/b/']), base).config.services[0]?.routes[0]?.paths).to.deep.equal(['/a/', '~/a$']);
  });

  it('walks only what changed between commits from the same configured list, and gives the same answer as a whole walk', () => {
    // One translator for the whole story, as the controller keeps one: an edit that moves no use hands out the same configured list.
    const translator = createTranslator();
    const options = { settings: settings() };
    const classes = [ingressClass('kong')];
    const services = [web('1')];
    const lists = snapshot({ ingressClasses: classes, services });
    const at = (ingresses: V1Ingress[]): Snapshot => ({ ...lists, Ingress: ingresses });
    const walked = new LastValid();
    // Seeding (with nothing) makes the next commit walk every object.
    const whole = new LastValid();
    const commit = (s: Snapshot): TranslateResult => {
      const result = translator.translate(s, options);
      walked.commit(s, result, []);
      whole.seed([], false);
      whole.commit(s, result, []);
      expect(walked.size, 'as a whole walk').to.equal(whole.size);
      return result;
    };
    const first = commit(at([app('1', '/a')]));
    expect(walked.size).to.equal(2);
    const moved = commit(at([{ ...app('2', '/a'), spec: { ...app('2', '/a').spec, ingressClassName: 'other' } }]));
    expect(moved.configured, 'no longer served: its uses moved').to.not.equal(first.configured);
    expect(walked.size, 'still there with the same uid: kept').to.equal(2);
    const deleted = commit(at([]));
    expect(deleted.configured, 'an Ingress that was not served left: nothing moved').to.equal(moved.configured);
    expect(walked.size, 'the deleted Ingress is forgotten, its Service kept').to.equal(1);
    // Back again and valid, then edited with the same uses: the newer version is the one kept.
    commit(at([app('3', '/a')]));
    const edited = at([app('4', '/b')]);
    commit(edited);
    const broken = at([{ ...app('5', '/b'), spec: { ...app('5', '/b').spec, rules: [rule('app.example.com', ['/b', 'Prefix', 'web', 8080])] } }]);
    for (const lv of [walked, whole]) {
      const served = lv.translate(broken, new Set(), base);
      expect(served.failures.map((f) => f.reason)).to.include(SERVING_LAST_VALID);
      expect(served.config.services[0]?.routes[0]?.paths).to.deep.equal(['/b/', '~/b$']);
    }
  });
});

