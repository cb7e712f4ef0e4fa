import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { parse } from 'yaml';
import { run as runRoutes } from '../../src/cli/routes-command.ts';
import { run as runTranslate } from '../../src/cli/translate-command.ts';
import type { KongConfig } from '../../src/model/index.ts';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
const golden = (name: string) => fileURLToPath(new URL(`../golden/${name}/in.yaml`, import.meta.url));

async function capture(body: () => Promise<number>): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const originalOut = process.stdout.write.bind(process.stdout);
  const originalErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string) => { out.push(String(chunk)); return true; });
  process.stderr.write = ((chunk: string) => { err.push(String(chunk)); return true; });
  try {
    const code = await body();
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = originalOut;
    process.stderr.write = originalErr;
  }
}

describe('meshdoor translate', () => {
  it('prints decK-compatible YAML for the examples, both scenarios and the plugin one, no failures', async () => {
    const { code, stdout, stderr } = await capture(() => runTranslate(['-f', examples]));
    expect(code).to.equal(0);
    // Offline: said once, naming the plugins, and nothing else.
    expect(stderr).to.equal('meshdoor: plugin schema check skipped (no gateway gave the plugin schemas): the configurations of key-auth, rate-limiting were checked for structure only; Kong may still refuse a value\n');
    expect(stdout).to.match(/^_format_version: "3.0"\n/);
    const config = parse(stdout) as KongConfig;
    expect(config.services.map((s) => [s.name, s.host, s.port])).to.deep.equal([
      ['kong.front-anyzone.http', 'frontend.mzsvc.mesh.local', 8080],
      ['kong.front-zone2.8080', 'frontend.kong.svc.zone-2.mesh.local', 8080],
      ['kong.front.80', 'frontend.kong.svc.80.mesh', 80],
      ['kong.frontend.80', 'frontend.kong.svc.cluster.local', 80],
      ['kong.orders.80', 'orders.kong.svc.cluster.local', 80],
    ]);
    const routeIds = new Map(config.services.flatMap((s) => s.routes).map((r) => [r.id, r.name]));
    expect((config.plugins ?? []).map((p) => [p.name, routeIds.get(p.route?.id ?? '')]).sort()).to.deep.equal([
      ['key-auth', 'kong.orders-keyauth.orders.keyauth.example.com.80'],
      ['rate-limiting', 'kong.orders-limited.orders.ratelimited.example.com.80'],
    ]);
    expect((config.consumers ?? []).map((c) => [c.username, c.keyauth_credentials.length])).to.deep.equal([['demo-user', 1]]);
  });

  it('reads KongPlugins from manifests and withholds an Ingress whose plugin is missing', async () => {
    const { code, stdout, stderr } = await capture(() => runTranslate(['-f', golden('plugins')]));
    expect(code).to.equal(0);
    expect(stderr).to.match(/in\.yaml \(document \d+\): Ingress shop\/typo: PluginNotFound: konghq\.com\/plugins: 'rate-limit'/);
    expect(stderr.match(/plugin schema check skipped/g)).to.have.length(1);
    expect(stdout).to.not.contain('typo.example.com');
  });

  it('prints JSON with -o json', async () => {
    const { code, stdout } = await capture(() => runTranslate(['-f', examples, '--output', 'json']));
    expect(code).to.equal(0);
    expect((JSON.parse(stdout) as KongConfig)._format_version).to.equal('3.0');
  });

  it('writes failures to stderr as readable lines and still exits 0', async () => {
    const { code, stderr } = await capture(() => runTranslate(['-f', golden('bad-inputs')]));
    expect(code).to.equal(0);
    expect(stderr).to.contain('Ingress default/broken: ServiceNotFound: Service default/nope does not exist\n');
  });

  it('applies the MeshDoor chosen with --meshdoor', async () => {
    const { stdout } = await capture(() => runTranslate(['-f', golden('endpoints-mode'), '--meshdoor', 'default']));
    expect(stdout).to.contain('target: 10.0.0.11:8080');
  });

  const usageErrors: string[][] = [['--bogus'], ['-f', examples, '-o', 'xml'], [], ['-f', examples, 'extra']];
  for (const argv of usageErrors) {
    it(`exits 2 with a message on bad usage: ${JSON.stringify(argv)}`, async () => {
      const { code, stderr } = await capture(() => runTranslate(argv));
      expect(code).to.equal(2);
      expect(stderr).to.match(/^meshdoor: /);
    });
  }

  it('rejects unreadable input with an error naming it', async () => {
    await capture(() => runTranslate(['-f', '/nonexistent/manifests'])).then(
      () => expect.fail('should reject'),
      (err: Error) => expect(err.message).to.contain('/nonexistent/manifests'),
    );
  });

  it('prints help', async () => {
    const { code, stdout } = await capture(() => runTranslate(['--help']));
    expect(code).to.equal(0);
    expect(stdout).to.contain('usage: meshdoor translate');
  });
});

