// A measured child process, run as the container runs the controller: the
// entry compiled to JavaScript (compile.ts), started with the Dockerfile's Node
// flags and environment (image-runtime.ts). `MESHDOOR_BENCH_CHILD=tsx` runs the
// TypeScript sources through tsx instead (its loader adds ~50 MiB).
import { spawn } from 'node:child_process';
import path from 'node:path';
import process from 'node:process';
import { compileEntry } from './compile.ts';
import type { ImageRuntime } from './image-runtime.ts';

/**
 * The heap Node configures in the shipped container: V8 is sized from the cgroup
 * memory limit (deploy/controller.yaml: 512Mi), giving a 256 MiB old space and
 * 1 MiB semi-spaces on 64-bit Node. These flags give the same without a cgroup.
 */
export const CONTAINER_512MI_V8 = ['--max-old-space-size=256', '--max-semi-space-size=1'];

/** How to start the child: its file, and node arguments that load it. */
export interface ChildCommand { file: string; loader: string[] }

/** Compiles `entry` (relative to the repo root) once, unless asked to run it through tsx. */
export async function childCommand(entry: string): Promise<ChildCommand & { cleanup(): Promise<void> }> {
  if (process.env.MESHDOOR_BENCH_CHILD === 'tsx') {
    return { file: path.join(import.meta.dirname, '..', entry), loader: ['--import', 'tsx'], cleanup: () => Promise.resolve() };
  }
  const compiled = await compileEntry(entry);
  return { file: compiled.file, loader: [], cleanup: () => compiled.cleanup() };
}

export interface ChildRun {
  cmd: ChildCommand;
  runtime: ImageRuntime;
  /** Node flags after the image's own (e.g. --expose-gc). */
  nodeFlags?: string[];
  args: string[];
  /** Names the child in errors. */
  label: string;
  /** Each line the child writes to stderr, as it comes. */
  onStderrLine?: (line: string) => void;
}

/** Runs the child to completion; resolves with the JSON of its last stdout line. */
export function runChild<T>(run: ChildRun): Promise<T> {
  return new Promise((resolve, reject) => {
    const args = [...run.runtime.nodeFlags, ...run.cmd.loader, ...(run.nodeFlags ?? []), run.cmd.file, ...run.args];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...run.runtime.env } });
    let out = '';
    let err = '';
    let partial = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) run.onStderrLine?.(line);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`${run.label} exited with ${code ?? 'a signal'}: ${err.trim().split('\n').slice(-3).join(' ')}`));
        return;
      }
      resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as T);
    });
  });
}
