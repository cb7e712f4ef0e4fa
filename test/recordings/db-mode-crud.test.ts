// DB-mode CRUD as a real Kong 3.9.3 on PostgreSQL answered it: one session in
// file order against an initially empty database, later cases using ids that
// earlier answers gave out.
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { startKongDouble } from '../kong-double/index.ts';
import type { KongDouble } from '../kong-double/index.ts';
import { replayRequest } from './http-replay.ts';
import type { RecordedCase, RecordedFile } from './recording-types.ts';
import { readRecording } from './recordings-dir.ts';
import { answerProblems } from './replay-case.ts';

/** Cases not replayed, with the reason. */
export const SKIPPED: Record<string, string> = {};

/**
 * Kong draws a new entity's id at random. The replay hands the double the id
 * Kong drew for the entity a case creates, so later paths that name it, and
 * pages ordered by id, line up with the recording.
 */
function createdId(kase: RecordedCase): string | undefined {
  const { status, body } = kase.response;
  const id = (body as { id?: unknown } | null | undefined)?.id;
  return status >= 200 && status < 300 && typeof id === 'string' ? id : undefined;
}

describe('Kong recordings', () => {
  const file = readRecording<RecordedFile>('db-mode-crud.json');
  describe(`DB-mode CRUD, ${file.cases.length} cases in file order`, () => {
    let kong: KongDouble;
    const drawn: string[] = [];
    before(async () => {
      kong = await startKongDouble({ mode: 'db', version: file.kong_version, newId: () => drawn.shift() ?? randomUUID() });
    });
    after(async () => { await kong.close(); });

    for (const kase of file.cases) {
      const reason = SKIPPED[kase.name];
      if (reason !== undefined) {
        it.skip(`${kase.name}: ${reason}`);
        continue;
      }
      it(kase.name, async () => {
        drawn.length = 0;
        const id = createdId(kase);
        if (id !== undefined) drawn.push(id);
        const answer = await replayRequest(kong.url, kase.request);
        const problems = answerProblems(kase, answer);
        expect(problems, problems.join('\n')).to.deep.equal([]);
      });
    }
  });
});
