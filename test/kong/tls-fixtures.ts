// A throwaway CA, server and client certificate (EC P-256) made with openssl,
// for the HTTPS tests of the Admin API client.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TlsMaterial {
  ca: string;
  serverKey: string;
  serverCert: string;
  clientKey: string;
  clientCert: string;
}

export function makeTlsMaterial(): TlsMaterial {
  const dir = mkdtempSync(join(tmpdir(), 'meshdoor-tls-'));
  const run = (...args: string[]): void => { execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' }); };
  const key = (name: string): void => run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${name}.key`);
  try {
    key('ca');
    run('req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=meshdoor test CA', '-days', '2', '-out', 'ca.crt');
    for (const [name, subject, ext] of [
      ['server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1,DNS:kong-admin.kong.svc'],
      ['client', '/CN=meshdoor', 'extendedKeyUsage=clientAuth'],
    ] as const) {
      key(name);
      run('req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`);
      writeFileSync(join(dir, `${name}.ext`), `${ext}\n`);
      run('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`);
    }
    const read = (file: string): string => readFileSync(join(dir, file), 'utf8');
    return { ca: read('ca.crt'), serverKey: read('server.key'), serverCert: read('server.crt'), clientKey: read('client.key'), clientCert: read('client.crt') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
