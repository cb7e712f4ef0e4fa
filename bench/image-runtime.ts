// The Node flags and environment the container image starts the controller
// with, read from the Dockerfile's final stage, so a measured child process
// runs with what ships (and cannot drift from it).
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface ImageRuntime {
  /** Flags between `node` and the script in ENTRYPOINT. */
  nodeFlags: string[];
  /** Every `ENV NAME=value` of the final stage. */
  env: Record<string, string>;
}

export const DOCKERFILE = path.join(import.meta.dirname, '..', 'Dockerfile');

export function imageRuntime(dockerfile = DOCKERFILE): ImageRuntime {
  const text = readFileSync(dockerfile, 'utf8');
  const finalStage = text.slice(text.lastIndexOf('\nFROM '));
  const entrypoint = /^ENTRYPOINT (\[.*\])\s*$/m.exec(finalStage)?.[1];
  if (!entrypoint) throw new Error(`${dockerfile}: no ENTRYPOINT in the final stage`);
  const argv = JSON.parse(entrypoint) as string[];
  const script = argv.findIndex((arg, i) => i > 0 && !arg.startsWith('-'));
  const env = Object.fromEntries([...finalStage.matchAll(/^ENV (\w+)=(\S+)\s*$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));
  return { nodeFlags: argv.slice(1, script < 0 ? argv.length : script), env };
}
