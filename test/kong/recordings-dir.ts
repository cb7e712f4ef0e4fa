// Where the recordings of a real Kong live: `../shared/kong-recordings` beside
// the checkout, or KONG_RECORDINGS_DIR. Tests that need them fail clearly when absent.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export function kongRecordingsDir(): string {
  const dir = process.env['KONG_RECORDINGS_DIR'] ?? join(REPO_ROOT, '..', 'shared', 'kong-recordings');
  if (!existsSync(join(dir, 'README.md'))) {
    throw new Error(`Kong recordings not found in ${dir}: put them beside the checkout or set KONG_RECORDINGS_DIR`);
  }
  return dir;
}

export function readRecording<T = unknown>(relativePath: string): T {
  return JSON.parse(readFileSync(join(kongRecordingsDir(), relativePath), 'utf8')) as T;
}

export const ROUTER_FLAVORS = ['traditional_compatible', 'expressions'] as const;
