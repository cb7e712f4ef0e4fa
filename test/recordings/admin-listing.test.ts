// DB-less listings, paging, tag filters and the Admin API body limit as a
// real Kong 3.9.3 answered them, replayed in file order on one double.
import { expect } from 'chai';
import { startKongDouble } from '../kong-double/index.ts';
import type { KongDouble } from '../kong-double/index.ts';
import { replayRequest } from './http-replay.ts';
import type { RecordedFile, RecordedRequest } from './recording-types.ts';
import { readRecording } from './recordings-dir.ts';
import { answerProblems } from './replay-case.ts';

/** Cases not replayed, with the reason. */
export const SKIPPED: Record<string, string> = {};

/**
 * The size-limit bodies are not stored, only their length and shape:
 * a `_format_version` line, then YAML comment lines of 99 characters.
 */
function bodyOf(request: RecordedRequest): string | null {
  const omitted = request.body_omitted;
  if (!omitted) return request.body ?? null;
  const head = '_format_version: "3.0"\n';
  const line = `#${'x'.repeat(98)}\n`;
  let body = head + line.repeat(Math.floor((omitted.length - head.length) / line.length));
  const rest = omitted.length - Buffer.byteLength(body);
  if (rest > 0) body += `#${'x'.repeat(Math.max(0, rest - 2))}\n`.slice(0, rest);
  return body;
}

/** DB-less paging keys name the node's workspace id, drawn at install: compared without it. */
function withoutWorkspace(text: string): string {
  return text.replace(/[A-Za-z0-9+/]{24,}/g, (token) => {
    const key = Buffer.from(token, 'base64').toString('latin1');
    return /^[a-z_]+\|/.test(key) ? key.replace(/^([a-z_]+)\|[0-9a-f-]{36}\|/, '$1|<workspace>|') : token;
  });
}

/**
 * GET /status: connection counters, worker pids and memory use are the
 * process's own; they are compared as numbers / sizes, the rest exactly.
 */
function measured(body: unknown, currentHash: string | undefined): unknown {
  return JSON.parse(JSON.stringify(body, (key, value: unknown) => {
    // The config loaded last was JSON, whose hash Kong draws anew on each load: the double's own must show.
    if (key === 'configuration_hash' && value === currentHash) return '<current hash>';
    if (typeof value === 'number' && /^(connections_|total_requests|pid)/.test(key)) return '<count>';
    if (typeof value === 'string' && /^(allocated_slabs|http_allocated_gc)$/.test(key) && /^\d+\.\d\d MiB$/.test(value)) return '<size>';
    if (key === 'workers_lua_vms' && Array.isArray(value)) return (value as unknown[]).slice(0, 1);
    return value;
  }));
}

describe('Kong recordings', () => {
  const file = readRecording<RecordedFile>('admin-listing-and-limits.json');
  describe(`admin listing and limits, ${file.cases.length} cases in file order`, () => {
    let kong: KongDouble;
    const hashes: { recorded?: string } = {};
    before(async () => { kong = await startKongDouble({ mode: 'dbless', routerFlavor: 'traditional_compatible', version: file.kong_version }); });
    after(async () => { await kong.close(); });

    for (const kase of file.cases) {
      const reason = SKIPPED[kase.name];
      if (reason !== undefined) {
        it.skip(`${kase.name}: ${reason}`);
        continue;
      }
      it(kase.name, async () => {
        const body = bodyOf(kase.request);
        if (body !== null) expect(Buffer.byteLength(body)).to.equal(kase.request.body_omitted?.length ?? Buffer.byteLength(body));
        const answer = await replayRequest(kong.url, kase.request, body);
        const status = kase.request.path === '/status';
        const recorded = status ? { ...kase, response: { ...kase.response, body: measured(kase.response.body, hashes.recorded) } } : kase;
        const problems = answerProblems(recorded, status ? { ...answer, body: measured(answer.body, kong.configurationHash()) } : answer, { text: withoutWorkspace });
        if (kase.after?.configuration_hash !== undefined) hashes.recorded = kase.after.configuration_hash;
        expect(problems, problems.join('\n')).to.deep.equal([]);
      });
    }
  });
});
