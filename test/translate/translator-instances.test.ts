// Each translator owns everything it remembers: two of them, interleaved on
// different clusters, each give what a new translator gives, and never hand
// out each other's entities.
import { expect } from 'chai';
import { DEFAULT_SETTINGS } from '../../src/config/settings.ts';
import { createTranslator } from '../../src/translate/index.ts';
import type { Snapshot, TranslateResult } from '../../src/translate/index.ts';
import { editIngress, generateCluster } from '../../bench/generate.ts';

const options = { settings: DEFAULT_SETTINGS };
const comparable = (result: TranslateResult): unknown => JSON.parse(JSON.stringify(result));

function withEdit(snapshot: Snapshot, index: number, round: number): Snapshot {
  const ingresses = [...snapshot.Ingress];
  const edited = ingresses[index];
  if (edited) ingresses[index] = editIngress(edited, round);
  return { ...snapshot, Ingress: ingresses };
}

const fresh = (snapshot: Snapshot): TranslateResult => createTranslator().translate(structuredClone(snapshot), options);

const routesOf = (result: TranslateResult) => result.config.services.flatMap((service) => service.routes);

describe('translator instances', () => {
  it('interleaved on different clusters, each gives what a new translator gives', () => {
    const a = createTranslator();
    const b = createTranslator();
    let ofA = generateCluster({ n: 60, seed: 1 }).snapshot;
    let ofB = generateCluster({ n: 60, seed: 2 }).snapshot;
    for (let round = 1; round <= 12; round += 1) {
      ofA = withEdit(ofA, (round * 7) % 60, round);
      ofB = withEdit(ofB, (round * 11) % 60, round);
      // B's pass in between must not count as the previous pass of A (nor the reverse).
      const resultA = a.translate(ofA, options);
      const resultB = b.translate(ofB, options);
      expect(comparable(resultA), `A, round ${round}`).to.deep.equal(comparable(fresh(ofA)));
      expect(comparable(resultB), `B, round ${round}`).to.deep.equal(comparable(fresh(ofB)));
    }
  });

  it('on the same snapshot, shares no entity, plan or delta state with another translator', () => {
    const { snapshot } = generateCluster({ n: 30, seed: 3 });
    const a = createTranslator();
    const b = createTranslator();
    const first = a.translate(snapshot, options);
    const again = a.translate(withEdit(snapshot, 0, 1), options);
    const other = b.translate(withEdit(snapshot, 0, 1), options);
    // Within one translator, an unchanged Ingress's route is the object made before.
    expect(routesOf(again)[5]).to.equal(routesOf(first)[5]);
    // Another translator makes its own, equal but not the same.
    expect(routesOf(other)).to.deep.equal(routesOf(again));
    for (const [i, route] of routesOf(other).entries()) expect(route, route.name).to.not.equal(routesOf(again)[i]);
    expect(other.config.certificates[0]).to.deep.equal(again.config.certificates[0]);
    expect(other.config.certificates[0]).to.not.equal(again.config.certificates[0]);
  });
});
