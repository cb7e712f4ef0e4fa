import { expect } from 'chai';
import { AdmissionWebhook, servingNames } from '../../src/admission/webhook.ts';
import type { WebhookApi } from '../../src/admission/webhook-api.ts';
import { systemClock } from '../../src/kube/clock.ts';
import { silentLogger } from '../../src/observe/logger.ts';
import { ingressClass, service, settings, snapshot } from '../translate/builders.ts';

const api: WebhookApi = {
  readSecret: () => Promise.resolve(undefined),
  patchSecret: () => Promise.resolve(),
  readCaBundle: () => Promise.resolve(undefined),
  setCaBundle: () => Promise.resolve(),
};

describe('admission: one replica\'s webhook', () => {
  const snap = snapshot({ ingressClasses: [ingressClass('kong')], services: [service('web')] });
  const config = settings();

  function webhook(synced: () => boolean): AdmissionWebhook {
    return new AdmissionWebhook({
      port: 0, host: '127.0.0.1', namespace: 'kong', certificates: 'managed', secret: 's', configuration: 'c', service: 'meshdoor-webhook',
      servingNames: ['127.0.0.1'], certLifetimeMs: 3_600_000, caLifetimeMs: 7_200_000, checkPeriodMs: 60_000, watchNamespaces: ['shop'], api,
      caches: () => (synced() ? { snapshot: snap, settings: config } : undefined), isLeader: () => true, clock: systemClock, log: silentLogger(),
    });
  }

  it('judges nothing (fails open) until the caches synced and a pass indexed them', () => {
    let synced = false;
    const hook = webhook(() => synced);
    expect(hook.inputs(), 'before any pass').to.equal(undefined);
    synced = true;
    expect(hook.inputs(), 'synced but not indexed').to.equal(undefined);
    hook.onSnapshot(snap, config);
    expect(hook.inputs()).to.deep.include({ snapshot: snap, settings: config, watchNamespaces: ['shop'] });
    synced = false;
    expect(hook.inputs(), 'caches lost (a relist)').to.equal(undefined);
  });

  it('serves under the Service\'s names and the extra ones', () => {
    expect(servingNames({ service: 'meshdoor-webhook', namespace: 'kong', servingNames: ['127.0.0.1'] }))
      .to.deep.equal(['meshdoor-webhook.kong.svc', 'meshdoor-webhook.kong.svc.cluster.local', '127.0.0.1']);
  });
});
