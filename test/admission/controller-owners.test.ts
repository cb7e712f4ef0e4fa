// The controller tells the webhook, at each pass, the host owners its
// translation remembers (seeded from the MeshDoor status after a restart), so
// the webhook judges a claim on an owned host as the translator does.
import { expect } from 'chai';
import type { KubernetesObject, V1Ingress } from '@kubernetes/client-node';
import { evaluateIngress } from '../../src/admission/evaluate.ts';
import { ServedIndex } from '../../src/admission/served-index.ts';
import type { MeshDoorSettings } from '../../src/config/settings.ts';
import type { MeshDoorStatus } from '../../src/controller/meshdoor-status.ts';
import type { Snapshot } from '../../src/translate/types.ts';
import { FakeCluster } from '../kube/fake-cluster.ts';
import { gatewayObjects, ingress, meshdoor, service, serviceEndpoints } from '../controller/fixtures.ts';
import { startHarness, type Harness } from '../controller/harness.ts';
import { recordingKong } from '../controller/recording-kong.ts';

const NOW = new Date('2030-01-01T00:00:00Z');

/** What one replica's webhook holds: the index and the pass it came from. */
class WebhookView {
  readonly served = new ServedIndex();
  readonly owners: ReadonlyMap<string, string>[] = [];
  private last: { snapshot: Snapshot; settings: MeshDoorSettings } | undefined;

  readonly onSnapshot = (snapshot: Snapshot, settings: MeshDoorSettings, hostOwners: ReadonlyMap<string, string>): void => {
    this.served.update(snapshot, settings, hostOwners);
    this.owners.push(hostOwners);
    this.last = { snapshot, settings };
  };

  judge(ing: V1Ingress): { allowed: boolean; message?: string } {
    if (!this.last) throw new Error('no pass yet');
    const { allowed, message } = evaluateIngress({ ...this.last, served: this.served, watchNamespaces: [] }, ing, undefined, NOW);
    return { allowed, ...(message !== undefined ? { message } : {}) };
  }
}

function statusOf(cluster: FakeCluster): Partial<MeshDoorStatus> {
  return cluster.get<KubernetesObject & { status?: Partial<MeshDoorStatus> }>('MeshDoor', undefined, 'default')?.status ?? {};
}

describe('admission: the controller gives the webhook its remembered host owners', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('refuses what the translator refuses on an owned host, after a restart too', async () => {
    const fake = new FakeCluster();
    const tenants = ['team-a', 'team-b'].flatMap((ns) => [service(ns, 'web'), serviceEndpoints(ns, 'web')]);
    for (const obj of [...gatewayObjects(1).filter((o) => o.kind !== 'MeshDoor'), meshdoor({ hosts: { ownership: 'Namespace' } }), ...tenants]) fake.apply(obj);
    // The fake API server gives every object the same creationTimestamp: team-a sorts first, as if older.
    fake.apply(ingress('team-b', 'site', { host: 'a.example.com' }));
    const start = (view: WebhookView): Promise<Harness> =>
      startHarness({ cluster: fake, kong: recordingKong(), kongAdminUrls: ['http://127.0.0.1:1'], onSnapshot: view.onSnapshot });
    let view = new WebhookView();
    h = await start(view);
    await h.eventually(() => { expect(view.owners.at(-1)?.get('a.example.com')).to.equal('team-b'); });
    fake.apply(ingress('team-a', 'site', { host: 'a.example.com', path: '/login' }));
    await h.eventually(() => { expect(statusOf(fake).failingObjects?.map((f) => `${f.namespace ?? ''}/${f.name} ${f.reason}`)).to.deep.equal(['team-a/site HostNotOwned']); });

    const teamA = ingress('team-a', 'more', { host: 'a.example.com', path: '/more' });
    const teamB = ingress('team-b', 'more', { host: 'a.example.com', path: '/more' });
    expect(view.judge(teamA).message).to.match(/^Ingress team-a\/more: HostNotOwned: host 'a.example.com' belongs to namespace team-b \(Ingress team-b\/site claims it first\)/);
    expect(view.judge(teamB)).to.deep.equal({ allowed: true });

    await h.stop();
    view = new WebhookView();
    h = await start(view);
    await h.eventually(() => { expect(view.owners.length).to.be.greaterThan(0); });
    expect(view.owners[0]?.get('a.example.com'), 'the first pass after a restart: owners from the status').to.equal('team-b');
    expect(view.judge(teamA).allowed).to.equal(false);
    expect(view.judge(teamB).allowed).to.equal(true);
  });
});
