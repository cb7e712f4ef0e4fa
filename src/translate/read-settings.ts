// Plans are remembered per settings object: new settings plan every Ingress
// again (at 10k, about as long as a cold pass; at 50k, two seconds). A MeshDoor
// edit of fields translation never reads (publish addresses, the Admin API,
// the gateway Deployment, last-valid serving) gives equal settings for it, so
// the translator keeps the settings object it had and every plan with it.
import type { MeshDoorSettings } from '../config/index.ts';

/** What the MeshDoor says that translation does not read; any other field, a new one included, counts. */
const UNREAD: ReadonlySet<string> = new Set<keyof MeshDoorSettings>(['name', 'gateway', 'kongAdmin', 'publishService', 'publishAddresses', 'serveLastValid']);

function readFields(settings: MeshDoorSettings): string {
  return JSON.stringify(Object.entries(settings).filter(([key]) => !UNREAD.has(key)).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The settings a translator plans with: the last ones while what translation reads is the same. */
export class ReadSettings {
  private last: { settings: MeshDoorSettings; read: string } | undefined;

  of(settings: MeshDoorSettings): MeshDoorSettings {
    const last = this.last;
    if (last?.settings === settings) return settings;
    const read = readFields(settings);
    if (last?.read === read) return last.settings;
    this.last = { settings, read };
    return settings;
  }
}
