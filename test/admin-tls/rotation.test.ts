// The admin certificates' life cycle, step by step: what the planner decides
// from the Secrets' contents and the rollout state, and what the writes do.
import { expect } from 'chai';
import { adminAccessCondition, isLoopbackUrl, transportKind } from '../../src/admin-tls/access.ts';
import { rotationWrites } from '../../src/admin-tls/rotation-apply.ts';
import { DEFAULT_ROTATION_POLICY, planRotation, type ObservedTls, type RotationPolicy, type RotationStep } from '../../src/admin-tls/rotation-plan.ts';
import { applyDataPatch } from '../../src/admin-tls/secret-data.ts';
import { certFacts, signedBy, splitBundle } from '../../src/admin-tls/x509.ts';

const DAY = 86_400_000;
const T0 = Date.parse('2027-01-01T00:00:00Z');
const POLICY: RotationPolicy = { ...DEFAULT_ROTATION_POLICY, servingDnsNames: ['kong-admin.kong.svc', 'kong-admin.kong.svc.cluster.local'] };

const EMPTY: ObservedTls = { ca: undefined, serving: undefined, client: undefined, rolledOut: true };

/** The Secrets after a step's writes, as the next pass reads them. */
async function take(observed: ObservedTls, step: RotationStep, now: number, policy = POLICY): Promise<ObservedTls> {
  const next: ObservedTls = { ...observed, rolledOut: false };
  for (const write of await rotationWrites(step, observed, now, policy)) next[write.role] = applyDataPatch(next[write.role], write.data);
  return next;
}

const trusted = (o: ObservedTls, which: 'serving' | 'client'): number => splitBundle(o[which]?.['ca.crt']).length;

describe('admin certificate rotation', function () {
  this.timeout(20_000);

  it('bootstraps a CA and both leaves from empty Secrets, then waits for the rollout', async () => {
    expect(planRotation(EMPTY, T0, POLICY).kind).to.equal('bootstrap');
    const after = await take(EMPTY, planRotation(EMPTY, T0, POLICY), T0);
    const ca = after.ca?.['ca.crt'] ?? '';
    expect(certFacts(ca)?.isCa).to.equal(true);
    expect(signedBy(after.serving?.['tls.crt'] ?? '', ca)).to.equal(true);
    expect(signedBy(after.client?.['tls.crt'] ?? '', ca)).to.equal(true);
    expect(certFacts(after.serving?.['tls.crt'])?.dnsNames).to.deep.equal(POLICY.servingDnsNames);
    expect(after.serving?.['ca.crt']).to.equal(ca);
    expect(planRotation(after, T0, POLICY).kind).to.equal('wait');
    expect(planRotation({ ...after, rolledOut: true }, T0, POLICY).kind).to.equal('none');
  });

  it('renews leaves well before they expire, from the same CA', async () => {
    const start = { ...(await take(EMPTY, { kind: 'bootstrap', reason: '' }, T0)), rolledOut: true };
    const later = T0 + 61 * DAY; // leaves live 90 days and are renewed with 30 left
    const step = planRotation(start, later, POLICY);
    expect(step).to.include({ kind: 'renewLeaves' });
    expect((step as { leaves: string[] }).leaves).to.deep.equal(['serving', 'client']);
    const renewed = await take(start, step, later);
    expect(renewed.ca).to.deep.equal(start.ca);
    expect(certFacts(renewed.client?.['tls.crt'])?.notAfter).to.be.greaterThan(later + 80 * DAY);
  });

  it('replaces only an expired leaf while a rollout is still going on', async () => {
    const start = await take(EMPTY, { kind: 'bootstrap', reason: '' }, T0);
    expect(start.rolledOut).to.equal(false);
    expect(planRotation(start, T0 + 61 * DAY, POLICY).kind, 'due, but not yet expired: wait').to.equal('wait');
    expect(planRotation(start, T0 + 91 * DAY, POLICY)).to.deep.include({ kind: 'renewLeaves', leaves: ['serving', 'client'] });
  });

  it('re-issues the serving certificate when the admin Service names change', async () => {
    const start = { ...(await take(EMPTY, { kind: 'bootstrap', reason: '' }, T0)), rolledOut: true };
    const step = planRotation(start, T0, { ...POLICY, servingDnsNames: ['kong-admin.gateway.svc'] });
    expect(step).to.deep.include({ kind: 'renewLeaves', leaves: ['serving'] });
  });

  it('rotates the CA in three rolled-out steps: trust both, issue from the new one, trust only the new one', async () => {
    // Rotate the CA once it has less than 3 years - 30 days left, i.e. after a month.
    const policy = { ...POLICY, caRenewBeforeMs: 3 * 365 * DAY - 30 * DAY };
    const now = T0 + 31 * DAY;
    const plan = (observed: ObservedTls): RotationStep['kind'] => planRotation(observed, now, policy).kind;
    let o: ObservedTls = { ...(await take(EMPTY, { kind: 'bootstrap', reason: '' }, T0, policy)), rolledOut: true };
    const oldCa = o.ca?.['ca.crt'] ?? '';
    expect(plan(o)).to.equal('stageCa');
    o = await take(o, planRotation(o, now, policy), now, policy);
    const newCa = o.ca?.['next-ca.crt'] ?? '';
    expect(trusted(o, 'serving')).to.equal(2);
    expect(trusted(o, 'client')).to.equal(2);
    expect(signedBy(o.client?.['tls.crt'] ?? '', oldCa), 'still issuing from the old CA').to.equal(true);
    expect(plan(o), 'pods must trust the new CA first').to.equal('wait');

    o = { ...o, rolledOut: true };
    expect(plan(o)).to.equal('promoteCa');
    o = await take(o, planRotation(o, now, policy), now, policy);
    expect(o.ca?.['ca.crt']).to.equal(newCa);
    expect(o.ca?.['next-ca.crt']).to.equal(undefined);
    expect(signedBy(o.serving?.['tls.crt'] ?? '', newCa)).to.equal(true);
    expect(signedBy(o.client?.['tls.crt'] ?? '', newCa)).to.equal(true);
    expect(trusted(o, 'serving'), 'old pods still serve certificates from the old CA').to.equal(2);
    expect(plan(o)).to.equal('wait');

    o = { ...o, rolledOut: true };
    expect(plan(o)).to.equal('trimTrust');
    o = await take(o, planRotation(o, now, policy), now, policy);
    expect(splitBundle(o.serving?.['ca.crt'])).to.have.length(1);
    expect(certFacts(o.client?.['ca.crt'])?.fingerprint).to.equal(certFacts(newCa)?.fingerprint);
    expect(plan({ ...o, rolledOut: true })).to.equal('none');
  });

  it('starts over from a CA Secret whose key does not match its certificate', async () => {
    const a = await take(EMPTY, { kind: 'bootstrap', reason: '' }, T0);
    const b = await take(EMPTY, { kind: 'bootstrap', reason: '' }, T0);
    expect(planRotation({ ...a, ca: { ...a.ca, 'ca.key': b.ca?.['ca.key'] ?? '' }, rolledOut: true }, T0, POLICY).kind).to.equal('bootstrap');
  });
});

