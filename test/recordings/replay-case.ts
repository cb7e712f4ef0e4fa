// One recorded Admin API exchange checked against the double's answer.
import { parse as parseYaml } from 'yaml';
import { differences } from './compare.ts';
import type { CompareOptions } from './compare.ts';
import type { ReplayAnswer } from './http-replay.ts';
import type { RecordedCase } from './recording-types.ts';

/** GET /config answers YAML inside JSON; Kong's key order is its hash order, so the YAML is compared parsed. */
function comparable(body: unknown): unknown {
  const config = (body as { config?: unknown } | null)?.config;
  return typeof config === 'string' ? { config: parseYaml(config) as unknown } : body;
}

/** Status, content type and body (when the recording kept one). */
export function answerProblems(kase: RecordedCase, answer: ReplayAnswer, options: CompareOptions = {}): string[] {
  const problems: string[] = [];
  const { response } = kase;
  if (answer.status !== response.status) problems.push(`status: expected ${response.status}, got ${answer.status}`);
  if ('content_type' in response && answer.contentType !== (response.content_type ?? null)) {
    problems.push(`content type: expected ${String(response.content_type)}, got ${String(answer.contentType)}`);
  }
  if ('body' in response) problems.push(...differences(comparable(response.body), comparable(answer.body), 'body', options));
  return problems;
}
