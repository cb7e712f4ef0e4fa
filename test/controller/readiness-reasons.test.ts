// PURE: what the MeshDoor's Ready condition and hash say. READY means traffic
// flows: an unmanaged gateway (Kong given by URL) does not hold it down, a
// managed one names why it does; the hash is Kong's or absent, never kept stale.
import { expect } from 'chai';
import { desiredMeshDoorStatus, type MeshDoorStatusInput } from '../../src/controller/meshdoor-status.ts';

const base: MeshDoorStatusInput = {
  previous: undefined, now: 0, gateways: 1, failures: [],
  synced: { status: 'True', reason: 'Synced', message: 'configuration applied to 1 gateway(s)' },
  gatewayInMesh: { status: 'False', reason: 'SidecarMissing', message: '0/2 gateway pods have the kuma-sidecar' },
  pods: { total: 2, withSidecar: 0, withoutSidecar: [] },
};

const ready = (input: MeshDoorStatusInput) => desiredMeshDoorStatus(input).conditions.find((c) => c.type === 'Ready');

describe('MeshDoor Ready condition and hash', () => {
  it('a managed gateway out of the mesh holds Ready down and names the GatewayInMesh reason', () => {
    expect(ready(base)).to.include({ status: 'False', reason: 'GatewayNotInMesh' });
    expect(ready(base)?.message).to.contain('GatewayInMesh is False (SidecarMissing)');
  });

  it('no managed gateway (Kong given by URL): Ready follows Synced alone', () => {
    const unmanaged = { ...base, gatewayUnmanaged: true, gatewayInMesh: { status: 'False' as const, reason: 'GatewayNotFound', message: 'gateway Deployment kong/kong-gateway not found' } };
    expect(ready(unmanaged)).to.include({ status: 'True', reason: 'Ready' });
    expect(ready({ ...unmanaged, synced: { status: 'False', reason: 'SyncFailed', message: 'down' } })).to.include({ status: 'False', reason: 'NotSynced' });
  });

  it('shows only the hash Kong reported: none from a previous status when Kong said nothing', () => {
    const previous = desiredMeshDoorStatus({ ...base, configHash: 'abc' });
    expect(previous.configHash).to.equal('abc');
    expect(desiredMeshDoorStatus({ ...base, previous }).configHash).to.equal(undefined);
  });

  it('counts what the gateways hold apart from the desired translation', () => {
    const config = { _format_version: '3.0' as const, services: [], upstreams: [], certificates: [] };
    const s = desiredMeshDoorStatus({ ...base, config, held: { routes: 3, services: 2 } });
    expect(s).to.include({ routes: 3, services: 2, desiredRoutes: 0, desiredServices: 0 });
  });
});
