// The settings this replica serves, read from its MeshDoor (edits apply at run
// time). An invalid spec keeps the last good settings and is reported. The
// controller serves nothing while the MeshDoor is absent; the defaults here only
// answer currentSettings() then.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { MeshDoorObject, MeshDoorSettings } from '../config/index.ts';
import { errorField, type Logger } from '../observe/index.ts';

export interface ResolvedSettings {
  settings: MeshDoorSettings;
  /** Why the MeshDoor's spec was not applied (the previous settings stay in force). */
  specError?: string;
  /** The MeshDoor object, when it exists. */
  meshdoor?: MeshDoorObject & KubernetesObject;
}

export class SettingsState {
  private lastKey: string | undefined;
  private current: ResolvedSettings | undefined;

  constructor(
    private readonly name: string,
    private readonly fromMeshDoor: (obj: MeshDoorObject | undefined) => MeshDoorSettings,
    private readonly log: Logger,
  ) {}

  resolve(meshdoor: KubernetesObject | undefined): ResolvedSettings {
    const obj = meshdoor as (MeshDoorObject & KubernetesObject) | undefined;
    // Generation moves on spec edits only, not on our own status writes.
    const meta = obj?.metadata;
    const key = obj ? `${meta?.uid ?? ''}@${meta?.generation ?? meta?.resourceVersion ?? ''}` : 'absent';
    if (this.current && key === this.lastKey) return { ...this.current, ...(obj ? { meshdoor: obj } : {}) };
    this.lastKey = key;
    this.current = this.compute(obj);
    return this.current;
  }

  private compute(obj: (MeshDoorObject & KubernetesObject) | undefined): ResolvedSettings {
    if (!obj) {
      this.log.warn('MeshDoor not found, serving default settings', { object: `MeshDoor/${this.name}` });
      return { settings: { ...this.fromMeshDoor(undefined), name: this.name } };
    }
    try {
      const settings = this.fromMeshDoor(obj);
      this.log.info('serving MeshDoor settings', { object: `MeshDoor/${this.name}`, ingressClass: settings.ingressClass, upstreamMode: settings.upstreamMode });
      return { settings, meshdoor: obj };
    } catch (err) {
      const specError = errorField(err);
      this.log.error('invalid MeshDoor spec, keeping previous settings', { object: `MeshDoor/${this.name}`, error: specError });
      const previous = this.current?.settings ?? { ...this.fromMeshDoor(undefined), name: this.name };
      return { settings: previous, specError, meshdoor: obj };
    }
  }
}
