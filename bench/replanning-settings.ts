// Settings that make a translator kept across passes plan every Ingress again,
// as a MeshDoor edit of a field translation reads does. A new settings object
// with the same fields no longer does (src/translate/read-settings.ts). The
// ExternalName allow entry changes is one no generated Service names, so the
// output stays the same.
import { DEFAULT_SETTINGS, type MeshDoorSettings } from '../src/config/settings.ts';

let edits = 0;

export function replanningSettings(): MeshDoorSettings {
  edits += 1;
  return { ...DEFAULT_SETTINGS, externalNameAllow: [`edit-${edits}.bench.invalid`] };
}
