// Honest failures at the Admin API: only the 2xx asked for (or the 304 of a
// hash check) is success; redirects, HTML error pages, long Retry-After and
// Kong's own error names are reported as they are, and every POST /config is
// counted with its outcome and bytes.
import { expect } from 'chai';
import { KongAdminClient } from '../../src/kong/admin-client.ts';
import type { KongAdminClientOptions } from '../../src/kong/admin-client.ts';
import { KongAdminError, parseKongErrorBody } from '../../src/kong/admin-errors.ts';
import type { ConfigPost } from '../../src/kong/sync-observer.ts';
import { Metrics } from '../../src/observe/metrics.ts';
import { startKongDouble } from '../kong-double/index.ts';
import type { KongDouble } from '../kong-double/index.ts';
import { dblessBody } from '../../src/kong/dbless-body.ts';
import { createTranslator } from '../../src/translate/index.ts';
import { DEFAULT_SETTINGS } from '../../src/config/settings.ts';
import { shopSnapshot } from './fixtures.ts';
import { recording } from './recordings.ts';

async function failure(work: Promise<unknown>): Promise<KongAdminError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof KongAdminError) return error;
    throw error;
  }
  throw new Error('expected a KongAdminError');
}

describe('Admin API failures', () => {
  const doubles: KongDouble[] = [];
  const clients: KongAdminClient[] = [];
  const start = async (mode: 'dbless' | 'db', configLimitBytes?: number): Promise<KongDouble> => {
    const d = await startKongDouble({ mode, ...(configLimitBytes !== undefined ? { configLimitBytes } : {}) });
    doubles.push(d);
    return d;
  };
  const client = (url: string, options: Partial<KongAdminClientOptions> = {}): KongAdminClient => {
    const c = new KongAdminClient({ url, retry: { retries: 4, baseDelayMs: 1, maxDelayMs: 30_000 }, ...options });
    clients.push(c);
    return c;
  };
  const body = (): string => dblessBody(createTranslator().translate(shopSnapshot(), { settings: DEFAULT_SETTINGS }).config);
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await Promise.all(doubles.splice(0).map((d) => d.close()));
  });

  for (const status of [301, 302, 307, 308]) {
    it(`treats a ${status} as a failure that says where it redirects, without following or retrying it`, async () => {
      const kong = await start('dbless');
      kong.redirectNext(status, 'https://admin.example.com:8444/config?x=1', 5);
      const error = await failure(client(kong.url).postConfig(body(), { checkHash: true, contentType: 'application/yaml' }));
      expect(error.status).to.equal(status);
      expect(error.location).to.equal('https://admin.example.com:8444/config?x=1');
      expect(error.message).to.contain(`${status} redirect to https://admin.example.com:8444/config?x=1`);
      expect(kong.requests, 'not retried').to.have.length(1);
      expect(kong.configurationHash(), 'nothing loaded').to.match(/^0+$/);
    });
  }

  it('accepts a 304 only as the answer to a hash check', async () => {
    const kong = await start('dbless');
    const text = body();
    await client(kong.url).postConfig(text, { checkHash: true, contentType: 'application/yaml' });
    expect((await client(kong.url).postConfig(text, { checkHash: true, contentType: 'application/yaml' })).status).to.equal(304);
    kong.failNext(1, 304);
    expect((await failure(client(kong.url).root())).status).to.equal(304);
  });

  it('summarises nginx\'s HTML 413 (as recorded from a real Kong) to its title', async () => {
    const recorded = recording('admin-listing-and-limits.json', 'oversized-body');
    expect(recorded.response.status).to.equal(413);
    const html = String(recorded.response.body);
    expect(parseKongErrorBody(html, String(recorded.response.content_type)).message).to.equal('413 Request Entity Too Large (HTML page)');
    const kong = await start('dbless', 100);
    const raw = await fetch(`${kong.url}/config?flatten_errors=1&check_hash=1`, { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: body() });
    expect([raw.status, raw.headers.get('content-type'), await raw.text()], 'the double answers as the recording').to.deep.equal([413, recorded.response.content_type, html]);
    const error = await failure(client(kong.url).postConfig(body(), { contentType: 'application/yaml' }));
    expect(error.status).to.equal(413);
    expect(error.message).to.match(/413 413 Request Entity Too Large \(HTML page\)$/).and.not.contain('<');
    expect(kong.requests, 'a 413 is not retried').to.have.length(2);
  });

  it('gives up at once on a Retry-After longer than it waits, and says why', async () => {
    const kong = await start('dbless');
    kong.tooManyRequests(3600, 10);
    const slept: number[] = [];
    const started = Date.now();
    const error = await failure(client(kong.url, { sleep: (ms) => { slept.push(ms); return Promise.resolve(); } }).root());
    expect(Date.now() - started).to.be.below(5000);
    expect(slept).to.deep.equal([]);
    expect(error.status).to.equal(429);
    expect(error.message).to.contain('not retried: the gateway asked to wait 3600 s (Retry-After), longer than the 30 s a retry waits');
  });

  it('bounds the total wait of retries and says so', async () => {
    const kong = await start('dbless');
    kong.tooManyRequests(20, 10);
    const slept: number[] = [];
    const error = await failure(client(kong.url, { retry: { retries: 10, baseDelayMs: 1, maxDelayMs: 30_000, maxTotalDelayMs: 50_000 }, sleep: (ms) => { slept.push(ms); return Promise.resolve(); } }).root());
    expect(slept).to.deep.equal([20_000, 20_000]);
    expect(error.message).to.contain('gave up after 3 attempts: another would wait beyond 50 s in all');
  });

  it('keeps Kong\'s error name and the conflicting field of a DB-mode 409', async () => {
    const kong = await start('db');
    const c = client(kong.url);
    await c.post('/services', { name: 's1', host: 'h1.example.com' });
    const error = await failure(c.post('/services', { name: 's1', host: 'h1.example.com' }));
    const recorded = recording('db-mode-crud.json', 'svc-create-dup-name');
    expect(error.status).to.equal(recorded.response.status);
    expect(error.message).to.contain('409 unique constraint violation: UNIQUE violation detected on \'{name="s1"}\' (fields: name=s1)');
  });

  it('counts every POST /config with its outcome, duration and bytes, and does not keep the echoed body', async () => {
    const kong = await start('dbless');
    const small = await start('dbless', 100);
    const posts: ConfigPost[] = [];
    const observer = { configPosted: (_g: string, post: ConfigPost) => { posts.push(post); } };
    const text = body();
    const result = await client(kong.url, { observer }).postConfig(text, { flattenErrors: true, checkHash: true, contentType: 'application/yaml' });
    expect(result.receivedBytes, 'Kong echoes every entity it loaded').to.be.above(0);
    await client(kong.url, { observer }).postConfig(text, { flattenErrors: true, checkHash: true, contentType: 'application/yaml' });
    await failure(client(kong.url, { observer }).postConfig('{_format_version: "3.0", services: [{name: x}]}', { flattenErrors: true, contentType: 'application/yaml' }));
    await failure(client(small.url, { observer }).postConfig(text, { contentType: 'application/yaml' }));
    await small.down();
    await client(small.url, { observer, retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 } }).postConfig(text).catch(() => undefined);
    expect(posts.map((p) => p.outcome)).to.deep.equal(['201', '304', '400', '413', 'transport_error']);
    expect(posts[0]?.sentBytes).to.equal(Buffer.byteLength(text));
    expect(posts[0]?.receivedBytes).to.equal(result.receivedBytes);
    expect(posts.every((p) => p.durationMs >= 0)).to.equal(true);
  });

  it('exposes the push metrics under Prometheus names with the gateway URL redacted', async () => {
    const kong = await start('dbless');
    const metrics = new Metrics();
    const withCredentials = kong.url.replace('http://', 'http://admin:s3cret@');
    await client(withCredentials, { observer: metrics.kongObserver('db-less') }).postConfig(body(), { contentType: 'application/yaml' });
    const text = await metrics.registry.metrics();
    expect(text).to.contain(`meshdoor_kong_config_posts_total{dataplane="${kong.url}",outcome="201"} 1`);
    expect(text).to.match(/meshdoor_kong_config_post_duration_seconds_count\{dataplane="[^"]+",outcome="201"\} 1/);
    expect(text).to.match(/meshdoor_kong_config_sent_bytes_total\{dataplane="[^"]+"\} [1-9]/);
    expect(text).to.match(/meshdoor_kong_config_received_bytes_total\{dataplane="[^"]+"\} [1-9]/);
    expect(text).to.not.contain('s3cret');
  });

  it('says a 2xx answer that is not JSON is not the Admin API, without the page', async () => {
    const html = '<html><head><title>Welcome to nginx!</title></head><body>'.padEnd(5000, 'x');
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => { res.writeHead(200, { 'Content-Type': 'text/html' }); res.end(html); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    try {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      const error = await client(`http://127.0.0.1:${port}`).root().then(() => undefined, (e: unknown) => e);
      expect(error).to.be.instanceOf(Error);
      expect((error as Error).message).to.equal(`GET http://127.0.0.1:${port}/: 200 answer is not JSON (Welcome to nginx! (HTML page)); is this the Admin API?`);
    } finally {
      server.close();
    }
  });
});
