import { expect } from 'chai';
import { certFacts, signedBy, splitBundle } from '../../src/admin-tls/x509.ts';
import type { KeyPairPem } from '../../src/admin-tls/x509.ts';
import { applyDataPatch } from '../../src/admin-tls/index.ts';
import { planWebhookCerts, WEBHOOK_KEYS, type SecretText } from '../../src/admission/cert-plan.ts';
import { WebhookCertificates, type WebhookCertMode } from '../../src/admission/certificates.ts';
import type { WebhookApi } from '../../src/admission/webhook-api.ts';
import { silentLogger } from '../../src/observe/logger.ts';

const MINUTE = 60_000;
const policy = { caLifetimeMs: 60 * MINUTE, leafLifetimeMs: 15 * MINUTE, servingNames: ['meshdoor-webhook.kong.svc', '127.0.0.1'] };

/** The Secret and the webhook configuration, in memory. */
class FakeApi implements WebhookApi {
  secret: SecretText | undefined = {};
  bundle: string | undefined = '';
  bundleWrites = 0;
  readSecret(): Promise<SecretText | undefined> { return Promise.resolve(this.secret); }
  patchSecret(_ns: string, _name: string, data: Record<string, string | null>): Promise<void> {
    this.secret = applyDataPatch(this.secret, data);
    return Promise.resolve();
  }
  readCaBundle(): Promise<string | undefined> { return Promise.resolve(this.bundle); }
  setCaBundle(_name: string, bundle: string): Promise<void> {
    this.bundle = bundle;
    this.bundleWrites += 1;
    return Promise.resolve();
  }
}

function keeper(api: FakeApi, clock: { now: number }, leader: boolean, mode: WebhookCertMode = 'managed') {
  const served: KeyPairPem[] = [];
  const certs = new WebhookCertificates({
    api, namespace: 'kong', secretName: 'meshdoor-webhook-tls', configurationName: 'meshdoor', mode, policy, periodMs: MINUTE,
    clock: { now: () => clock.now, setTimeout: () => 0, clearTimeout: () => {} }, log: silentLogger(), isLeader: () => leader,
    onServing: (pair) => { served.push(pair); },
  });
  return { certs, served };
}

const trusted = (bundle: string | undefined, leaf: string): boolean => splitBundle(bundle).some((ca) => signedBy(leaf, ca));

describe('admission: the webhook certificates', function () {
  this.timeout(60_000);

  it('bootstraps a CA and a serving certificate with every serving name, and publishes the caBundle', async () => {
    const api = new FakeApi();
    const clock = { now: Date.parse('2025-01-01T00:00:00Z') };
    const { certs, served } = keeper(api, clock, true);
    await certs.tick();
    await certs.tick();
    expect(served).to.have.length(1);
    const leaf = served[0]?.cert ?? '';
    expect(certFacts(leaf)?.dnsNames).to.deep.equal(['meshdoor-webhook.kong.svc']);
    expect(trusted(api.bundle, leaf)).to.equal(true);
    expect(planWebhookCerts(api.secret, api.bundle, clock.now, policy)).to.deep.equal({ kind: 'none' });
  });

  it('rotates the leaf and the CA over three CA lifetimes with the served certificate always trusted by the caBundle the API server had', async () => {
    const api = new FakeApi();
    const clock = { now: Date.parse('2025-01-01T00:00:00Z') };
    const { certs, served } = keeper(api, clock, true);
    await certs.tick();
    await certs.tick();
    const cas = new Set<string>();
    for (let minute = 0; minute < 180; minute += 1) {
      // The API server may still hold the bundle of the round before.
      const bundleBefore = api.bundle;
      clock.now += MINUTE;
      await certs.tick();
      const leaf = served.at(-1)?.cert ?? '';
      expect(trusted(bundleBefore, leaf), `minute ${minute}: served certificate not trusted by the previous caBundle`).to.equal(true);
      expect(trusted(api.bundle, leaf), `minute ${minute}: not trusted by the current caBundle`).to.equal(true);
      expect((certFacts(leaf)?.notAfter ?? 0) > clock.now, `minute ${minute}: served certificate expired`).to.equal(true);
      cas.add(api.secret?.[WEBHOOK_KEYS.ca] ?? '');
    }
    expect(cas.size, 'CA generations').to.be.greaterThanOrEqual(4);
    expect(served.length, 'leaves served').to.be.greaterThan(8);
  });

  it('a replica that does not lead only serves what the Secret holds, and writes nothing', async () => {
    const api = new FakeApi();
    const clock = { now: Date.parse('2025-01-01T00:00:00Z') };
    const follower = keeper(api, clock, false);
    await follower.certs.tick();
    expect(follower.served).to.deep.equal([]);
    await keeper(api, clock, true).certs.tick();
    await follower.certs.tick();
    expect(follower.served[0]?.cert).to.equal(api.secret?.[WEBHOOK_KEYS.cert]);
  });

  it('with provided certificates (cert-manager) it never writes the Secret or the caBundle', async () => {
    const api = new FakeApi();
    const clock = { now: Date.parse('2025-01-01T00:00:00Z') };
    await keeper(new FakeApi(), clock, true).certs.tick();
    const { certs } = keeper(api, clock, true, 'provided');
    await certs.tick();
    expect(api.secret).to.deep.equal({});
    expect(api.bundleWrites).to.equal(0);
  });
});
