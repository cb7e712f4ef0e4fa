// Feature: meshdoor reaches every gateway's Admin API over mutual TLS with
// certificates it manages itself. The gateway pods are Kong doubles that demand
// a client certificate (as nginx_admin_ssl_verify_client does) and, like Kong,
// read their certificates only when they start: a "kubelet" below replaces
// them one by one whenever the pod template's certificate hash changes.
import { expect } from 'chai';
import FakeTimers from '@sinonjs/fake-timers';
import type { KubernetesObject, V1Deployment, V1EndpointSlice, V1Secret } from '@kubernetes/client-node';
import { ADMIN_TLS_HASH_ANNOTATION, decodeSecret, servingHash } from '../../src/admin-tls/secret-data.ts';
import { makeMtlsMaterial } from '../kong/mtls-fixtures.ts';
import { certFacts, splitBundle } from '../../src/admin-tls/x509.ts';
import type { MeshDoorStatus } from '../../src/controller/meshdoor-status.ts';
import { startKongDouble, type KongDouble } from '../kong-double/index.ts';
import { gatewayDeployment, gatewayNamespace, ingress, ingressClass, meshdoor, publishService, service } from './fixtures.ts';
import { startHarness, type Harness } from './harness.ts';

const NS = 'kong';
const MINUTE = 60_000;
const TLS_SETTINGS = { certificates: 'managed' };

const placeholder = (name: string): V1Secret => ({ apiVersion: 'v1', kind: 'Secret', metadata: { namespace: NS, name }, type: 'Opaque' });

function adminSlice(port: number): V1EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { namespace: NS, name: `kong-admin-${port}`, labels: { 'kubernetes.io/service-name': 'kong-admin' } },
    addressType: 'IPv4',
    ports: [{ name: 'admin', port, protocol: 'TCP', appProtocol: 'https' }],
    endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }],
  };
}

/** Two gateway pods that start once their serving Secret has a certificate, and roll out one at a time. */
class GatewayPods {
  readonly pods: Array<{ double: KongDouble; hash: string }> = [];
  readonly retired: KongDouble[] = [];
  /** How many CAs each started pod trusted for client certificates. */
  readonly trustedCas: number[] = [];

  constructor(private readonly h: Harness, private readonly replicas: number) {}

  private serving(): Record<string, string> | undefined {
    return decodeSecret(this.h.cluster.get<V1Secret>('Secret', NS, 'kong-admin-tls'));
  }

  private deployment(): V1Deployment {
    const d = this.h.cluster.get<V1Deployment>('Deployment', NS, 'kong-gateway');
    if (!d) throw new Error('no gateway Deployment');
    return d;
  }

  /** One kubelet/Deployment-controller step. */
  async step(): Promise<void> {
    const d = this.deployment();
    const want = d.spec?.template.metadata?.annotations?.[ADMIN_TLS_HASH_ANNOTATION];
    const serving = this.serving();
    // A pod mounts the Secret as it is; the template hash says which content this ReplicaSet runs.
    if (!want || !serving || servingHash(serving) !== want) return;
    const fresh = this.pods.filter((p) => p.hash === want).length;
    const stale = this.pods.filter((p) => p.hash !== want);
    if (fresh < this.replicas && this.pods.length <= this.replicas) {
      const double = await startKongDouble({ mode: 'dbless', tls: { key: serving['tls.key'] ?? '', cert: serving['tls.crt'] ?? '', ca: serving['ca.crt'] ?? '', requestCert: true } });
      this.pods.push({ double, hash: want });
      this.trustedCas.push(splitBundle(serving['ca.crt']).length);
      this.h.cluster.apply(adminSlice(double.port));
      return;
    }
    const old = stale[0];
    if (old) {
      this.h.cluster.remove('EndpointSlice', NS, `kong-admin-${old.double.port}`);
      this.pods.splice(this.pods.indexOf(old), 1);
      this.retired.push(old.double);
      return;
    }
    if ((d.status?.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) {
      await this.h.cluster.writer.patchDeployment(NS, 'kong-gateway', { status: { observedGeneration: d.metadata?.generation, replicas: this.replicas, updatedReplicas: this.replicas } });
    }
  }

  /** Every request any pod ever answered with nginx's 400 (a refused client certificate). */
  refusals(): string[] {
    return [...this.pods.map((p) => p.double), ...this.retired].flatMap((d) => d.requests.filter((r) => r.status === 400).map((r) => `${d.url} ${r.method} ${r.path}`));
  }

  async close(): Promise<void> {
    await Promise.all([...this.pods.map((p) => p.double), ...this.retired].map((d) => d.close()));
  }
}

function baseObjects(): KubernetesObject[] {
  const deployment = gatewayDeployment({ 'kuma.io/sidecar-injection': 'enabled' }, { 'kuma.io/gateway': 'enabled' });
  return [
    meshdoor({ kongAdmin: { tls: TLS_SETTINGS } }), ingressClass(), gatewayNamespace(), publishService(),
    { ...deployment, status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2 } } as V1Deployment,
    placeholder('meshdoor-admin-ca'), placeholder('kong-admin-tls'), placeholder('meshdoor-admin-client'),
    service('shop', 'web'), ingress('shop', 'a'),
  ];
}

