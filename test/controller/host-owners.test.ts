// PURE: the host owners kept between passes and in the MeshDoor status — what
// a restart takes from the status (only what it does not know), what a standby
// replica takes (everything the leader wrote), and the bounds of the status.
import { expect } from 'chai';
import { HostOwnerMemory, hostOwnersFromStatus, hostOwnersToStatus, MAX_HOST_OWNERS_IN_STATUS, MAX_SHARED_HOSTS_IN_STATUS, sharedHostsToStatus } from '../../src/controller/host-owners.ts';
import { desiredMeshDoorStatus, type MeshDoorStatusInput } from '../../src/controller/meshdoor-status.ts';
import type { HostReport } from '../../src/translate/types.ts';

function report(owners: Record<string, string>, contested: string[], shared: string[] = []): HostReport {
  const servedFrom = (host: string) => ['team-a', 'team-b'].map((namespace) => ({ namespace, ingress: { kind: 'Ingress' as const, namespace, name: host } }));
  return { owners: new Map(Object.entries(owners)), contested, handOvers: [], shared: shared.map((host) => ({ host, servedFrom: servedFrom(host) })) };
}

describe('host owners: memory and status', () => {
  it('a restart takes owners from the status only for hosts it knows none of; a standby replica takes them all', () => {
    const memory = new HostOwnerMemory();
    memory.commit(report({ 'a.example.com': 'team-a' }, []));
    memory.seed([{ host: 'a.example.com', namespace: 'team-b' }, { host: 'b.example.com', namespace: 'team-b' }], false);
    expect([...memory.owners]).to.deep.equal([['a.example.com', 'team-a'], ['b.example.com', 'team-b']]);
    memory.seed([{ host: 'a.example.com', namespace: 'team-b' }], true);
    expect(memory.owners.get('a.example.com')).to.equal('team-b');
  });

  it('changes its revision only when the status brought something new (a reason to translate again)', () => {
    const memory = new HostOwnerMemory();
    const entries = [{ host: 'a.example.com', namespace: 'team-a' }];
    memory.seed(entries, true);
    const after = memory.revision;
    const owners = memory.owners;
    memory.seed(entries, true);
    expect(memory.revision).to.equal(after);
    expect(memory.owners, 'the same map: the translator sees nothing to re-decide').to.equal(owners);
    memory.commit(report({ 'a.example.com': 'team-a' }, []));
    expect(memory.revision, 'its own translations do not count').to.equal(after);
  });

  it('the status keeps the owners that keep someone out, bounded; reads back only well-formed entries', () => {
    const hosts = Array.from({ length: MAX_HOST_OWNERS_IN_STATUS + 5 }, (_, i) => `h${String(i).padStart(4, '0')}.example.com`);
    const owners = Object.fromEntries([...hosts, 'alone.example.com'].map((h) => [h, 'team-a']));
    const kept = hostOwnersToStatus(report(owners, hosts));
    expect(kept).to.have.length(MAX_HOST_OWNERS_IN_STATUS);
    expect(kept.some((e) => e.host === 'alone.example.com'), 'an uncontested host is not written').to.equal(false);
    expect(hostOwnersFromStatus({ hostOwners: [{ host: 'a.example.com', namespace: 'team-a' }, { host: 'b.example.com' }, 'x', { host: '', namespace: 'n' }] }))
      .to.deep.equal([{ host: 'a.example.com', namespace: 'team-a' }]);
    expect(hostOwnersFromStatus(undefined)).to.deep.equal([]);
  });

  it('the MeshDoor status shows shared hosts (bounded) and owners, keeps the previous ones when a pass has no translation', () => {
    const base: MeshDoorStatusInput = {
      previous: undefined, now: 0, gateways: 1, failures: [],
      synced: { status: 'True', reason: 'Synced', message: 'ok' },
      gatewayInMesh: { status: 'True', reason: 'InMesh', message: 'ok' },
      pods: { total: 0, withSidecar: 0, withoutSidecar: [] },
    };
    const shared = Array.from({ length: MAX_SHARED_HOSTS_IN_STATUS + 1 }, (_, i) => `s${String(i).padStart(3, '0')}.example.com`);
    const status = desiredMeshDoorStatus({ ...base, hosts: report({ 'a.example.com': 'team-a' }, ['a.example.com'], shared) });
    expect(status.hostOwners).to.deep.equal([{ host: 'a.example.com', namespace: 'team-a' }]);
    expect(status.sharedHostCount).to.equal(MAX_SHARED_HOSTS_IN_STATUS + 1);
    expect(status.sharedHosts).to.have.length(MAX_SHARED_HOSTS_IN_STATUS);
    expect(status.sharedHosts?.[0]).to.deep.equal({ host: 's000.example.com', namespaces: ['team-a', 'team-b'] });
    const kept = desiredMeshDoorStatus({ ...base, previous: status });
    expect([kept.hostOwners, kept.sharedHostCount, kept.sharedHosts]).to.deep.equal([status.hostOwners, status.sharedHostCount, status.sharedHosts]);
    const none = desiredMeshDoorStatus({ ...base, previous: status, hosts: report({}, []) });
    expect(['hostOwners', 'sharedHostCount', 'sharedHosts'].filter((k) => k in none)).to.deep.equal([]);
  });

  it('sharedHostsToStatus names the namespaces of each host', () => {
    expect(sharedHostsToStatus(report({}, [], ['a.example.com']))).to.deep.equal([{ host: 'a.example.com', namespaces: ['team-a', 'team-b'] }]);
  });
});
