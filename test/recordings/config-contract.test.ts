// POST /config as a real Kong 3.9.3 answered it, replayed in file order on
// one DB-less double per router flavor: status, content type, body (Kong's
// wording; library text loosely), the configuration hash and every entity
// Kong listed afterwards.
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { startKongDouble } from '../kong-double/index.ts';
import type { KongDouble } from '../kong-double/index.ts';
import { differences } from './compare.ts';
import { inStableOrder, listEntities } from './entity-listing.ts';
import { replayRequest } from './http-replay.ts';
import { answerProblems } from './replay-case.ts';
import type { RecordedCase, RecordedFile } from './recording-types.ts';
import { readRecording } from './recordings-dir.ts';

type Flavor = 'traditional_compatible' | 'expressions';

/** Cases not replayed, with the reason (the same names in both flavors unless noted). */
export const SKIPPED: Record<string, string> = {};

const ZERO_HASH = '00000000000000000000000000000000';

const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

interface HashState {
  /** The double's hash before the case. */
  before: string;
}

/** What the configuration hash must be after the case, given how Kong hashes each kind of body. */
function checkHash(kase: RecordedCase, status: number, hashes: HashState, actual: string): string[] {
  const recorded = kase.after?.configuration_hash;
  if (recorded === undefined) return [];
  const { request } = kase;
  if (request.method !== 'POST' || !request.path.startsWith('/config') || status !== 201) {
    // Nothing loaded: the hash stays what it was (Kong's may show a held-out case's config).
    return actual === hashes.before ? [] : [`configuration_hash changed from ${hashes.before} to ${actual} without a load`];
  }
  if (recorded === ZERO_HASH || recorded === md5(request.body ?? '')) {
    return actual === recorded ? [] : [`configuration_hash: expected ${recorded}, got ${actual}`];
  }
  // JSON bodies: Kong hashes its own re-encoding, a new value on every load.
  const fresh = /^[0-9a-f]{32}$/.test(actual) && actual !== hashes.before && actual !== ZERO_HASH;
  return fresh ? [] : [`configuration_hash: expected a new hash for a JSON body, got ${actual} (before: ${hashes.before})`];
}

function replayFlavor(flavor: Flavor): void {
  const file = readRecording<RecordedFile>(`config-contract.${flavor}.json`);
  describe(`config contract (${flavor}), ${file.cases.length} cases in file order`, () => {
    let kong: KongDouble;
    const hashes: HashState = { before: ZERO_HASH };
    before(async () => { kong = await startKongDouble({ mode: 'dbless', routerFlavor: flavor, version: file.kong_version }); });
    after(async () => { await kong.close(); });

    for (const kase of file.cases) {
      const reason = SKIPPED[kase.name];
      if (reason !== undefined) {
        it.skip(`${kase.name}: ${reason}`);
        continue;
      }
      it(`${kase.name}${kase.note ? ` (${kase.note})` : ''}`, async () => {
        hashes.before = kong.configurationHash();
        const answer = await replayRequest(kong.url, kase.request);
        const problems = answerProblems(kase, answer);
        problems.push(...checkHash(kase, answer.status, hashes, kong.configurationHash()));
        if (kase.after?.entities) problems.push(...differences(inStableOrder(kase.after.entities), inStableOrder(await listEntities(kong.url)), 'entities'));
        expect(problems, problems.join('\n')).to.deep.equal([]);
      });
    }
  });
}

describe('Kong recordings', () => {
  replayFlavor('traditional_compatible');
  replayFlavor('expressions');
});
