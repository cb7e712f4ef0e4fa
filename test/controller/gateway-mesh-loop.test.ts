// Feature: the gateway-in-mesh check is its own reconcile loop. A Kong push
// that hangs does not hold back repairing the gateway's pod template; the push
// still completes once Kong answers, and only the leader repairs.
import { expect } from 'chai';
import { V1MicroTime, type V1Deployment } from '@kubernetes/client-node';
import type { KongMode, SyncReport, SyncRequest } from '../../src/kong/sync-types.ts';
import type { MeshDoorStatus } from '../../src/controller/meshdoor-status.ts';
import { FakeCluster } from '../kube/fake-cluster.ts';
import { gatewayObjects, ingress, service } from './fixtures.ts';
import { startHarness, type Harness } from './harness.ts';
import { recordingKong, type RecordingKong } from './recording-kong.ts';

/** A recording Kong whose pushes hang while held, until released. */
interface HoldingKong extends RecordingKong {
  /** Pushes waiting for release. */
  readonly hanging: number;
  hold(): void;
  release(): void;
}

function holdingKong(mode: KongMode = 'dbless'): HoldingKong {
  const inner = recordingKong(mode);
  let gate: Promise<void> | undefined;
  let open: () => void = () => undefined;
  let hanging = 0;
  return {
    ...inner,
    get hanging() { return hanging; },
    hold() { gate = new Promise((resolve) => { open = resolve; }); },
    release() { gate = undefined; open(); },
    engine: (m) => ({
      async sync(request: SyncRequest): Promise<SyncReport> {
        if (gate) {
          hanging += 1;
          await gate;
          hanging -= 1;
        }
        return inner.engine(m).sync(request);
      },
    }),
  };
}

/** The gateway Deployment with its pod template's kuma.io/sidecar-injection label removed (someone's edit). */
function withoutInjectionLabel(deployment: V1Deployment | undefined): V1Deployment {
  const template = deployment?.spec?.template;
  const { 'kuma.io/sidecar-injection': _dropped, ...labels } = template?.metadata?.labels ?? {};
  return { ...deployment, spec: { ...deployment?.spec, template: { ...template, metadata: { ...template?.metadata, labels } } } } as V1Deployment;
}

const injectionLabel = (cluster: FakeCluster): string | undefined =>
  cluster.get<V1Deployment>('Deployment', 'kong', 'kong-gateway')?.spec?.template.metadata?.labels?.['kuma.io/sidecar-injection'];

const deploymentWrites = (cluster: FakeCluster): number => cluster.writes.filter((w) => w.op === 'deployment').length;

const hostsOf = (report: SyncReport | undefined): string[] =>
  report?.applied.config.services.flatMap((s) => s.routes.flatMap((r) => r.hosts ?? [])) ?? [];

describe('controller: the gateway-in-mesh check runs as its own loop', () => {
  let harnesses: Harness[] = [];
  let held: HoldingKong | undefined;
  afterEach(async () => {
    held?.release();
    held = undefined;
    for (const h of harnesses) await h.stop();
    harnesses = [];
  });

  it('repairs a drifted gateway Deployment while a Kong push hangs, and the push completes once Kong answers', async () => {
    const kong = holdingKong();
    held = kong;
    const h = await startHarness({ kong, kongAdminUrls: ['http://127.0.0.1:1'], objects: [...gatewayObjects(1), service('shop', 'web'), ingress('shop', 'web')] });
    harnesses.push(h);
    const inMesh = () => h.cluster.get<{ status?: Partial<MeshDoorStatus> } & V1Deployment>('MeshDoor', undefined, 'default')?.status?.conditions?.find((c) => c.type === 'GatewayInMesh');
    await h.eventually(() => {
      expect(kong.syncs).to.have.length(1);
      expect(inMesh()?.status).to.equal('True');
    });

    kong.hold();
    h.cluster.apply(ingress('shop', 'web', { host: 'new.example.com' }));
    await h.eventually(() => { expect(kong.hanging, 'the push for the edit hangs').to.equal(1); });
    h.cluster.apply(withoutInjectionLabel(h.cluster.get<V1Deployment>('Deployment', 'kong', 'kong-gateway')));
    expect(injectionLabel(h.cluster)).to.equal(undefined);

    await h.eventually(() => { expect(injectionLabel(h.cluster), 'repaired').to.equal('enabled'); });
    expect(kong.hanging, 'while the push still hangs').to.equal(1);
    expect(kong.syncs, 'no push finished meanwhile').to.have.length(1);
    expect(deploymentWrites(h.cluster)).to.equal(1);

    kong.release();
    await h.eventually(() => { expect(hostsOf(kong.syncs.at(-1))).to.deep.equal(['new.example.com']); });
    expect(kong.hanging).to.equal(0);
    // What the check found (our apply) reaches the MeshDoor status through the sync pass.
    await h.eventually(() => { expect(inMesh()?.reason).to.equal('RollingOut'); });
    await h.advance(3000);
    expect(deploymentWrites(h.cluster), 'one repair, no more').to.equal(1);
  });

  it('a standby checks the gateway but never repairs it: only the leader writes', async () => {
    const cluster = new FakeCluster();
    // Another replica holds the Lease for the whole test.
    await cluster.leaseApi.create('kong', {
      metadata: { namespace: 'kong', name: 'meshdoor-default' },
      spec: { holderIdentity: 'elsewhere', leaseDurationSeconds: 3600, renewTime: new V1MicroTime(Date.now()), leaseTransitions: 0 },
    });
    const objects = [...gatewayObjects(1), service('shop', 'web'), ingress('shop', 'web')];
    cluster.apply(withoutInjectionLabel(objects.find((o): o is V1Deployment => o.kind === 'Deployment')));
    const h = await startHarness({ cluster, objects: objects.filter((o) => o.kind !== 'Deployment'), kong: recordingKong(), kongAdminUrls: ['http://127.0.0.1:1'], leaderElection: true, identity: 'standby' });
    harnesses.push(h);
    const sidecarPods = async (): Promise<number | undefined> => (await h.metrics.gatewayPods.get()).values.find((v) => v.labels.sidecar === 'true')?.value;
    await h.advance(3000);
    expect(h.controller.isLeader()).to.equal(false);
    expect(await sidecarPods(), 'the standby checked the gateway pods').to.equal(2);
    expect(injectionLabel(cluster), 'but left the template to the leader').to.equal(undefined);
    expect(deploymentWrites(cluster)).to.equal(0);
  });
});
