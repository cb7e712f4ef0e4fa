import { expect } from 'chai';
import { KongClientPool } from '../../src/kong/client-pool.ts';
import { dblessBody } from '../../src/kong/dbless-body.ts';
import { DblessSyncEngine } from '../../src/kong/dbless-engine.ts';
import type { Snapshot } from '../../src/translate/types.ts';
import { startKongDouble } from '../kong-double/index.ts';
import type { KongDouble } from '../kong-double/index.ts';
import { fastRetry, ingress, kongConfigurationHash, recordingLogger, shopSnapshot, syncRequest } from './fixtures.ts';

describe('DB-less sync engine (against the Kong double)', () => {
  let doubles: KongDouble[] = [];
  let pool: KongClientPool;
  let snapshot: Snapshot;

  const start = async (): Promise<KongDouble> => {
    const double = await startKongDouble({ mode: 'dbless' });
    doubles.push(double);
    return double;
  };
  const engineWith = (options: Partial<ConstructorParameters<typeof DblessSyncEngine>[0]> = {}): DblessSyncEngine =>
    new DblessSyncEngine({ clientFor: (t) => pool.get(t), ...options });
  const configPosts = (double: KongDouble): number => double.writes().filter((r) => r.path === '/config').length;

  beforeEach(() => {
    pool = new KongClientPool({ retry: fastRetry, timeoutMs: 2000 });
    snapshot = shopSnapshot();
  });
  afterEach(async () => {
    pool.close();
    await Promise.all(doubles.map((d) => d.close()));
    doubles = [];
  });

  it('pushes the config once, then skips while nothing changed (zero writes)', async () => {
    const double = await start();
    const engine = engineWith();
    const request = syncRequest(() => snapshot, [double.url]);

    const first = await engine.sync(request);
    expect(first.gateways).to.have.length(1);
    expect(first.gateways[0]).to.include({ status: 'pushed', mode: 'dbless', writes: 1 });
    expect(double.state.routes.map((r) => r.name)).to.have.members(['shop.web.frontend.shop.example.com.80', 'shop.api.orders.api.example.com.80']);
    expect(double.state.services).to.have.length(2);
    expect(double.route({ host: 'shop.example.com', path: '/cart' }).service?.name).to.equal('shop.frontend.80');

    double.clearRequests();
    const second = await engine.sync(request);
    expect(second.gateways[0]).to.include({ status: 'skipped', writes: 0 });
    expect(double.writes()).to.have.length(0);
    expect(second.gateways[0]?.configHash).to.equal(first.gateways[0]?.configHash);
  });

  it('recognises a gateway that already runs the config, even from a fresh engine', async () => {
    const double = await start();
    const request = syncRequest(() => snapshot, [double.url]);
    await engineWith().sync(request);
    double.clearRequests();
    const report = await engineWith().sync(request);
    expect(report.gateways[0]).to.include({ status: 'skipped', writes: 0 });
    expect(double.writes()).to.deep.equal([]);
  });

  it('sends the DB-less body text as the raw body, so Kong\'s configuration_hash is its MD5', async () => {
    const double = await start();
    const request = syncRequest(() => snapshot, [double.url]);
    const report = await engineWith().sync(request);
    const text = dblessBody(report.applied.config);
    expect(report.gateways[0]?.configHash, 'our hash is the one Kong shows').to.equal(kongConfigurationHash(text));
    const post = double.writes().find((r) => r.path === '/config');
    expect(post?.headers['content-type']).to.equal('application/yaml');
    expect(post?.bytes).to.equal(Buffer.byteLength(text));
    expect(double.configurationHash()).to.equal(kongConfigurationHash(text));
  });

  /** An engine that pushed the shop config to a double, and the config changed since (an Ingress added). */
  const changedAfterPush = async (): Promise<{ double: KongDouble; engine: DblessSyncEngine; request: ReturnType<typeof syncRequest> }> => {
    const double = await start();
    const engine = engineWith();
    const request = syncRequest(() => snapshot, [double.url]);
    await engine.sync(request);
    snapshot = { ...snapshot, Ingress: [...snapshot.Ingress, ingress('blog', [{ host: 'blog.example.com', path: '/', service: 'frontend' }])] };
    return { double, engine, request };
  };

  it('sends a changed config without asking /status first, and asks it after the push', async () => {
    const { double, engine, request } = await changedAfterPush();
    double.clearRequests();
    const report = await engine.sync(request);
    expect(report.gateways[0]?.status).to.equal('pushed');
    expect(double.requests.map((r) => `${r.method} ${r.path}`)).to.deep.equal(['POST /config', 'GET /status']);
    expect(double.configurationHash()).to.equal(report.gateways[0]?.configHash);
  });

  it('reports a changed config the gateway already runs (another writer sent it) as skipped: Kong answers 304', async () => {
    const { double, engine, request } = await changedAfterPush();
    // A fresh engine (another replica) sends the changed config first.
    expect((await engineWith().sync(request)).gateways[0]?.status).to.equal('pushed');
    const report = await engine.sync(request);
    expect(report.gateways[0]?.status).to.equal('skipped');
    expect(double.requests.filter((r) => r.path === '/config').at(-1)?.status).to.equal(304);
    expect(double.route({ host: 'blog.example.com', path: '/' }).status).to.equal(200);
  });

  it('pushes again when someone else replaced the gateway\'s config', async () => {
    const double = await start();
    const engine = engineWith();
    const request = syncRequest(() => snapshot, [double.url]);
    await engine.sync(request);
    const other = await fetch(`${double.url}/config`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ _format_version: '3.0', services: [{ name: 'intruder', host: 'x.internal' }] }),
    });
    expect(other.status).to.equal(201);
    const report = await engine.sync(request);
    expect(report.gateways[0]?.status).to.equal('pushed');
    expect(double.state.services.map((s) => s.name)).to.not.include('intruder');
  });

  it('pushes again when the config changes', async () => {
    const { double, engine, request } = await changedAfterPush();
    const report = await engine.sync(request);
    expect(report.gateways[0]?.status).to.equal('pushed');
    expect(configPosts(double)).to.equal(2);
    expect(double.route({ host: 'blog.example.com', path: '/' }).status).to.equal(200);
  });

  it('re-pushes an unchanged config at once to a gateway that restarted empty', async () => {
    const double = await start();
    const engine = engineWith();
    const request = syncRequest(() => snapshot, [double.url]);
    await engine.sync(request);
    double.restartEmpty();
    expect(double.configurationHash()).to.equal('00000000000000000000000000000000');

    const report = await engine.sync(request);
    expect(report.gateways[0]?.status).to.equal('pushed');
    expect(double.state.routes).to.have.length(2);
    expect(double.configurationHash()).to.not.equal('00000000000000000000000000000000');
  });

  it('notices a restart that happens right after the push', async () => {
    const double = await start();
    let restarts = 1;
    const engine = engineWith({ observer: { configPushed: () => { if (restarts-- > 0) double.restartEmpty(); } } });
    const request = syncRequest(() => snapshot, [double.url]);
    await engine.sync(request);
    expect(double.state.routes).to.deep.equal([]);
    const report = await engine.sync(request);
    expect(report.gateways[0]?.status).to.equal('pushed');
    expect(double.state.routes).to.have.length(2);
  });

  it('does not push an empty config again although Kong shows an all-zero hash for it', async () => {
    const double = await start();
    const engine = engineWith();
    snapshot = { ...snapshot, Ingress: [] };
    const request = syncRequest(() => snapshot, [double.url]);
    expect((await engine.sync(request)).gateways[0]?.status).to.equal('pushed');
    expect(double.configurationHash()).to.equal('00000000000000000000000000000000');
    expect((await engine.sync(request)).gateways[0]?.status).to.equal('skipped');
  });

  it('leaves out an object Kong rejects, reports it, and applies the rest', async () => {
    const double = await start();
    const engine = engineWith();
    snapshot = { ...snapshot, Ingress: [...snapshot.Ingress, ingress('broken', [{ host: 'bad.example.com', path: '/', service: 'orders' }])] };
    const broken = 'shop.broken.orders.bad.example.com.80';
    double.rejectEntity(broken);
    const request = syncRequest(() => snapshot, [double.url]);

    const report = await engine.sync(request);
    expect(report.gateways[0]?.status).to.equal('pushed');
    expect(report.rejected).to.have.length(1);
    expect(report.rejected[0]?.object).to.deep.include({ kind: 'Ingress', namespace: 'shop', name: 'broken' });
    expect(report.rejected[0]?.reason).to.equal('KongRejected');
    expect(report.rejected[0]?.message).to.contain('rejected by the Kong test double');
    expect(double.state.routes.map((r) => r.name)).to.not.include(broken);
    expect(double.state.routes).to.have.length(2);
    expect(report.applied.configured.map((o) => o.name)).to.not.include('broken');

    // The refused config is never sent again: the next sync goes straight to the good one.
    double.clearRequests();
    const again = await engine.sync(request);
    expect(again.gateways[0]?.status).to.equal('skipped');
    expect(again.rejected.map((r) => r.object.name)).to.deep.equal(['broken']);
    expect(double.writes()).to.have.length(0);
  });

  it('maps a real schema violation back to its Service and leaves out what depends on it', async () => {
    const double = await start();
    const base = syncRequest(() => snapshot, [double.url]);
    const report = await engineWith().sync({ ...base, translate: (exclude) => {
      // Translated entities are frozen: break a copy.
      const result = base.translate(exclude);
      const config = structuredClone(result.config);
      for (const s of config.services) if (s.name === 'shop.orders.80') s.port = 70000;
      return { ...result, config };
    } });
    expect(report.gateways[0]?.status).to.equal('pushed');
    expect(report.rejected.map((r) => `${r.object.kind}/${r.object.namespace ?? ''}/${r.object.name}`)).to.deep.equal(['Service/shop/orders']);
    expect(report.rejected[0]?.message).to.contain('port: value should be between 0 and 65535');
    expect(double.state.services.map((s) => s.name)).to.deep.equal(['shop.frontend.80']);
    expect(double.route({ host: 'api.example.com', path: '/v1' }).status).to.equal(404);
    expect(double.route({ host: 'shop.example.com', path: '/' }).status).to.equal(200);
  });

  it('keeps the last good config and reports failure when a rejection names no object', async () => {
    const double = await start();
    const engine = engineWith();
    const request = syncRequest(() => snapshot, [double.url]);
    await engine.sync(request);
    const before = double.configurationHash();
    // An entity without k8s tags cannot be mapped back: nothing can be excluded.
    double.rejectEntity('shop.orders.80');
    const report = await engine.sync({ ...request, translate: (ex) => {
      const result = request.translate(ex);
      const config = structuredClone(result.config);
      for (const s of config.services) if (s.name === 'shop.orders.80') s.tags = [];
      return { ...result, config };
    } });
    expect(report.gateways[0]?.status).to.equal('failed');
    expect(report.gateways[0]?.error).to.contain('Kong rejected service shop.orders.80');
    expect(double.configurationHash()).to.equal(before);
  });

  it('converges the gateways that are up while one is down, and reports that one', async () => {
    const up = await start();
    const down = await start();
    await down.down();
    const engine = engineWith();
    const report = await engine.sync(syncRequest(() => snapshot, [down.url, up.url]));

    const byUrl = new Map(report.gateways.map((g) => [g.url, g]));
    expect(byUrl.get(up.url)?.status).to.equal('pushed');
    expect(byUrl.get(down.url)?.status).to.equal('failed');
    expect(byUrl.get(down.url)?.error).to.match(/ECONNREFUSED/);
    expect(report.retryAfterMs).to.be.a('number').and.to.be.greaterThan(0);
    expect(up.state.routes).to.have.length(2);

    await down.up();
    const next = await engine.sync(syncRequest(() => snapshot, [down.url, up.url]));
    const nextByUrl = new Map(next.gateways.map((g) => [g.url, g]));
    expect(nextByUrl.get(down.url)?.status).to.equal('pushed');
    expect(nextByUrl.get(up.url)?.status).to.equal('skipped');
    expect(next.retryAfterMs).to.equal(undefined);
  });

  it('warns (log and metric) when the body approaches the admin body limit', async () => {
    const double = await start();
    const logger = recordingLogger();
    const near: number[] = [];
    const engine = engineWith({ logger, warnBodyBytes: 100, observer: { bodyNearLimit: (_g, bytes) => near.push(bytes) } });
    await engine.sync(syncRequest(() => snapshot, [double.url]));
    expect(near).to.have.length(1);
    expect(near[0]).to.be.greaterThan(100);
    expect(logger.lines.some((l) => l.includes('body limit'))).to.equal(true);
  });

  it('fails a gateway whose config is too large (413) without affecting the others', async () => {
    const small = await startKongDouble({ mode: 'dbless', configLimitBytes: 200 });
    doubles.push(small);
    const normal = await start();
    const report = await engineWith().sync(syncRequest(() => snapshot, [small.url, normal.url]));
    const byUrl = new Map(report.gateways.map((g) => [g.url, g]));
    expect(byUrl.get(small.url)?.status).to.equal('failed');
    expect(byUrl.get(normal.url)?.status).to.equal('pushed');
  });

  it('reports a 413 as "configuration too large" with the body size, the limit and the setting, and does not send that body again', async () => {
    const small = await startKongDouble({ mode: 'dbless', configLimitBytes: 200 });
    doubles.push(small);
    const logger = recordingLogger();
    const tooLarge: { bytes: number; limit: number | undefined }[] = [];
    const engine = engineWith({ logger, observer: { bodyTooLarge: (_g, bytes, limit) => tooLarge.push({ bytes, limit }) } });
    const first = await engine.sync(syncRequest(() => snapshot, [small.url]));
    const error = first.gateways[0]?.error ?? '';
    const bytes = small.requests.find((r) => r.path === '/config')?.bytes ?? 0;
    expect(error).to.match(/^configuration too large: the body is \d+ bytes/).and.contain(`${bytes} bytes`);
    expect(error).to.contain('limit of 200 bytes').and.contain('nginx_admin_client_max_body_size').and.contain('KONG_NGINX_ADMIN_CLIENT_MAX_BODY_SIZE');
    expect(error, 'the HTML page is not dumped').to.not.match(/<|html/i);
    expect(first.gateways[0]?.retryable).to.equal(false);
    expect(tooLarge).to.deep.equal([{ bytes, limit: 200 }]);
    expect(logger.lines.some((l) => l.includes('too large'))).to.equal(true);
    small.clearRequests();
    const again = await engine.sync(syncRequest(() => snapshot, [small.url]));
    expect(again.gateways[0]?.error).to.equal(error);
    expect(small.requests.filter((r) => r.path === '/config'), 'never retried in a loop').to.deep.equal([]);
  });
});
