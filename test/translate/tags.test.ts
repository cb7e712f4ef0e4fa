// Kong tags are emitted sorted (byte-stable output); they are built in that
// order without a sort, which holds only while the prefixes decide the order.
import { expect } from 'chai';
import { compareStrings, KeyedRefs } from '../../src/translate/objects.ts';
import { ObjectTags } from '../../src/translate/tags.ts';
import type { ObjectKind } from '../../src/translate/types.ts';

const KINDS: ObjectKind[] = ['Ingress', 'Service', 'Secret'];
const NAMES = ['a', 'zzz', 'name', 'namespace', '~', '0', ''];

describe('translate: Kong tags of an object', () => {
  it('are sorted whatever the name, namespace, uid and kind', () => {
    const tags = new ObjectTags(new KeyedRefs());
    for (const kind of KINDS) {
      for (const name of NAMES) {
        for (const namespace of NAMES) {
          for (const uid of [undefined, '00000000-aaaa', 'ffff']) {
            const of = tags.of(kind, { metadata: { name, namespace, ...(uid ? { uid } : {}) } });
            expect(of).to.deep.equal([...of].sort(compareStrings), `${kind} ${namespace}/${name} ${uid ?? ''}`);
            expect(of).to.include(`k8s-name:${name}`).and.include(`k8s-kind:${kind}`).and.include('managed-by:meshdoor');
            expect(of.some((tag) => tag.startsWith('k8s-uid:'))).to.equal(uid !== undefined);
          }
        }
      }
    }
  });

  it('shares one frozen array per object: every entity made from it carries the same tags, and none can change them', () => {
    const tags = new ObjectTags(new KeyedRefs());
    const obj = { metadata: { name: 'a', namespace: 'b' } };
    const first = tags.of('Ingress', obj);
    expect(tags.of('Ingress', obj)).to.equal(first);
    expect(Object.isFrozen(first)).to.equal(true);
    expect(() => (first as string[]).push('x')).to.throw(TypeError);
  });
});
