// POST /config with plugins as a real Kong 3.9.3 answered it, replayed in
// file order on one DB-less double: which plugins exist, their configs
// checked and completed against the recorded schemas, ids and uniqueness,
// dangling references (500), consumers and credentials; after each accepted
// config the configuration hash and the services, routes, plugins and
// consumers the double lists are Kong's.
import { expect } from 'chai';
import { startKongDouble } from '../kong-double/index.ts';
import type { KongDouble } from '../kong-double/index.ts';
import { replayRequest } from './http-replay.ts';
import type { RecordedFile } from './recording-types.ts';
import { readRecording } from './recordings-dir.ts';
import { answerProblems } from './replay-case.ts';
import { differences } from './compare.ts';
import type { RecordedEntities } from './recording-types.ts';

/** GET /<type>?size=1000 of each recorded type (one page is all these configs have). */
async function listed(url: string, types: readonly string[]): Promise<RecordedEntities> {
  const out: RecordedEntities = {};
  for (const type of types) {
    const answer = await replayRequest(url, { method: 'GET', path: `/${type}?size=1000` });
    out[type] = (answer.body as { data: Record<string, unknown>[] }).data;
  }
  return out;
}

/** Cases not replayed, with the reason. */
export const SKIPPED: Record<string, string> = {};

describe('Kong recordings', () => {
  const file = readRecording<RecordedFile>('plugin-contract.json');
  describe(`plugin contract, ${file.cases.length} cases in file order`, () => {
    let kong: KongDouble;
    before(async () => { kong = await startKongDouble({ mode: 'dbless', routerFlavor: 'traditional_compatible', version: file.kong_version }); });
    after(async () => { await kong.close(); });

    for (const kase of file.cases) {
      const reason = SKIPPED[kase.name];
      if (reason !== undefined) {
        it.skip(`${kase.name}: ${reason}`);
        continue;
      }
      it(kase.name, async () => {
        const before = kong.configurationHash();
        const answer = await replayRequest(kong.url, kase.request);
        const problems = answerProblems(kase, answer);
        if (answer.status >= 400 && kong.configurationHash() !== before) problems.push('a refused config changed the configuration hash');
        if (kase.after?.configuration_hash !== undefined && kong.configurationHash() !== kase.after.configuration_hash) {
          problems.push(`configuration_hash: expected ${kase.after.configuration_hash}, got ${kong.configurationHash()}`);
        }
        if (kase.after?.entities) problems.push(...differences(kase.after.entities, await listed(kong.url, Object.keys(kase.after.entities)), 'entities'));
        expect(problems, problems.join('\n')).to.deep.equal([]);
      });
    }
  });
});