describe('how the gateways are reached', () => {
  const mtls = { url: 'https://10.0.0.7:8444', transport: 'mTLS' as const };

  it('tells loopback addresses apart', () => {
    expect(['http://127.0.0.1:8001', 'http://[::1]:8001', 'http://localhost:8001'].map(isLoopbackUrl)).to.deep.equal([true, true, true]);
    expect(['http://10.0.0.7:8001', 'http://kong-admin.kong.svc:8001', 'not a url'].map(isLoopbackUrl)).to.deep.equal([false, false, false]);
  });

  it('names the transport of each gateway', () => {
    expect(transportKind({ url: 'http://10.0.0.7:8001' }, true)).to.equal('plain');
    expect(transportKind({ url: 'https://10.0.0.7:8444' }, false)).to.equal('TLS');
    expect(transportKind({ url: 'https://10.0.0.7:8444', tls: { id: 'x', cert: 'c', key: 'k' } }, false)).to.equal('mTLS');
    expect(transportKind({ url: 'https://10.0.0.7:8444' }, true)).to.equal('mTLS');
  });

  it('is secured only with mutual TLS (or plain HTTP on loopback)', () => {
    expect(adminAccessCondition([mtls], undefined)).to.include({ status: 'True', reason: 'MutualTLS' });
    expect(adminAccessCondition([mtls, { url: 'http://127.0.0.1:8001', transport: 'plain' }], undefined)).to.include({ status: 'True', reason: 'Loopback' });
    expect(adminAccessCondition([{ url: 'https://10.0.0.8:8444', transport: 'TLS' }], undefined)).to.include({ status: 'False', reason: 'NoClientCertificate' });
    expect(adminAccessCondition([], undefined)).to.include({ status: 'Unknown' });
  });

  it('warns about plain HTTP to a pod address, naming it', () => {
    const c = adminAccessCondition([mtls, { url: 'http://10.0.0.9:8001', transport: 'plain' }], undefined);
    expect(c).to.include({ status: 'False', reason: 'PlainHTTP' });
    expect(c.message).to.contain('http://10.0.0.9:8001').and.not.contain('10.0.0.7');
  });

  it('reports a certificate problem first', () => {
    expect(adminAccessCondition([mtls], 'Secret kong/meshdoor-admin-client not found')).to.deep.equal({
      status: 'False', reason: 'CertificatesNotReady', message: 'Secret kong/meshdoor-admin-client not found',
    });
  });
});
