// The incremental pass finds the claims on a host + path in a table kept by
// host, then (for a host with many claims) by path. Checked against a plain
// list of every claim, through random adds and removes on a few hosts that
// grow past the list limit and shrink again.
import { expect } from 'chai';
import { seededRandom } from '../../bench/generate.ts';
import { ClaimTable } from '../../src/translate/claim-table.ts';
import { translatePath } from '../../src/translate/paths.ts';
import type { TranslatedPath } from '../../src/translate/paths.ts';
import type { PathClaim } from '../../src/translate/plans.ts';

const HOSTS = ['', 'shop.example.com', 'api.example.com'];
const PATHS = ['/', '/a', '/b', '/c'].flatMap((path) => [translatePath(path, 'Prefix'), translatePath(path, 'Exact')]) as TranslatedPath[];

function claim(n: number, host: string, path: TranslatedPath): PathClaim {
  return { host, path, ruleHost: host, alias: false, ingress: { metadata: { name: `i${n}` } } } as unknown as PathClaim;
}

const label = (c: PathClaim): string => c.ingress.metadata?.name ?? '';

describe('translate: the claim table', () => {
  it('finds the claims on each host + path, in the order they came, as a plain list does', () => {
    const random = seededRandom(7);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const table = new ClaimTable();
    let all: PathClaim[] = [];
    for (let step = 0; step < 3000; step += 1) {
      // Mostly adds for the first half (hosts grow past the list limit), mostly removes after.
      const adding = all.length === 0 || random() < (step < 1500 ? 0.8 : 0.3);
      if (adding) {
        const added = claim(step, pick(HOSTS), pick(PATHS));
        table.add(added);
        all.push(added);
      } else {
        const removed = pick(all);
        table.remove(removed);
        all = all.filter((c) => c !== removed);
      }
      for (const host of HOSTS) {
        for (const path of PATHS) {
          const expected = all.filter((c) => c.host === host && c.path.conflictKey === path.conflictKey).map(label);
          expect(table.at({ host, path }).map(label), `step ${step}: ${host} ${path.conflictKey}`).to.deep.equal(expected);
        }
      }
      if (step % 100 !== 0) continue;
      const contested: string[][] = [];
      table.forEachContested((claims) => contested.push(claims.map(label)));
      const expected = HOSTS.flatMap((host) => PATHS.map((path) => all.filter((c) => c.host === host && c.path.conflictKey === path.conflictKey).map(label)))
        .filter((claims) => claims.length > 1);
      expect(contested.sort(), `step ${step}`).to.deep.equal(expected.sort());
    }
    expect(table.isEmpty).to.equal(all.length === 0);
    // Drained: empty again (a pass with no claims left starts its next pass as a first one).
    for (const left of all) table.remove(left);
    expect(table.isEmpty).to.equal(true);
  });
});
