// What a cold pass shares instead of making per object: route annotations
// parsed once per annotation content, and the first list of a SortedByName
// kept as a plain list. Sharing must never change an answer.
import { expect } from 'chai';
import { InvalidAnnotationError } from '../../src/translate/annotation-values.ts';
import { ParsedRouteAnnotations, readRouteAnnotations } from '../../src/translate/route-annotations.ts';
import { SortedByName } from '../../src/translate/sorted-by-name.ts';

const K = 'konghq.com/';

describe('translate: route annotations parsed per content', () => {
  it('gives equal annotations one frozen result, equal to a parse of its own', () => {
    const parsed = new ParsedRouteAnnotations();
    const first = parsed.read({ [`${K}strip-path`]: 'true', other: 'x' }, 'traditional_compatible');
    const second = parsed.read({ [`${K}strip-path`]: 'true', other: 'y' }, 'traditional_compatible');
    expect(second, 'annotations it does not read do not matter').to.equal(first);
    expect(Object.isFrozen(first)).to.equal(true);
    expect(first).to.deep.equal(readRouteAnnotations({ [`${K}strip-path`]: 'true' }, 'traditional_compatible'));
  });

  it('parses other content, another router flavor and invalid values afresh', () => {
    const parsed = new ParsedRouteAnnotations();
    const on = parsed.read({ [`${K}strip-path`]: 'true' }, 'traditional_compatible');
    expect(parsed.read({ [`${K}strip-path`]: 'false' }, 'traditional_compatible')).to.deep.include({ stripPath: false });
    expect(on).to.deep.include({ stripPath: true });
    const negative = { [`${K}regex-priority`]: '-1' };
    expect(parsed.read(negative, 'traditional_compatible'), 'refused on traditional_compatible').to.be.instanceOf(InvalidAnnotationError);
    expect(parsed.read(negative, 'traditional'), 'allowed on traditional').to.deep.include({ regexPriority: -1 });
  });

  it('tells a name from a value: a value that spells another annotation is not that annotation', () => {
    const parsed = new ParsedRouteAnnotations();
    const both = parsed.read({ [`${K}methods`]: 'GET', [`${K}strip-path`]: 'true' }, 'traditional_compatible');
    expect(both).to.deep.include({ methods: ['GET'], stripPath: true });
    // Joined as `name=value` lines, these two would be the same text.
    for (const spelled of [`GET\n${K}strip-path=true`, `GET${K}strip-path true`, `GET20:${K}strip-path4:true`]) {
      expect(parsed.read({ [`${K}methods`]: spelled }, 'traditional_compatible'), spelled).to.be.instanceOf(InvalidAnnotationError);
    }
  });
});

describe('translate: SortedByName', () => {
  const names = (list: readonly { name: string; v?: number }[]): string[] => list.map((item) => `${item.name}${item.v ?? ''}`);

  it('sorts a first list once, keeping the last of a name set twice', () => {
    const sorted = new SortedByName<{ name: string; v?: number }>();
    sorted.set({ name: 'b', v: 1 });
    sorted.set({ name: 'a' });
    sorted.set({ name: 'b', v: 2 });
    expect(names(sorted.array())).to.deep.equal(['a', 'b2']);
    sorted.set({ name: 'a', v: 3 });
    expect(names(sorted.array()), 'then patched in place').to.deep.equal(['a3', 'b2']);
  });

  it('takes a delete before the first list is handed out', () => {
    const sorted = new SortedByName<{ name: string }>();
    sorted.set({ name: 'x' });
    sorted.set({ name: 'y' });
    sorted.delete('x');
    sorted.set({ name: 'w' });
    expect(names(sorted.array())).to.deep.equal(['w', 'y']);
    sorted.delete('w');
    sorted.delete('y');
    expect(sorted.array()).to.deep.equal([]);
    sorted.set({ name: 'q' });
    sorted.set({ name: 'p' });
    expect(names(sorted.array()), 'an emptied list starts a first list again').to.deep.equal(['p', 'q']);
  });

  it('patches each name at its place in a long list, and sorts again when a name comes or goes', () => {
    const sorted = new SortedByName<{ name: string; v?: number }>();
    const all = Array.from({ length: 100 }, (_, i) => `n${String(i).padStart(3, '0')}`);
    for (const name of [...all].reverse()) sorted.set({ name });
    expect(names(sorted.array())).to.deep.equal(all);
    for (const i of [0, 37, 99]) sorted.set({ name: all[i] ?? '', v: i });
    const patched = sorted.array();
    expect(names(patched).filter((n, i) => n !== all[i])).to.deep.equal(['n0000', 'n03737', 'n09999']);
    sorted.delete('n050');
    sorted.delete('not-there');
    sorted.set({ name: 'n0375' });
    const reshaped = names(sorted.array());
    expect(reshaped).to.have.length(100);
    expect(reshaped).to.not.include('n050');
    expect(reshaped.indexOf('n0375')).to.equal(reshaped.indexOf('n03737') + 1);
    const plain = sorted.array().map((item) => item.name);
    expect(plain, 'sorted by name').to.deep.equal([...plain].sort());
  });
});