describe('controller: mutual TLS to the gateways with managed certificates', function () {
  this.timeout(120_000);
  let h: Harness;
  let pods: GatewayPods;

  const secret = (name: string): Record<string, string> => decodeSecret(h.cluster.get<V1Secret>('Secret', NS, name)) ?? {};
  const status = (): Partial<MeshDoorStatus> => h.cluster.get<{ status?: Partial<MeshDoorStatus> } & KubernetesObject>('MeshDoor', undefined, 'default')?.status ?? {};
  const condition = (type: string) => status().conditions?.find((c) => c.type === type);
  const routedEverywhere = (host: string): void => {
    expect(pods.pods).to.have.length(2);
    for (const { double } of pods.pods) expect(double.route({ host, path: '/' }).status, `${double.url} ${host}`).to.not.equal(404);
  };
  const run = async (ms: number): Promise<void> => {
    for (let t = 0; t < ms; t += 500) {
      await h.advance(500, 250);
      await pods.step();
    }
  };
  /** Until `check` passes: the clock advances and the "kubelet" steps between checks (h.eventually alone would not start pods). */
  const converge = async (check: () => void, withinMs = 20_000): Promise<void> => {
    for (let t = 0; ; t += 500) {
      try {
        check();
        return;
      } catch (err) {
        if (t >= withinMs) throw err;
      }
      await run(500);
    }
  };
  const failures = async (): Promise<number> => {
    const pushes = await h.metrics.pushCount.get();
    const syncs = await h.metrics.syncCount.get();
    return pushes.values.filter((v) => v.labels.success === 'false').reduce((n, v) => n + v.value, 0)
      + syncs.values.filter((v) => v.labels.result === 'failed').reduce((n, v) => n + v.value, 0);
  };

  beforeEach(async () => {
    h = await startHarness({
      clock: FakeTimers.createClock(Date.now()), kongMode: 'dbless', objects: baseObjects(),
      options: {
        adminTlsPolicy: { caLifetimeMs: 30 * MINUTE, caRenewBeforeMs: 20 * MINUTE, leafLifetimeMs: 6 * MINUTE, leafRenewBeforeMs: 3 * MINUTE, backdateMs: 2 * 60 * MINUTE },
      },
    });
    pods = new GatewayPods(h, 2);
  });
  afterEach(async () => {
    await h.stop();
    await pods.close();
  });

  it('creates a CA, the serving and the client certificate, and converges every gateway over mutual TLS', async () => {
    await converge(() => { routedEverywhere('a.example.com'); });
    const ca = secret('meshdoor-admin-ca');
    const serving = certFacts(secret('kong-admin-tls')['tls.crt']);
    expect(certFacts(ca['ca.crt'])?.isCa).to.equal(true);
    expect(serving?.dnsNames).to.deep.equal(['kong-admin.kong.svc', 'kong-admin.kong.svc.cluster.local']);
    expect(secret('meshdoor-admin-client')['ca.crt']).to.equal(ca['ca.crt']);
    await h.eventually(() => {
      expect(status().gatewayAccess?.map((g) => g.transport)).to.deep.equal(['mTLS', 'mTLS']);
      expect(condition('AdminAPISecured')).to.include({ status: 'True', reason: 'MutualTLS' });
    });
    expect(pods.refusals()).to.deep.equal([]);
    expect(await failures()).to.equal(0);
  });

  it('keeps every push working through leaf renewals and a CA rotation, rolling the gateway out pod by pod', async () => {
    await converge(() => { routedEverywhere('a.example.com'); });
    const firstCa = secret('meshdoor-admin-ca')['ca.crt'];
    const firstClient = secret('meshdoor-admin-client')['tls.crt'];
    // 16 minutes: leaves renew every ~3 minutes, the CA rotates after 10.
    for (let minute = 1; minute <= 16; minute += 1) {
      h.cluster.apply(ingress('shop', `m${minute}`));
      await run(MINUTE);
      await h.eventually(() => { routedEverywhere(`m${minute}.example.com`); }, 20_000);
    }
    const ca = secret('meshdoor-admin-ca');
    expect(ca['ca.crt'], 'the CA rotated').to.not.equal(firstCa);
    expect(ca['next-ca.crt'], 'rotation finished').to.equal(undefined);
    expect(pods.trustedCas, 'pods trusting old and new CA side by side during the rotation').to.include(2);
    expect(splitBundle(secret('kong-admin-tls')['ca.crt']).map((p) => certFacts(p)?.fingerprint)).to.deep.equal([certFacts(ca['ca.crt'])?.fingerprint]);
    expect(secret('meshdoor-admin-client')['tls.crt']).to.not.equal(firstClient);
    expect(pods.retired.length, 'the gateway rolled out several times').to.be.greaterThan(4);
    expect(pods.refusals(), 'no request refused by a gateway').to.deep.equal([]);
    expect(await failures(), 'no failed push or pass').to.equal(0);
  });
});

