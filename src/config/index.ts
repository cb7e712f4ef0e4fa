// The settings of one bridge: a MeshDoor object validated, with defaults applied.
export { settingsFromMeshDoor } from './meshdoor-spec.ts';
export type { MeshDoorObject } from './meshdoor-spec.ts';
export type { GatewaySettings, HostOwnership, MeshDoorSettings, MeshSettings } from './settings.ts';
