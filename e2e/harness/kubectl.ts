// Runs the e2e kubectl binary; every call is a separate, bounded process.
import { spawn } from 'node:child_process';
import process from 'node:process';

export interface KubectlOptions {
  kubeconfig?: string;
  /** Piped to stdin (e.g. a manifest for `apply -f -`). */
  stdin?: string;
  /** Resolve with a non-zero code instead of throwing. */
  allowFailure?: boolean;
  timeoutMs?: number;
  /** Extra environment variables for the child. */
  env?: Record<string, string>;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runKubectl(kubectl: string, args: string[], options: KubectlOptions = {}): Promise<KubectlResult> {
  const fullArgs = options.kubeconfig ? [`--kubeconfig=${options.kubeconfig}`, ...args] : args;
  return new Promise((resolve, reject) => {
    const child = spawn(kubectl, fullArgs, {
      stdio: ['pipe', 'pipe', 'pipe'], timeout: options.timeoutMs ?? 60_000,
      ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const result = { code: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
      if (result.code === 0 || options.allowFailure) resolve(result);
      else reject(new Error(`kubectl ${args.join(' ')} failed (${signal ?? result.code}):\n${result.stderr.trim()}`));
    });
    child.stdin.end(options.stdin ?? '');
  });
}
