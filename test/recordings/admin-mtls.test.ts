// Admin API mutual TLS as nginx in front of a real Kong 3.9.3 answered it
// (nginx_admin_ssl_verify_client on): the answers come from nginx, before
// Kong sees the request, and the double must give the same ones.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startKongDouble } from '../kong-double/index.ts';
import type { KongDouble } from '../kong-double/index.ts';
import { makeTlsMaterial } from '../kong/tls-fixtures.ts';
import type { TlsMaterial } from '../kong/tls-fixtures.ts';
import type { ReplayAnswer } from './http-replay.ts';
import type { RecordedCase, RecordedFile } from './recording-types.ts';
import { readRecording } from './recordings-dir.ts';
import { answerProblems } from './replay-case.ts';

/** Cases not replayed, with the reason. */
export const SKIPPED: Record<string, string> = {};

/** A client certificate no trusted CA signed. */
function selfSignedClient(): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'meshdoor-mtls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=stranger',
      '-days', '2', '-keyout', 'k.pem', '-out', 'c.pem'], { cwd: dir, stdio: 'ignore' });
    return { cert: readFileSync(join(dir, 'c.pem'), 'utf8'), key: readFileSync(join(dir, 'k.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Client = { plain: true } | { cert?: string; key?: string };

function send(port: number, path: string, ca: string, client: Client): Promise<ReplayAnswer> {
  return new Promise((resolve, reject) => {
    const onAnswer = (res: http.IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const contentType = res.headers['content-type'] ?? null;
        resolve({ status: res.statusCode ?? 0, contentType, body: contentType?.includes('json') ? JSON.parse(text) as unknown : text });
      });
    };
    const req = 'plain' in client
      ? http.request({ host: '127.0.0.1', port, path }, onAnswer)
      : https.request({ host: '127.0.0.1', port, path, ca, ...client, agent: false }, onAnswer);
    req.on('error', reject);
    req.end();
  });
}

/** `/status` of the trusted case: the recording keeps its shape, not its counters. */
function statusShape(body: unknown): unknown {
  const status = body as { configuration_hash?: unknown; server?: unknown; memory?: unknown };
  return { configuration_hash: /^[0-9a-f]{32}$/.test(String(status.configuration_hash)), server: status.server !== undefined, memory: status.memory !== undefined };
}

describe('Kong recordings', () => {
  const file = readRecording<RecordedFile>('admin-mtls.json');
  describe(`admin mutual TLS, ${file.cases.length} cases`, () => {
    let kong: KongDouble;
    let tls: TlsMaterial;
    let stranger: { cert: string; key: string };
    before(async function () {
      this.timeout(20_000);
      tls = makeTlsMaterial();
      stranger = selfSignedClient();
      kong = await startKongDouble({ mode: 'dbless', version: file.kong_version, tls: { key: tls.serverKey, cert: tls.serverCert, ca: tls.ca, requestCert: true } });
    });
    after(async () => { await kong.close(); });

    const clients: Record<string, () => Client> = {
      'no-client-certificate': () => ({}),
      'plain-http-to-tls-listener': () => ({ plain: true }),
      'client-certificate-signed-by-trusted-ca': () => ({ cert: tls.clientCert, key: tls.clientKey }),
      'client-certificate-from-another-ca': () => stranger,
    };

    for (const kase of file.cases) {
      const reason = SKIPPED[kase.name] ?? (clients[kase.name] ? undefined : 'no client set-up for this case');
      if (reason !== undefined) {
        it.skip(`${kase.name}: ${reason}`);
        continue;
      }
      it(`${kase.name}${kase.note ? ` (${kase.note})` : ''}`, async () => {
        const client = clients[kase.name]?.() ?? {};
        const answer = await send(kong.port, kase.request.path, tls.ca, client);
        const trusted = answer.status === 200 && kase.response.status === 200;
        const recorded: RecordedCase = trusted ? { ...kase, response: { ...kase.response, body: { configuration_hash: true, server: true, memory: true } } } : kase;
        const problems = answerProblems(recorded, trusted ? { ...answer, body: statusShape(answer.body) } : answer);
        expect(problems, problems.join('\n')).to.deep.equal([]);
      });
    }
  });
});
