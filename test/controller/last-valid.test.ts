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
});
