// PURE: the MeshDoor status fields about the gateway's place in the mesh,
// beside the conditions: the `kuma.io/service` identity Kuma gives the gateway
// (what a MeshTrafficPermission must name) and what meshdoor read of its Mesh.
// Every key is always present ('' for none): the status is written as a JSON
// merge patch, which would leave a key the new status merely omits in place.
import type { GatewayMeshState } from '../mesh/index.ts';

export interface GatewayMeshStatusFields {
  meshIdentity: { service: string; fromService: string; warning: string };
  mesh: { name: string; read: boolean; found: 'True' | 'False' | 'Unknown'; meshServicesMode: string; warning: string };
}

export function gatewayMeshStatusFields(state: Pick<GatewayMeshState, 'identity' | 'mesh'>): GatewayMeshStatusFields {
  const { identity, mesh } = state;
  return {
    meshIdentity: { service: identity?.service ?? '', fromService: identity?.fromService ?? '', warning: identity?.warning ?? '' },
    mesh: {
      name: mesh?.name ?? '',
      read: mesh?.read ?? false,
      found: mesh?.found === undefined ? 'Unknown' : mesh.found ? 'True' : 'False',
      meshServicesMode: mesh?.meshServicesMode ?? '',
      warning: mesh?.warning ?? '',
    },
  };
}
