// The chunk text cache of the DB-less body keeps only the chunks of the last
// body: chunks of earlier bodies (and the replaced entities they listed) must
// not stay reachable through an entity that is still in the config.
import { expect } from 'chai';
import { BodyChunks } from '../../src/kong/body-chunks.ts';
import { collectedEventually } from '../support/gc.ts';

type Entity = Readonly<{ name: string; tag: number }>;
const entity = (name: string, tag = 0): Entity => Object.freeze({ name, tag });
const write = (items: readonly Entity[]): string => items.map((e) => JSON.stringify(e)).join(',');

describe('DB-less body chunks', () => {
  it('reuses an unchanged chunk and gives the same text as writing it again', () => {
    const chunks = new BodyChunks();
    const items = Array.from({ length: 300 }, (_, i) => entity(`e${i}`));
    const first = chunks.listParts('list', items, write).join('');
    expect(chunks.counts('list')).to.deep.equal({ written: 3, reused: 0 });
    expect(chunks.listParts('list', items, write).join('')).to.equal(first);
    expect(chunks.counts('list')).to.deep.equal({ written: 0, reused: 3 });
    expect(JSON.parse(first)).to.deep.equal(items);
  });

  it('keeps no replaced entity of an earlier body reachable', async () => {
    const chunks = new BodyChunks();
    const stays = entity('stays');
    const replaced = new WeakRef(entity('gone'));
    chunks.listParts('list', [stays, replaced.deref() as Entity], write);
    // `gone` is deleted and an entity sorting first is added: `stays` no longer
    // starts a chunk, but is still in the config.
    const list = [entity('first'), stays];
    chunks.listParts('list', list, write);
    expect(await collectedEventually(replaced), 'the deleted entity is still reachable').to.equal(true);
    expect(list).to.have.length(2);
  });
});
