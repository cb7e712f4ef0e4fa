// Where the recordings of a real Kuma 2.14.3 are: `../shared/kuma-recordings`
// beside the checkout, or $MESHDOOR_KUMA_RECORDINGS.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function kumaRecordingsDir(): string {
  const dir = process.env.MESHDOOR_KUMA_RECORDINGS ?? path.resolve(REPO_ROOT, '..', 'shared', 'kuma-recordings');
  if (!existsSync(path.join(dir, 'injection-matrix.txt'))) {
    throw new Error(`the Kuma recordings are not at ${dir}: put them beside the checkout (../shared/kuma-recordings) or set MESHDOOR_KUMA_RECORDINGS`);
  }
  return dir;
}
