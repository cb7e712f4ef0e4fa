import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { expect } from 'chai';
import { stringify } from 'yaml';
import { run as runDiff } from '../../src/cli/diff-command.ts';
import { run as runSync } from '../../src/cli/sync-command.ts';
import { startKongDouble } from '../kong-double/index.ts';
import type { KongDouble } from '../kong-double/index.ts';
import { shopSnapshot } from './fixtures.ts';
import { ADMIN_SERVER_NAME, makeMtlsMaterial } from './mtls-fixtures.ts';

/** Runs a command, capturing what it prints. */
async function capture(run: (argv: string[]) => Promise<number>, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const write = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  process.stdout.write = ((chunk: string | Uint8Array) => { out += String(chunk); return true; });
  process.stderr.write = ((chunk: string | Uint8Array) => { err += String(chunk); return true; });
  try {
    return { code: await run(argv), out, err };
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
  }
}

describe('meshdoor sync / diff commands', () => {
  let dir: string;
  let manifests: string;
  const doubles: KongDouble[] = [];
  const start = async (mode: 'dbless' | 'db', extra: { requireToken?: string } = {}): Promise<KongDouble> => {
    const d = await startKongDouble({ mode, ...extra });
    doubles.push(d);
    return d;
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'meshdoor-sync-'));
    const s = shopSnapshot();
    manifests = join(dir, 'shop.yaml');
    writeFileSync(manifests, [...s.IngressClass, ...s.Service, ...s.Ingress].map((o) => stringify(o)).join('---\n'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => { await Promise.all(doubles.splice(0).map((d) => d.close())); });

  for (const mode of ['dbless', 'db'] as const) {
    it(`sync --once converges a ${mode} gateway; a second run writes nothing`, async () => {
      const kong = await start(mode);
      const first = await capture(runSync, ['--once', '-f', manifests, '--kong-admin-url', kong.url]);
      expect(first.code).to.equal(0);
      expect(first.out).to.match(new RegExp(`${kong.url}\\s+${mode}\\s+pushed`));
      expect(kong.writes()).to.have.length(mode === 'dbless' ? 1 : 4);
      kong.clearRequests();
      const second = await capture(runSync, ['--once', '-f', manifests, '--kong-admin-url', kong.url]);
      expect(second.code).to.equal(0);
      expect(second.out).to.match(/skipped/);
      expect(kong.writes()).to.deep.equal([]);
      expect(kong.route({ host: 'shop.example.com', path: '/' }).service?.name).to.equal('shop.frontend.80');
    });
  }

  it('exits 1 when a gateway could not be converged, after converging the others', async () => {
    const up = await start('dbless');
    const down = await start('dbless');
    await down.down();
    const result = await capture(runSync, ['--once', '-f', manifests, '--kong-admin-url', down.url, '--kong-admin-url', up.url, '--kong-timeout', '500', '--kong-retries', '0']);
    expect(result.code).to.equal(1);
    expect(result.out).to.match(/pushed/).and.match(/failed/).and.match(/error: .*ECONNREFUSED/);
    expect(up.state.routes).to.have.length(2);
  });

  it('reads the admin token from a file', async () => {
    const kong = await start('db', { requireToken: 'file-token-77' });
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, 'file-token-77\n');
    const result = await capture(runSync, ['--once', '-f', manifests, '--kong-admin-url', kong.url, '--kong-admin-token-file', tokenFile]);
    expect(result.code).to.equal(0);
    expect(result.out + result.err).to.not.contain('file-token-77');
    expect(kong.state.services).to.have.length(2);
  });

  it('sync and diff take the client certificate flags to a gateway that requires mutual TLS', async function () {
    this.timeout(20_000);
    const tls = await makeMtlsMaterial();
    const kong = await startKongDouble({ mode: 'dbless', tls: { key: tls.server.key, cert: tls.server.cert, ca: tls.ca.cert, requestCert: true } });
    doubles.push(kong);
    const file = (name: string, text: string): string => { writeFileSync(join(dir, name), text); return join(dir, name); };
    const ca = ['--kong-ca-file', file('ca.crt', tls.ca.cert), '--kong-server-name', ADMIN_SERVER_NAME];
    const client = ['--kong-client-cert-file', file('client.crt', tls.client.cert), '--kong-client-key-file', file('client.key', tls.client.key)];
    const refused = await capture(runSync, ['--once', '-f', manifests, '--kong-admin-url', kong.url, ...ca]);
    expect(refused.code).to.equal(1);
    expect(refused.out).to.contain(`error: ${kong.url}`).and.to.contain('requires a client certificate and meshdoor has none');
    const diff = await capture(runDiff, ['-f', manifests, '--kong-admin-url', kong.url, ...ca, ...client]);
    expect(diff.code, `differences found: ${diff.err}`).to.equal(1);
    expect(diff.out).to.match(/to create/);
    const synced = await capture(runSync, ['--once', '-f', manifests, '--kong-admin-url', kong.url, ...ca, ...client]);
    expect(synced.code, synced.out).to.equal(0);
    expect(kong.route({ host: 'shop.example.com', path: '/' }).service?.name).to.equal('shop.frontend.80');
  });

  it('answers usage mistakes with exit code 2', async () => {
    expect((await capture(runSync, ['-f', manifests])).code).to.equal(2);
    expect((await capture(runSync, ['-f', manifests, '--kong-admin-url', 'ftp://x'])).code).to.equal(2);
    expect((await capture(runSync, ['-f', manifests, '--kong-admin-url', 'http://127.0.0.1:1', '--kong-mode', 'both'])).code).to.equal(2);
    expect((await capture(runDiff, ['--bogus'])).code).to.equal(2);
  });

  for (const mode of ['dbless', 'db'] as const) {
    it(`diff shows entity changes on a ${mode} gateway without writing`, async () => {
      const kong = await start(mode);
      const before = await capture(runDiff, ['-f', manifests, '--kong-admin-url', kong.url]);
      expect(before.code, 'differences: exit 1, as kubectl diff').to.equal(1);
      expect(before.out).to.contain('+ service shop.frontend.80').and.contain('+ route shop.web.frontend.shop.example.com.80');
      expect(before.out).to.contain('4 to create, 0 to update, 0 to delete');
      expect(kong.writes()).to.deep.equal([]);

      await capture(runSync, ['--once', '-f', manifests, '--kong-admin-url', kong.url]);
      expect((await capture(runDiff, ['-f', manifests, '--kong-admin-url', kong.url])).code, 'no differences: exit 0').to.equal(0);
      const edited = shopSnapshot();
      const api = edited.Ingress.find((i) => i.metadata?.name === 'api');
      const path = api?.spec?.rules?.[0]?.http?.paths[0];
      if (path) path.path = '/v2';
      const changed = join(dir, `changed-${mode}.yaml`);
      writeFileSync(changed, [...edited.IngressClass, ...edited.Service, ...edited.Ingress.filter((i) => i.metadata?.name === 'api')].map((o) => stringify(o)).join('---\n'));
      kong.clearRequests();
      const after = await capture(runDiff, ['-f', changed, '--kong-admin-url', kong.url]);
      expect(after.out).to.contain('~ route shop.api.orders.api.example.com.80 (fields: paths)');
      expect(after.out).to.contain('- route shop.web.frontend.shop.example.com.80').and.contain('- service shop.frontend.80');
      expect(kong.writes()).to.deep.equal([]);
    });
  }

  it('sync --once exits 3 when Kong rejected an object, and says which', async () => {
    const kong = await start('dbless');
    kong.rejectEntity('shop.frontend.80');
    const result = await capture(runSync, ['--once', '-f', manifests, '--kong-admin-url', kong.url]);
    expect(result.code).to.equal(3);
    expect(result.out).to.match(/pushed/).and.match(/rejected: .*Service shop\/frontend/);
  });

  it('sync --once exits 1 on a 405 (wrong mode forced) and keeps Kong\'s message', async () => {
    const kong = await start('dbless');
    const result = await capture(runSync, ['--once', '-f', manifests, '--kong-admin-url', kong.url, '--kong-mode', 'db']);
    expect(result.code).to.equal(1);
    expect(result.out).to.contain('405 operation unsupported: cannot create');
  });

  it('sync --once exits 1 on a redirect, says where it points, and never shows Synced', async () => {
    const kong = await start('dbless');
    kong.redirectNext(308, 'https://kong-admin.example.com:8444/', 20);
    const result = await capture(runSync, ['--once', '-f', manifests, '--kong-admin-url', kong.url, '--kong-mode', 'dbless']);
    expect(result.code).to.equal(1);
    expect(result.out).to.match(/failed/).and.contain('308 redirect to https://kong-admin.example.com:8444');
    expect(kong.state.routes).to.deep.equal([]);
  });

  it('sync --once does not wait out a Retry-After of an hour, and says why it stopped', async () => {
    const kong = await start('dbless');
    kong.tooManyRequests(3600, 50);
    const started = Date.now();
    const result = await capture(runSync, ['--once', '-f', manifests, '--kong-admin-url', kong.url, '--kong-mode', 'dbless']);
    expect(Date.now() - started).to.be.below(5000);
    expect(result.code).to.equal(1);
    expect(result.out).to.contain('Retry-After');
    expect(result.err).to.contain('stopped: one attempt (--once)');
  });

  it('sync without --once does not try a refused body again', async () => {
    const kong = await startKongDouble({ mode: 'dbless', configLimitBytes: 100 });
    doubles.push(kong);
    const result = await capture(runSync, ['-f', manifests, '--kong-admin-url', kong.url]);
    expect(result.code).to.equal(1);
    expect(result.out).to.contain('configuration too large').and.contain('nginx_admin_client_max_body_size');
    expect(result.err).to.contain('stopped: the gateways refused the configuration');
    expect(kong.requests.filter((r) => r.path === '/config')).to.have.length(1);
  });

  it('says the mode is unknown when GET / cannot be read, instead of showing dbless', async () => {
    const kong = await start('db');
    kong.redirectNext(301, 'http://elsewhere.example.com/', 50);
    const result = await capture(runSync, ['--once', '-f', manifests, '--kong-admin-url', kong.url, '--router-flavor', 'traditional_compatible']);
    expect(result.code).to.equal(1);
    expect(result.out).to.match(/\s+unknown\s+failed/).and.contain('could not read the gateway\'s mode');
    expect(result.out).to.not.match(/\s+dbless\s+failed/);
  });

  it('never prints the credentials of --kong-admin-url', async () => {
    const kong = await start('dbless');
    const url = kong.url.replace('http://', 'http://admin:s3cret-pw@');
    kong.redirectNext(302, url.replace(/:\d+$/, ':1/'), 1);
    const results = [
      await capture(runSync, ['--once', '-f', manifests, '--kong-admin-url', url, '--kong-mode', 'dbless']),
      await capture(runSync, ['--once', '-f', manifests, '--kong-admin-url', url]),
      await capture(runDiff, ['-f', manifests, '--kong-admin-url', url]),
      await capture(runSync, ['--once', '-f', manifests, '--kong-admin-url', url.replace('http', 'ftp')]),
    ];
    expect(results.map((r) => r.code)).to.deep.equal([1, 0, 0, 2]);
    for (const r of results) expect(r.out + r.err).to.not.contain('s3cret-pw');
    expect(results[1]?.out).to.contain(kong.url);
  });
});