describe('meshdoor routes', () => {
  it('shows host, path, type, route and backend for the examples', async () => {
    const { code, stdout } = await capture(() => runRoutes(['-f', examples]));
    expect(code).to.equal(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).to.match(/^HOST\s+PATH\s+TYPE\s+ROUTE\s+BACKEND\s+PLUGINS$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/))).to.deep.equal([
      ['*', '/', 'Prefix', 'kong.demo.frontend..80', 'frontend.kong:80 -> frontend.kong.svc.cluster.local:80', '-'],
      ['anyzone.example.com', '/', 'Prefix', 'kong.demo-meshservice.front-anyzone.anyzone.example.com.http', 'front-anyzone.kong:http -> frontend.mzsvc.mesh.local:8080', '-'],
      ['keyauth.example.com', '/', 'Prefix', 'kong.orders-keyauth.orders.keyauth.example.com.80', 'orders.kong:80 -> orders.kong.svc.cluster.local:80', 'key-auth'],
      ['multizone.example.com', '/', 'Prefix', 'kong.demo-multizone.front.multizone.example.com.80', 'front.kong:80 -> frontend.kong.svc.80.mesh:80', '-'],
      ['ratelimited.example.com', '/', 'Prefix', 'kong.orders-limited.orders.ratelimited.example.com.80', 'orders.kong:80 -> orders.kong.svc.cluster.local:80', 'rate-limiting'],
      ['zone2.example.com', '/', 'Prefix', 'kong.demo-meshservice.front-zone2.zone2.example.com.8080', 'front-zone2.kong:8080 -> frontend.kong.svc.zone-2.mesh.local:8080', '-'],
    ]);
  });

  it('has no PLUGINS column when no route has plugins', async () => {
    const { stdout } = await capture(() => runRoutes(['-f', golden('single-zone')]));
    expect(stdout.split('\n')[0]).to.match(/^HOST\s+PATH\s+TYPE\s+ROUTE\s+BACKEND$/);
  });

  it('lists failures below the table', async () => {
    const { stdout } = await capture(() => runRoutes(['-f', golden('conflicts')]));
    expect(stdout).to.match(/\nfailures:\n\S*in\.yaml \(document \d+\): Ingress team-b\/api: PathConflict: /);
    expect(stdout).to.match(/api\.example\.com\s+\/api\s+Exact\s+team-b\.api\.api-v2\.api\.example\.com\.8080\.exact\s+api-v2\.team-b:8080 -> /);
  });
});

describe('meshdoor demo (npm start)', () => {
  it('translates the bundled examples from any working directory', async function () {
    this.timeout(30000);
    const bin = fileURLToPath(new URL('../../bin/meshdoor.js', import.meta.url));
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, 'demo'], { cwd: '/' });
    expect(stderr).to.equal('');
    expect(stdout).to.contain('=== meshdoor translate -f examples/');
    expect(stdout).to.contain('name: kong.demo-multizone.front.multizone.example.com.80');
    expect(stdout).to.contain('=== meshdoor routes -f examples/');
    expect(stdout).to.not.contain('=== failures');
  });
});
