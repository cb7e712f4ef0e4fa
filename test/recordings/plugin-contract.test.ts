// POST /config with plugins as a real Kong 3.9.3 answered it, replayed in
// file order on one DB-less double, as far as the double models plugins:
// which plugins exist, their ids and uniqueness, dangling references, and
// the configuration of the plugins whose schema the model has.
import { expect } from 'chai';
import { startKongDouble } from '../kong-double/index.ts';
import type { KongDouble } from '../kong-double/index.ts';
import { replayRequest } from './http-replay.ts';
import type { RecordedFile } from './recording-types.ts';
import { readRecording } from './recordings-dir.ts';
import { answerProblems } from './replay-case.ts';

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
        expect(problems, problems.join('\n')).to.deep.equal([]);
      });
    }
  });
});
