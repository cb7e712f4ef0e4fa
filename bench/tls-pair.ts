// One real self-signed certificate and key, made once with openssl and reused
// by every generated TLS Secret (the translator checks that they parse and
// match, not which hosts the certificate names). Cached in the temp dir so
// child processes and later runs share it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TlsPair {
  cert: string;
  key: string;
}

const CACHE_DIR = path.join(os.tmpdir(), 'meshdoor-bench-tls');

let cached: TlsPair | undefined;

function generate(dir: string): void {
  const work = `${dir}.tmp-${process.pid}`;
  mkdirSync(work, { recursive: true });
  // RSA 2048: what cert-manager and most clusters issue by default.
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '3650', '-subj', '/CN=bench.meshdoor.test',
    '-keyout', path.join(work, 'tls.key'), '-out', path.join(work, 'tls.crt'),
  ], { stdio: 'ignore' });
  try {
    renameSync(work, dir);
  } catch {
    // Another process made it first; its pair is as good as ours.
  }
}

/** The shared certificate/key pair (PEM). */
export function benchTlsPair(): TlsPair {
  if (cached) return cached;
  if (!existsSync(path.join(CACHE_DIR, 'tls.crt'))) generate(CACHE_DIR);
  cached = {
    cert: readFileSync(path.join(CACHE_DIR, 'tls.crt'), 'utf8'),
    key: readFileSync(path.join(CACHE_DIR, 'tls.key'), 'utf8'),
  };
  return cached;
}
