// Single cases recorded from a real Kong, found by name (the recordings are
// located by test/recordings/recordings-dir.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordingsDir } from '../recordings/recordings-dir.ts';

export interface RecordedCase {
  name: string;
  request: { method: string; path: string; content_type?: string | null; body?: string | null };
  response: { status: number; content_type?: string | null; body?: unknown };
}

/** One recorded case of `file`, by name. */
export function recording(file: string, name: string): RecordedCase {
  const data = JSON.parse(readFileSync(join(recordingsDir(), file), 'utf8')) as { cases: RecordedCase[] };
  const found = data.cases.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no case ${name} in ${file}`);
  return found;
}
