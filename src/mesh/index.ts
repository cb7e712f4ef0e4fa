// The gateway in a Kuma mesh: its sidecar-injection metadata kept on the gateway
// Deployment, what keeps it out of the mesh, the Mesh read, and Kuma's names.
export { GatewayMesh } from './ensure-gateway.ts';
export type { GatewayMeshState } from './ensure-gateway.ts';
export { normaliseDnsName, parseMeshAddress } from '../model/index.ts';
export { kubeMeshApi, MeshReader } from './mesh-reader.ts';
export type { MeshApi } from './mesh-reader.ts';
export { deploymentPodSelector, rolloutComplete } from './sidecar.ts';
export type { GatewayPodSummary } from './sidecar.ts';
