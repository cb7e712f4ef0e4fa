import { inspect } from 'node:util';
import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import { KongAdminClient } from '../../src/kong/admin-client.ts';
import type { KongAdminClientOptions } from '../../src/kong/admin-client.ts';
import { KongAdminError, KongNetworkError } from '../../src/kong/admin-errors.ts';
import { detectKongGateway } from '../../src/kong/gateway-info.ts';
import { startKongDouble } from '../kong-double/index.ts';
import type { KongDouble } from '../kong-double/index.ts';
import { recordingLogger } from './fixtures.ts';
import { makeTlsMaterial } from './tls-fixtures.ts';

type Clock = ReturnType<typeof FakeTimers.createClock>;

/** Runs `work` while firing the fake clock's timers as soon as they are set; returns the delays slept. */
async function withClock<T>(clock: Clock, work: Promise<T>): Promise<{ result: PromiseSettledResult<T>; delays: number[] }> {
  const delays: number[] = [];
  let settled: PromiseSettledResult<T> | undefined;
  void work.then((value) => { settled = { status: 'fulfilled', value }; }, (reason: unknown) => { settled = { status: 'rejected', reason }; });
  while (settled === undefined) {
    if (clock.countTimers() > 0) {
      const before = clock.now;
      clock.next();
      delays.push(clock.now - before);
    } else {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
  return { result: settled, delays };
}

describe('Kong Admin API client', () => {
  let double: KongDouble;
  let clock: Clock;
  const clients: KongAdminClient[] = [];
  const client = (options: Partial<KongAdminClientOptions> = {}): KongAdminClient => {
    const c = new KongAdminClient({
      url: double.url, sleep: (ms) => new Promise<void>((resolve) => { clock.setTimeout(() => resolve(), ms); }), random: () => 0.5,
      now: () => clock.now, retry: { retries: 4, baseDelayMs: 100, maxDelayMs: 10_000 }, ...options,
    });
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    double = await startKongDouble({ mode: 'db' });
    clock = FakeTimers.createClock();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await double.close();
  });

  describe('retries', () => {
    it('retries 5xx with exponential backoff and jitter, then succeeds', async () => {
      double.failNext(3, 503);
      const { result, delays } = await withClock(clock, client().root());
      expect(result.status).to.equal('fulfilled');
      // equal jitter with random 0.5: 3/4 of 100, 200, 400 ms
      expect(delays).to.deep.equal([75, 150, 300]);
      expect(double.requests.map((r) => r.status)).to.deep.equal([503, 503, 503, 200]);
    });

    it('spreads retries with jitter between half and all of each step', async () => {
      double.failNext(2, 502);
      const c = client({ random: () => 0 });
      const low = await withClock(clock, c.root());
      double.failNext(2, 502);
      const c2 = client({ random: () => 0.999999 });
      const high = await withClock(clock, c2.root());
      expect(low.delays).to.deep.equal([50, 100]);
      expect(high.delays).to.deep.equal([100, 200]);
    });

    it('honours Retry-After on 429', async () => {
      double.tooManyRequests(7);
      const { result, delays } = await withClock(clock, client().postConfig('{}'));
      expect(delays).to.deep.equal([7000]);
      expect(double.requests.map((r) => r.status)).to.deep.equal([429, 400]);
      expect(result.status).to.equal('rejected');
    });

    it('never retries a 400', async () => {
      const { result, delays } = await withClock(clock, client().put('/services/bad', { host: 'example.com', bogus: 1 }));
      expect(delays).to.deep.equal([]);
      expect(double.requests).to.have.length(1);
      expect(result.status).to.equal('rejected');
      const error = (result as PromiseRejectedResult).reason as KongAdminError;
      expect(error).to.be.instanceOf(KongAdminError);
      expect(error.status).to.equal(400);
    });

    it('retries network errors until the gateway is back', async () => {
      await double.down();
      const work = client().root();
      const firstSleep = async (): Promise<void> => { while (clock.countTimers() === 0) await new Promise((r) => setTimeout(r, 2)); };
      await firstSleep();
      await double.up();
      const { result, delays } = await withClock(clock, work);
      expect(result.status).to.equal('fulfilled');
      expect(delays).to.have.length(1);
    });

    it('gives up after the configured retries with the last error', async () => {
      double.failNext(10, 500);
      const { result, delays } = await withClock(clock, client({ retry: { retries: 2, baseDelayMs: 100, maxDelayMs: 1000 } }).root());
      expect(delays).to.have.length(2);
      expect(double.requests).to.have.length(3);
      expect(((result as PromiseRejectedResult).reason as KongAdminError).status).to.equal(500);
    });

    it('times out a slow gateway as a network error', async () => {
      double.slow(300);
      const { result } = await withClock(clock, client({ timeoutMs: 50, retry: { retries: 0 } }).root());
      const error = (result as PromiseRejectedResult).reason as KongNetworkError;
      expect(error).to.be.instanceOf(KongNetworkError);
      expect(error.code).to.equal('ETIMEDOUT');
    });
  });

  describe('errors and paging', () => {
    it('parses Kong error bodies into a typed error', async () => {
      const c = client();
      await c.put('/services/one', { host: 'one.internal' });
      const error = await c.post('/services', { name: 'one', host: 'other.internal' }).catch((e: unknown) => e) as KongAdminError;
      expect(error).to.be.instanceOf(KongAdminError);
      expect(error).to.include({ status: 409, code: 5, name: 'unique constraint violation' });
      expect(error.fields).to.deep.equal({ name: 'one' });
      expect(error.message).to.contain('POST').and.contain('/services').and.contain('UNIQUE violation');
    });

    it('keeps flattened_errors from POST /config', async () => {
      const dbless = await startKongDouble({ mode: 'dbless' });
      try {
        dbless.rejectEntity('svc');
        const c = new KongAdminClient({ url: dbless.url });
        clients.push(c);
        const body = JSON.stringify({ _format_version: '3.0', services: [{ name: 'svc', host: 'svc.internal', tags: ['k8s-kind:Service'] }] });
        const error = await c.postConfig(body, { flattenErrors: true }).catch((e: unknown) => e) as KongAdminError;
        expect(error.status).to.equal(400);
        expect(error.code).to.equal(14);
        expect(error.flattenedErrors?.[0]).to.deep.include({ entity_type: 'service', entity_name: 'svc', entity_tags: ['k8s-kind:Service'] });
      } finally {
        await dbless.close();
      }
    });

    it('follows pages until Kong reports no next page, keeping the tag filter', async () => {
      const c = client();
      await Promise.all(Array.from({ length: 250 }, (_, i) => c.put(`/services/s${i}`, { host: 'x.internal', tags: i % 2 === 0 ? ['even', 'all'] : ['all'] })));
      double.clearRequests();
      const all = await c.listAll<{ name: string }>('/services', { size: 100 });
      expect(all).to.have.length(250);
      expect(new Set(all.map((s) => s.name)).size).to.equal(250);
      expect(double.requests).to.have.length(3);

      double.clearRequests();
      const even = await c.listAll<{ name: string; tags: string[] }>('/services', { size: 100, tags: ['all', 'even'] });
      expect(even).to.have.length(125);
      expect(even.every((s) => s.tags.includes('even'))).to.equal(true);
      expect(double.requests.every((r) => r.query.includes('tags=all%2Ceven'))).to.equal(true);
    });
  });

  describe('security', () => {
    it('sends the admin token as a header and never shows it in errors, logs or inspection', async () => {
      await double.close();
      double = await startKongDouble({ mode: 'db', requireToken: 's3cr3t-token' });
      const logger = recordingLogger();
      const withToken = client({ token: 's3cr3t-token', logger });
      double.failNext(1, 500);
      await withClock(clock, withToken.root());
      expect(double.requests.at(-1)?.headers['kong-admin-token']).to.equal('s3cr3t-token');

      const wrongToken = client({ token: 'wr0ng-token', logger, retry: { retries: 0 } });
      const error = await wrongToken.root().catch((e: unknown) => e) as KongAdminError;
      expect(error.status).to.equal(401);
      const everything = [error.message, error.stack ?? '', inspect(error), inspect(withToken), inspect(wrongToken), JSON.stringify(error), ...logger.lines].join('\n');
      expect(logger.lines.length).to.be.greaterThan(0);
      expect(everything).to.not.contain('s3cr3t-token');
      expect(everything).to.not.contain('wr0ng-token');
    });

    it('does not print user info embedded in the admin URL', async () => {
      const c = client({ url: double.url.replace('http://', 'http://admin:pa55word@'), retry: { retries: 0 } });
      double.failNext(1, 500);
      const error = await c.root().catch((e: unknown) => e) as Error;
      expect(error.message).to.not.contain('pa55word');
      expect(c.gateway).to.not.contain('pa55word');
    });

    it('talks HTTPS with a custom CA bundle and a client certificate', async function () {
      this.timeout(20_000);
      const tls = makeTlsMaterial();
      const secure = await startKongDouble({ mode: 'dbless', tls: { key: tls.serverKey, cert: tls.serverCert, ca: tls.ca, requestCert: true } });
      try {
        const good = new KongAdminClient({ url: secure.url, ca: tls.ca, cert: tls.clientCert, key: tls.clientKey, retry: { retries: 0 } });
        const noClientCert = new KongAdminClient({ url: secure.url, ca: tls.ca, retry: { retries: 0 } });
        const noCa = new KongAdminClient({ url: secure.url, cert: tls.clientCert, key: tls.clientKey, retry: { retries: 0 } });
        const byName = new KongAdminClient({ url: secure.url, ca: tls.ca, cert: tls.clientCert, key: tls.clientKey, serverName: 'kong-admin.kong.svc', retry: { retries: 0 } });
        clients.push(good, noClientCert, noCa, byName);
        expect((await detectKongGateway(good)).mode).to.equal('dbless');
        expect((await byName.status()).configuration_hash).to.equal('00000000000000000000000000000000');
        const failures = await Promise.all([noClientCert.root(), noCa.root()].map((p) => p.then(() => undefined, (e: unknown) => e)));
        // Without a client certificate nginx still completes the handshake and answers 400.
        expect(failures[0]).to.be.instanceOf(KongAdminError);
        expect((failures[0] as KongAdminError).status).to.equal(400);
        expect(failures[1]).to.be.instanceOf(KongNetworkError);
        expect((failures[1] as Error).message).to.match(/certificate/i);
      } finally {
        await secure.close();
      }
    });
  });

  describe('gateway detection', () => {
    it('reads mode, version and router flavor from GET /', async () => {
      const dbless = await startKongDouble({ mode: 'dbless', routerFlavor: 'expressions', version: '3.9.0' });
      try {
        const c = new KongAdminClient({ url: dbless.url });
        clients.push(c);
        expect(await detectKongGateway(c)).to.deep.equal({ version: '3.9.0', database: 'off', mode: 'dbless', routerFlavor: 'expressions', edition: 'community' });
        expect(await detectKongGateway(client())).to.include({ database: 'postgres', mode: 'db', routerFlavor: 'traditional_compatible' });
      } finally {
        await dbless.close();
      }
    });
  });
});
