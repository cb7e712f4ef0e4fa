// The translator's memo of ids and translated paths: an entry in use is carried
// into the next generation, one unused for a whole generation is computed again.
import { expect } from 'chai';
import { TwoGenerations } from '../../src/translate/two-generations.ts';

describe('TwoGenerations', () => {
  it('computes once per scope and key while the entry is in use, and forgets what is unused for two generations', () => {
    const memo = new TwoGenerations<string>(2);
    let computed = 0;
    const get = (scope: string, key: string): string => {
      const known = memo.find(scope, key);
      if (known !== undefined) return known;
      computed += 1;
      return memo.remember(scope, key, `${scope}:${key}`);
    };
    expect(get('routes', 'a')).to.equal('routes:a');
    expect(get('services', 'a')).to.equal('services:a');
    expect(computed, 'same key, other scope: another entry').to.equal(2);
    get('routes', 'b'); // the first generation is full: a new one starts with b
    get('routes', 'a'); // from the previous generation, carried forward
    expect(computed).to.equal(3);
    get('routes', 'c'); // another turnover: services:a was not used in the last generation
    get('services', 'a');
    expect(computed, 'an entry unused for a generation is computed again').to.equal(5);
  });
});
