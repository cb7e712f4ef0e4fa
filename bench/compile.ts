// Compiles a bench entry point and everything it imports to JavaScript in a
// temp dir, with the repo's own compiler options, so a measured child process
// runs what the container runs (compiled JS on plain Node, no tsx loader).
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.join(import.meta.dirname, '..');

export interface CompiledEntry {
  /** The compiled entry point (a `.js` file). */
  file: string;
  cleanup(): Promise<void>;
}

function compilerOptions(outDir: string): ts.CompilerOptions {
  const configFile = path.join(ROOT, 'tsconfig.json');
  const read = ts.readConfigFile(configFile, (f) => ts.sys.readFile(f));
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT, undefined, configFile);
  // `npm run typecheck` checks types; here only the emitted JavaScript matters.
  return { ...parsed.options, outDir, rootDir: ROOT, sourceMap: false, noCheck: true, noEmitOnError: false };
}

/** Compiles `entry` (a path relative to the repo root, e.g. `bench/memory-child.ts`). */
export async function compileEntry(entry: string): Promise<CompiledEntry> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'meshdoor-bench-js-'));
  const cleanup = (): Promise<void> => rm(outDir, { recursive: true, force: true });
  try {
    const program = ts.createProgram([path.join(ROOT, entry)], compilerOptions(outDir));
    const emitted = program.emit();
    const errors = emitted.diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (emitted.emitSkipped || errors.length > 0) {
      throw new Error(`compiling ${entry} failed: ${errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')).join('; ')}`);
    }
    // Compiled files are ES modules outside the package and import its dependencies.
    await writeFile(path.join(outDir, 'package.json'), '{ "type": "module" }\n');
    await symlink(path.join(ROOT, 'node_modules'), path.join(outDir, 'node_modules'), 'dir');
    return { file: path.join(outDir, entry.replace(/\.ts$/, '.js')), cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
