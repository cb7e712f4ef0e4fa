import { expect } from 'chai';
import { AutoSyncEngine } from '../../src/kong/sync-engine.ts';
import type { Snapshot } from '../../src/translate/types.ts';
import { startKongDouble } from '../kong-double/index.ts';
import type { KongDouble } from '../kong-double/index.ts';
import { fastRetry, recordingLogger, shopSnapshot, syncRequest } from './fixtures.ts';

describe('auto-detecting sync engine', () => {
  let dbless: KongDouble;
  let db: KongDouble;
  let engine: AutoSyncEngine;
  let snapshot: Snapshot;

  beforeEach(async () => {
    dbless = await startKongDouble({ mode: 'dbless' });
    db = await startKongDouble({ mode: 'db', routerFlavor: 'traditional' });
    engine = new AutoSyncEngine({ client: { retry: fastRetry, timeoutMs: 2000 } });
    snapshot = shopSnapshot();
  });
  afterEach(async () => {
    engine.close();
    await Promise.all([dbless.close(), db.close()]);
  });

  it('reads each gateway\'s mode from GET / and converges both kinds at once', async () => {
    const report = await engine.sync(syncRequest(() => snapshot, [dbless.url, db.url]));
    expect(report.gateways.map((g) => [g.url, g.mode, g.status])).to.deep.equal([
      [dbless.url, 'dbless', 'pushed'], [db.url, 'db', 'pushed'],
    ]);
    expect(report.gateways[1]).to.include({ routerFlavor: 'traditional', version: '3.9.1', created: 4 });
    expect(dbless.state.routes).to.have.length(2);
    expect(db.state.routes).to.have.length(2);
    // GET / is read once per gateway, not on every sync.
    await engine.sync(syncRequest(() => snapshot, [dbless.url, db.url]));
    expect(db.requests.filter((r) => r.path === '/')).to.have.length(1);
  });

  it('reports a gateway it cannot reach with a retry delay that grows while it stays down', async () => {
    await db.down();
    const first = await engine.sync(syncRequest(() => snapshot, [dbless.url, db.url]));
    expect(first.gateways.find((g) => g.url === db.url)).to.include({ status: 'failed' });
    expect(first.gateways.find((g) => g.url === dbless.url)).to.include({ status: 'pushed' });
    const delays = [first.retryAfterMs ?? 0];
    for (let i = 0; i < 3; i += 1) delays.push((await engine.sync(syncRequest(() => snapshot, [db.url]))).retryAfterMs ?? 0);
    // base 1 s doubling, equal jitter: attempt n waits between 2^n/2 and 2^n seconds
    delays.forEach((d, n) => expect(d).to.be.within(500 * 2 ** n, 1000 * 2 ** n));
    await db.up();
    const healed = await engine.sync(syncRequest(() => snapshot, [db.url]));
    expect(healed.gateways[0]?.status).to.equal('pushed');
    expect(healed.retryAfterMs).to.equal(undefined);
  });

  it('uses a forced mode without asking the gateway', async () => {
    const forced = new AutoSyncEngine({ mode: 'dbless', client: { retry: fastRetry } });
    try {
      const report = await forced.sync(syncRequest(() => snapshot, [dbless.url]));
      expect(report.gateways[0]?.status).to.equal('pushed');
      expect(dbless.requests.filter((r) => r.path === '/')).to.deep.equal([]);
    } finally {
      forced.close();
    }
  });

  it('logs what it does without ever logging the admin token', async () => {
    const logger = recordingLogger();
    const secured = await startKongDouble({ mode: 'dbless', requireToken: 'tok-3f9a' });
    const withToken = new AutoSyncEngine({ logger, client: { token: 'tok-3f9a', retry: fastRetry } });
    try {
      secured.failNext(1, 503);
      const report = await withToken.sync(syncRequest(() => snapshot, [secured.url]));
      expect(report.gateways[0]?.status).to.equal('pushed');
      expect(logger.lines.join('\n')).to.contain('retrying').and.not.contain('tok-3f9a');
      expect(JSON.stringify(report)).to.not.contain('tok-3f9a');
    } finally {
      withToken.close();
      await secured.close();
    }
  });
});
