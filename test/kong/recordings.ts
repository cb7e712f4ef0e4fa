// Cases recorded from a real Kong, read from `../shared/kong-recordings`
// beside the checkout (or KONG_RECORDINGS_DIR); a missing folder fails loudly.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

export interface RecordedCase {
  name: string;
  request: { method: string; path: string; content_type?: string | null; body?: string | null };
  response: { status: number; content_type?: string | null; body?: unknown };
}

const repository = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function recordingsDir(): string {
  const dir = process.env.KONG_RECORDINGS_DIR ?? join(repository, '..', 'shared', 'kong-recordings');
  if (!existsSync(dir)) throw new Error(`Kong recordings not found at ${dir}: put them beside the checkout or set KONG_RECORDINGS_DIR`);
  return dir;
}

/** One recorded case of `file`, by name. */
export function recording(file: string, name: string): RecordedCase {
  const data = JSON.parse(readFileSync(join(recordingsDir(), file), 'utf8')) as { cases: RecordedCase[] };
  const found = data.cases.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no case ${name} in ${file}`);
  return found;
}
