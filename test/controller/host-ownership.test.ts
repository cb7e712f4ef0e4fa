// Feature: host ownership across passes, restarts and replicas. Under
// spec.hosts.ownership Namespace an owner keeps its host while it claims it
// (kept in the MeshDoor status), and a hand-over is logged with a Normal Event
// on the new owner's Ingress; under Shared each namespace serving a shared host
// gets one Normal Event per change, and the status lists the host.
import { expect } from 'chai';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { MeshDoorStatus } from '../../src/controller/meshdoor-status.ts';
import { FakeCluster } from '../kube/fake-cluster.ts';
import { Writable } from 'node:stream';
import { createLogger, silentLogger, type Logger } from '../../src/observe/logger.ts';
import { gatewayObjects, ingress, meshdoor, service, serviceEndpoints } from './fixtures.ts';
import { startHarness, type Harness } from './harness.ts';
import { recordingKong, type RecordingKong } from './recording-kong.ts';

function status(cluster: FakeCluster): Partial<MeshDoorStatus> {
  return cluster.get<KubernetesObject & { status?: Partial<MeshDoorStatus> }>('MeshDoor', undefined, 'default')?.status ?? {};
}

function eventsOf(cluster: FakeCluster, reason: string): string[] {
  return cluster.events.filter((e) => e.reason === reason).map((e) => `${e.type} ${e.involvedObject.namespace ?? ''}/${e.involvedObject.name}: ${e.message ?? ''}`);
}

/** The hosts of the routes Kong was last given, per namespace (route names start with it). */
function servedPaths(kong: RecordingKong): string[] {
  const config = kong.syncs.at(-1)?.applied.config;
  return (config?.services ?? []).flatMap((s) => s.routes.map((r) => `${r.name?.split('.')[0] ?? ''} ${(r.hosts ?? []).join(',')}${(r.paths ?? [])[0] ?? ''}`)).sort();
}

/** A logger whose JSON lines end up in `lines`. */
function capturingLogger(lines: Record<string, unknown>[]): Logger {
  const stream = new Writable({ write(chunk: Buffer, _encoding, done) { lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>); done(); } });
  return createLogger({ stream, format: 'json' });
}

const TENANTS = ['team-a', 'team-b', 'team-c'].flatMap((ns) => [service(ns, 'web'), serviceEndpoints(ns, 'web')]);

function cluster(ownership: 'Shared' | 'Namespace'): FakeCluster {
  const fake = new FakeCluster();
  const objects = [...gatewayObjects(1).filter((o) => o.kind !== 'MeshDoor'), meshdoor({ hosts: { ownership } }), ...TENANTS];
  for (const obj of objects) fake.apply(obj);
  return fake;
}

describe('host ownership in the controller', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  const start = async (fake: FakeCluster, kong: RecordingKong, log: Logger = silentLogger()): Promise<Harness> =>
    startHarness({ cluster: fake, kong, kongAdminUrls: ['http://127.0.0.1:1'], log });

  it('Namespace: the owner keeps its host against an older-sorting newcomer, across a restart; deleting it hands the host over', async () => {
    const fake = cluster('Namespace');
    // The fake API server gives every object the same creationTimestamp: team-a/site sorts first, as if older.
    fake.apply(ingress('team-b', 'site', { host: 'a.example.com' }));
    let kong = recordingKong();
    h = await start(fake, kong);
    await h.eventually(() => { expect(servedPaths(kong)).to.deep.equal(['team-b a.example.com/']); });
    fake.apply(ingress('team-a', 'site', { host: 'a.example.com', path: '/login' }));
    await h.eventually(() => { expect(status(fake).hostOwners).to.deep.equal([{ host: 'a.example.com', namespace: 'team-b' }]); });
    expect(servedPaths(kong), 'team-a, though first by age, is refused').to.deep.equal(['team-b a.example.com/']);
    expect(status(fake).failingObjects?.map((f) => `${f.namespace ?? ''}/${f.name} ${f.reason}`)).to.deep.equal(['team-a/site HostNotOwned']);

    await h.stop();
    kong = recordingKong();
    const lines: Record<string, unknown>[] = [];
    h = await start(fake, kong, capturingLogger(lines));
    await h.eventually(() => { expect(kong.syncs.length).to.be.greaterThan(0); });
    expect(servedPaths(kong), 'after a restart the owner is remembered from the status').to.deep.equal(['team-b a.example.com/']);

    fake.remove('Ingress', 'team-b', 'site');
    await h.eventually(() => { expect(servedPaths(kong)).to.deep.equal(['team-a a.example.com/login/']); });
    await h.eventually(() => {
      expect(eventsOf(fake, 'HostHandedOver')).to.deep.equal([
        "Normal team-a/site: host 'a.example.com' now belongs to namespace team-a: namespace team-b, its owner, no longer claims it",
      ]);
    });
    const logged = lines.filter((l) => l.message === 'host handed over').map(({ host, from, to }) => ({ host, from, to }));
    expect(logged).to.deep.equal([{ host: 'a.example.com', from: 'team-b', to: 'team-a' }]);
    await h.eventually(() => { expect(status(fake).hostOwners).to.equal(undefined); });
  });

  it('Shared: one Normal Event per namespace serving a shared host, again only when the namespaces change; the status lists it', async () => {
    const fake = cluster('Shared');
    fake.apply(ingress('team-a', 'site', { host: 'a.example.com' }));
    fake.apply(ingress('team-b', 'extra', { host: 'a.example.com', path: '/extra' }));
    const kong = recordingKong();
    h = await start(fake, kong);
    await h.eventually(() => { expect(eventsOf(fake, 'SharedHost')).to.have.length(2); });
    expect(eventsOf(fake, 'SharedHost')[0]).to.equal("Normal team-a/site: host 'a.example.com' is served from namespaces team-a, team-b "
      + '(Ingresses team-a/site, team-b/extra): spec.hosts.ownership Shared merges their paths; Namespace keeps a host to one namespace');
    await h.eventually(() => { expect(status(fake).sharedHosts).to.deep.equal([{ host: 'a.example.com', namespaces: ['team-a', 'team-b'] }]); });
    expect(status(fake).sharedHostCount).to.equal(1);

    fake.apply(ingress('team-a', 'other', { host: 'other.example.com' }));
    await h.eventually(() => { expect(servedPaths(kong)).to.include('team-a other.example.com/'); });
    await h.advance(1000);
    expect(eventsOf(fake, 'SharedHost'), 'an unrelated change repeats nothing').to.have.length(2);

    fake.apply(ingress('team-c', 'more', { host: 'a.example.com', path: '/more' }));
    await h.eventually(() => { expect(eventsOf(fake, 'SharedHost')).to.have.length(5); });
    await h.eventually(() => { expect(status(fake).sharedHosts?.[0]?.namespaces).to.deep.equal(['team-a', 'team-b', 'team-c']); });
  });
});
