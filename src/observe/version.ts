// meshdoor's version: package.json's, read once (the image ships package.json
// beside bin/ and dist/, a checkout has it at the root).
import { readFileSync } from 'node:fs';

function readVersion(): string {
  for (const candidate of ['../../package.json', '../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(candidate, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'meshdoor' && pkg.version) return pkg.version;
    } catch {
      // not at this depth (src/observe vs dist/observe): try the next
    }
  }
  return 'unknown';
}

export const VERSION = readVersion();

/** One line for `meshdoor --version`. */
export function versionLine(): string {
  return `meshdoor ${VERSION} (node ${process.version})`;
}
