// The controller's Kong backend: mode detection, probes and syncs go through
// the engine's one client per gateway, and the mode is read once.
import { expect } from 'chai';
import { kongBackend } from '../../src/controller/kong-backend.ts';
import { AutoSyncEngine } from '../../src/kong/sync-engine.ts';
import type { GatewayTarget } from '../../src/kong/sync-types.ts';
import { startKongDouble } from '../kong-double/index.ts';
import type { KongDouble } from '../kong-double/index.ts';
import { fastRetry, shopSnapshot, syncRequest } from '../kong/fixtures.ts';

describe('controller Kong backend', () => {
  let kong: KongDouble;
  let backend: ReturnType<typeof kongBackend>;
  let gateway: GatewayTarget;

  beforeEach(async () => {
    kong = await startKongDouble({ mode: 'dbless' });
    const client = { retry: fastRetry, timeoutMs: 2000 };
    backend = kongBackend(new AutoSyncEngine({ client }), 'auto', client);
    gateway = { url: kong.url };
  });
  afterEach(async () => {
    backend.close();
    await kong.close();
  });

  it('reads the mode once and shares one connection for detection, probes and pushes', async () => {
    expect(await backend.resolveMode([gateway])).to.equal('dbless');
    expect(await backend.probe?.(gateway)).to.equal(kong.configurationHash());
    const report = await backend.engine('dbless').sync(syncRequest(shopSnapshot, [kong.url]));
    expect(report.gateways[0]).to.include({ status: 'pushed', mode: 'dbless' });
    expect(await backend.probe?.(gateway)).to.equal(kong.configurationHash());
    expect(await backend.resolveMode([gateway])).to.equal('dbless');
    expect(kong.requests.filter((r) => r.path === '/'), 'GET / once').to.have.length(1);
    expect(kong.connectionsAccepted(), 'one keep-alive connection').to.equal(1);
  });

  it('reads the mode again after the gateway was forgotten, and drops the clients of gone gateways', async () => {
    await backend.resolveMode([gateway]);
    backend.forget?.(kong.url);
    await backend.resolveMode([gateway]);
    expect(kong.requests.filter((r) => r.path === '/')).to.have.length(2);
    backend.retain?.([]);
    await backend.probe?.(gateway);
    expect(kong.connectionsAccepted(), 'a new client after the old one was dropped').to.equal(2);
  });

  it('probes once, without retrying', async () => {
    kong.failNext(1, 503);
    let failed: unknown;
    await backend.probe?.(gateway).catch((error: unknown) => { failed = error; });
    expect(failed).to.be.instanceOf(Error);
    expect(kong.requests.filter((r) => r.path === '/status')).to.have.length(1);
  });
});
