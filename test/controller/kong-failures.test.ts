// Feature: a gateway that refuses the config says so in the MeshDoor status,
// the readiness text and the metrics, plainly (no HTML page, no credentials),
// and the controller does not push the refused body again and again.
import { expect } from 'chai';
import type { MeshDoorStatus } from '../../src/controller/meshdoor-status.ts';
import { startKongDouble, type KongDouble } from '../kong-double/index.ts';
import { gatewayObjects, ingress, service } from './fixtures.ts';
import { startHarness, type Harness } from './harness.ts';

describe('controller: Kong refusals are reported, not looped', () => {
  let kong: KongDouble;
  let h: Harness;
  afterEach(async () => {
    await h.stop();
    await kong.close();
  });

  function synced(): { status?: string; reason?: string; message?: string } | undefined {
    const status = h.cluster.get<{ kind: string; status?: Partial<MeshDoorStatus> }>('MeshDoor', undefined, 'default')?.status;
    return status?.conditions?.find((c) => c.type === 'Synced');
  }

  it('says "configuration too large" with the size, limit and setting, and sends the body once', async () => {
    kong = await startKongDouble({ mode: 'dbless', configLimitBytes: 150 });
    h = await startHarness({ objects: [...gatewayObjects(kong.port), service('shop', 'web'), ingress('shop', 'web')] });
    await h.eventually(() => { expect(synced()?.status).to.equal('False'); });
    const message = synced()?.message ?? '';
    expect(message).to.contain('configuration too large').and.contain('limit of 150 bytes').and.contain('nginx_admin_client_max_body_size');
    expect(message).to.not.match(/<|html/i);
    const readiness = String(h.controller.readiness.notReadyReason());
    expect(readiness).to.contain('configuration too large').and.not.match(/<html|<title/i);
    await h.advance(20_000);
    expect(kong.requests.filter((r) => r.method === 'POST' && r.path === '/config'), 'a 413 is not retried in a loop').to.have.length(1);
    const metrics = await h.metrics.registry.metrics();
    expect(metrics).to.match(/failure_reason="too_large"/);
    expect(metrics).to.match(/meshdoor_kong_config_posts_per_sync_count [1-9]/);
  });

  it('keeps the credentials of a --kong-admin-url out of status and metrics', async () => {
    kong = await startKongDouble({ mode: 'dbless' });
    const url = kong.url.replace('http://', 'http://admin:s3cret-pw@');
    kong.redirectNext(307, 'https://elsewhere.example.com/', 1000);
    // The admin EndpointSlice points nowhere: the URL flag is what is used.
    h = await startHarness({ kongAdminUrls: [url], kongMode: 'dbless', objects: [...gatewayObjects(1), service('shop', 'web'), ingress('shop', 'web')] });
    await h.eventually(() => { expect(synced()?.status).to.equal('False'); });
    expect(synced()?.message).to.contain('307 redirect to https://elsewhere.example.com');
    const everything = JSON.stringify(h.cluster.get('MeshDoor', undefined, 'default')) + await h.metrics.registry.metrics() + String(h.controller.readiness.notReadyReason());
    expect(everything).to.not.contain('s3cret-pw');
    expect(everything).to.contain(kong.url);
  });
});
