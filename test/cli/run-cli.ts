// Runs bin/meshdoor.js as a user does, as a separate process.
import { spawn } from 'node:child_process';
import process from 'node:process';

export const BIN = new URL('../../bin/meshdoor.js', import.meta.url).pathname;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { stdin?: string; env?: Record<string, string>; node?: string; bin?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.node ?? process.execPath, [options.bin ?? BIN, ...args], {
      env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'], timeout: 60_000,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => { resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }); });
    child.stdin.end(options.stdin ?? '');
  });
}