describe('controller: gateways that refuse meshdoor\'s client certificate', function () {
  this.timeout(30_000);
  let h: Harness;
  let gateway: KongDouble;
  afterEach(async () => {
    await h.stop();
    await gateway.close();
  });

  const tlsSecret = (name: string, pair: { cert: string; key: string }, ca: string): V1Secret => ({
    apiVersion: 'v1', kind: 'Secret', metadata: { namespace: NS, name }, type: 'kubernetes.io/tls',
    data: { 'tls.crt': b64(pair.cert), 'tls.key': b64(pair.key), 'ca.crt': b64(ca) },
  });
  const b64 = (text: string): string => Buffer.from(text).toString('base64');

  async function start(tls: Record<string, unknown>, secrets: V1Secret[]): Promise<void> {
    h = await startHarness({
      clock: FakeTimers.createClock(Date.now()), kongMode: 'dbless',
      objects: [
        meshdoor({ kongAdmin: { tls } }), ingressClass(), gatewayNamespace(), publishService(),
        gatewayDeployment({ 'kuma.io/sidecar-injection': 'enabled' }, { 'kuma.io/gateway': 'enabled' }),
        adminSlice(gateway.port), service('shop', 'web'), ingress('shop', 'a'), ...secrets,
      ],
    });
  }
  const status = (): Partial<MeshDoorStatus> => h.cluster.get<{ status?: Partial<MeshDoorStatus> } & KubernetesObject>('MeshDoor', undefined, 'default')?.status ?? {};
  const condition = (type: string) => status().conditions?.find((c) => c.type === type);

  it('with provided certificates from another CA: Synced is False with a message naming the gateway and the CA problem', async () => {
    const kongSide = await makeMtlsMaterial('gateway CA');
    const ours = await makeMtlsMaterial('other CA');
    gateway = await startKongDouble({ mode: 'dbless', tls: { key: kongSide.server.key, cert: kongSide.server.cert, ca: kongSide.ca.cert, requestCert: true } });
    await start({ certificates: 'provided' }, [
      tlsSecret('kong-admin-tls', kongSide.server, kongSide.ca.cert),
      // Trusts the gateway's CA, but its own certificate comes from elsewhere.
      tlsSecret('meshdoor-admin-client', ours.client, kongSide.ca.cert),
    ]);
    await h.eventually(() => {
      expect(condition('Synced')).to.include({ status: 'False', reason: 'SyncFailed' });
      expect(condition('Synced')?.message).to.contain(gateway.url).and.to.contain("refused meshdoor's client certificate").and.to.contain('does not trust its CA');
    });
    expect(h.cluster.writes.filter((w) => w.op === 'secret'), 'provided Secrets are only read').to.deep.equal([]);
    const annotations = h.cluster.get<V1Deployment>('Deployment', NS, 'kong-gateway')?.spec?.template.metadata?.annotations ?? {};
    expect(annotations[ADMIN_TLS_HASH_ANNOTATION], 'the gateway still rolls out on a new serving certificate').to.be.a('string');
    expect(status().gatewayAccess?.map((g) => g.transport)).to.deep.equal(['mTLS']);
  });

  it('with a client Secret that holds only the CA: refused for want of a client certificate, and the status says why', async () => {
    const kongSide = await makeMtlsMaterial('gateway CA');
    gateway = await startKongDouble({ mode: 'dbless', tls: { key: kongSide.server.key, cert: kongSide.server.cert, ca: kongSide.ca.cert, requestCert: true } });
    const caOnly: V1Secret = { apiVersion: 'v1', kind: 'Secret', metadata: { namespace: NS, name: 'meshdoor-admin-client' }, type: 'Opaque', data: { 'ca.crt': b64(kongSide.ca.cert) } };
    await start({ certificates: 'provided' }, [tlsSecret('kong-admin-tls', kongSide.server, kongSide.ca.cert), caOnly]);
    await h.eventually(() => {
      expect(condition('Synced')?.message).to.contain(gateway.url).and.to.contain('requires a client certificate and meshdoor has none');
      expect(condition('AdminAPISecured')).to.include({ status: 'False', reason: 'CertificatesNotReady' });
      expect(condition('AdminAPISecured')?.message).to.equal('Secret kong/meshdoor-admin-client lacks tls.crt, tls.key');
      expect(status().gatewayAccess?.map((g) => g.transport)).to.deep.equal(['TLS']);
    });
    expect(gateway.requests.length).to.be.greaterThan(0);
    expect(gateway.requests.every((r) => r.status === 400), 'every request refused by the gateway').to.equal(true);
  });
});
