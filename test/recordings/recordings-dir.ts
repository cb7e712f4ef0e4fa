// Where the recordings of a real Kong live: `../shared/kong-recordings`
// beside the checkout, or MESHDOOR_KONG_RECORDINGS. The suite fails (never
// skips) when they are absent, so a missing checkout cannot pass silently.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function recordingsDir(): string {
  const dir = process.env.MESHDOOR_KONG_RECORDINGS ?? path.resolve(REPO, '../shared/kong-recordings');
  if (!existsSync(path.join(dir, 'README.md'))) {
    throw new Error(`Kong recordings not found at ${dir}: check them out beside the repository (../shared/kong-recordings) or set MESHDOOR_KONG_RECORDINGS`);
  }
  return dir;
}

export function readRecording<T>(name: string): T {
  return JSON.parse(readFileSync(path.join(recordingsDir(), name), 'utf8')) as T;
}
