import { expect } from 'chai';
import {
  applyWithExclusions, describeFieldErrors, failuresFromRejections, objectRefFromTags, rejectionsFromFlattened,
} from '../../src/kong/rejections.ts';
import { emptyKongConfig, type KongConfig, type TranslateResult } from '../../src/model/index.ts';

const tagsOf = (kind: string, namespace: string, name: string): string[] =>
  [`k8s-kind:${kind}`, `k8s-name:${name}`, `k8s-namespace:${namespace}`, 'managed-by:meshdoor'];

describe('Kong rejections mapped back to objects', () => {
  it('reads the object from k8s-* tags', () => {
    expect(objectRefFromTags([...tagsOf('Ingress', 'shop', 'web'), 'k8s-uid:123'])).to.deep.equal({ kind: 'Ingress', namespace: 'shop', name: 'web', uid: '123' });
    expect(objectRefFromTags(['k8s-kind:Service', 'k8s-name:x'])).to.deep.equal({ kind: 'Service', name: 'x' });
    expect(objectRefFromTags(['k8s-kind:KongPlugin', 'k8s-name:x'])).to.deep.equal({ kind: 'KongPlugin', name: 'x' });
    expect(objectRefFromTags(['k8s-kind:KongIngress', 'k8s-name:x'])).to.equal(undefined);
    expect(objectRefFromTags(['managed-by:meshdoor'])).to.equal(undefined);
  });

  it('prints Kong field errors as field: message lines', () => {
    expect(describeFieldErrors({ port: 'value should be between 0 and 65535', paths: [null, 'should start with: / (fixed path) or ~/ (regex path)'], '@entity': ['must set one of ...'] }))
      .to.deep.equal(['port: value should be between 0 and 65535', 'paths.2: should start with: / (fixed path) or ~/ (regex path)', 'must set one of ...']);
  });

  it('groups flattened errors per object with reason KongRejected', () => {
    const rejections = rejectionsFromFlattened([
      { entity_type: 'route', entity_name: 'r1', entity_tags: tagsOf('Ingress', 'shop', 'web'), errors: [{ type: 'field', field: 'paths.1', message: 'bad' }] },
      { entity_type: 'route', entity_name: 'r2', entity_tags: tagsOf('Ingress', 'shop', 'web'), errors: [{ type: 'entity', message: 'worse' }] },
      { entity_type: 'service', entity_name: 'untagged', errors: [{ type: 'field', field: 'host', message: 'required field missing' }] },
    ]);
    expect(rejections[2]?.object).to.equal(undefined);
    const failures = failuresFromRejections(rejections);
    expect(failures).to.deep.equal([{
      object: { kind: 'Ingress', namespace: 'shop', name: 'web' }, reason: 'KongRejected',
      message: 'Kong rejected route r1: paths.1: bad; Kong rejected route r2: worse',
    }]);
  });

  describe('applyWithExclusions', () => {
    const result = (exclude: ReadonlySet<string>): TranslateResult => {
      const config: KongConfig = emptyKongConfig();
      config.services = [...exclude].map((k) => ({ id: k, name: k, protocol: 'http', host: 'h', port: 80, retries: 5, connect_timeout: 1, read_timeout: 1, write_timeout: 1, tags: [], routes: [] }));
      return { config, failures: [], configured: [] };
    };
    const reject = (name: string) => ({ entity: `route ${name}`, object: { kind: 'Ingress' as const, namespace: 'shop', name }, messages: ['bad'] });

    it('excludes each newly rejected object and tries again until Kong accepts', async () => {
      const seen: string[][] = [];
      const outcome = await applyWithExclusions({
        translate: result, maxRounds: 5,
        apply: (_r, exclude) => {
          seen.push([...exclude]);
          if (!exclude.has('Ingress/shop/a')) return Promise.resolve({ ok: false as const, rejections: [reject('a')], error: 'a' });
          if (!exclude.has('Ingress/shop/b')) return Promise.resolve({ ok: false as const, rejections: [reject('b')], error: 'b' });
          return Promise.resolve({ ok: true as const, value: 'done' });
        },
      });
      expect(outcome.ok).to.equal(true);
      expect(seen).to.deep.equal([[], ['Ingress/shop/a'], ['Ingress/shop/a', 'Ingress/shop/b']]);
      expect(outcome.rejected.map((f) => f.object.name)).to.deep.equal(['a', 'b']);
      expect(outcome.result.config.services.map((s) => s.name)).to.deep.equal(['Ingress/shop/a', 'Ingress/shop/b']);
    });

    it('gives up when a rejection names no new object, or after maxRounds', async () => {
      const unmapped = await applyWithExclusions({
        translate: result, maxRounds: 5,
        apply: () => Promise.resolve({ ok: false as const, rejections: [{ entity: 'service x', messages: ['bad'] }], error: 'no tags' }),
      });
      expect(unmapped).to.include({ ok: false, error: 'no tags' });
      let n = 0;
      const endless = await applyWithExclusions({
        translate: result, maxRounds: 3,
        apply: () => { n += 1; return Promise.resolve({ ok: false as const, rejections: [reject(`o${n}`)], error: 'again' }); },
      });
      expect(endless.ok).to.equal(false);
      expect(n).to.equal(3);
    });
  });
});
