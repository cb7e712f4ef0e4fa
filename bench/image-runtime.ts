// The Node flags and environment the container image starts the controller
// with, read from the Dockerfile's final stage, so a measured child process
// runs with what ships (and cannot drift from it).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface ImageRuntime {
  /** Flags between `node` and the script in ENTRYPOINT. */
  nodeFlags: string[];
  /** Every `ENV NAME=value` of the final stage (LD_PRELOAD as this host has the library). */
  env: Record<string, string>;
  /** The library the image preloads (LD_PRELOAD) when this host lacks it: measured without it. */
  missingPreload?: string;
}

/** Node as it starts without the image's flags and environment. */
export const PLAIN_NODE: ImageRuntime = { nodeFlags: [], env: {} };

/** A host without the image's malloc measures another allocator: rows say so in their note. */
export function preloadNote(runtime: Pick<ImageRuntime, 'missingPreload'>): string {
  return runtime.missingPreload ? `; measured WITHOUT the image's ${runtime.missingPreload} (not on this host: apt-get install libjemalloc2)` : '';
}

/** Where a Debian-like host keeps shared libraries (the image's path is its own). */
export const HOST_LIBRARY_DIRS = ['/usr/local/lib', '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib'];

/**
 * The image's LD_PRELOAD (its malloc) found on this host by file name: the
 * image links it at a path of its own. A host without it runs the child
 * without, and says so.
 */
export function withHostPreload(runtime: ImageRuntime, libraryDirs = HOST_LIBRARY_DIRS): ImageRuntime {
  const preload = runtime.env.LD_PRELOAD;
  if (preload === undefined) return runtime;
  const { LD_PRELOAD: _image, ...env } = runtime.env;
  const name = path.basename(preload);
  const found = [preload, ...libraryDirs.map((dir) => path.join(dir, name))].find((file) => existsSync(file));
  return found ? { ...runtime, env: { ...env, LD_PRELOAD: found } } : { ...runtime, env, missingPreload: name };
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
  return withHostPreload({ nodeFlags: argv.slice(1, script < 0 ? argv.length : script), env });
}
