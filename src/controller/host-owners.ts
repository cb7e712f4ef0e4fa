// spec.hosts.ownership: Namespace. The host owners the translator decided are
// kept between passes and given back to it (TranslateOptions.hostOwners), so an
// owner keeps its host until it stops claiming it, whatever the age of a
// newcomer. The MeshDoor status keeps the owners that keep another namespace
// out (bounded): a restarted controller and the replicas that do not lead
// start from them.
import type { HostReport } from '../translate/index.ts';

/** Bounds of what the MeshDoor status keeps. */
export const MAX_HOST_OWNERS_IN_STATUS = 200;
export const MAX_SHARED_HOSTS_IN_STATUS = 50;

export interface HostOwnerEntry {
  host: string;
  namespace: string;
}

export interface SharedHostEntry {
  host: string;
  namespaces: string[];
}

export class HostOwnerMemory {
  private current: ReadonlyMap<string, string> = new Map();
  private seeded = 0;

  /** What the next translation is given. */
  get owners(): ReadonlyMap<string, string> {
    return this.current;
  }

  /** Changes when owners came from the status rather than from this replica's translation (a reason to translate again). */
  get revision(): number {
    return this.seeded;
  }

  /** The owners of the translation a pass ended with. */
  commit(report: HostReport | undefined): void {
    if (report) this.current = report.owners;
  }

  /**
   * Owners kept in the MeshDoor status: after a restart only for hosts with no
   * known owner (`override` false); on a replica that does not lead, always,
   * so it serves what the leader serves.
   */
  seed(entries: readonly HostOwnerEntry[], override: boolean): void {
    const taken = entries.filter((e) => this.current.get(e.host) !== e.namespace && (override || !this.current.has(e.host)));
    if (taken.length === 0) return;
    const next = new Map(this.current);
    for (const e of taken) next.set(e.host, e.namespace);
    this.current = next;
    this.seeded += 1;
  }
}

/** The owners that keep another namespace out, as the status keeps them (sorted by host, bounded). */
export function hostOwnersToStatus(report: HostReport): HostOwnerEntry[] {
  return report.contested.flatMap((host) => {
    const namespace = report.owners.get(host);
    return namespace ? [{ host, namespace }] : [];
  }).slice(0, MAX_HOST_OWNERS_IN_STATUS);
}

/** Entries read back from a status; malformed ones are skipped. */
export function hostOwnersFromStatus(status: unknown): HostOwnerEntry[] {
  const list = (status as { hostOwners?: unknown } | undefined)?.hostOwners;
  if (!Array.isArray(list)) return [];
  return list.flatMap((raw: unknown): HostOwnerEntry[] => {
    const e = raw as Partial<HostOwnerEntry>;
    return typeof e.host === 'string' && e.host !== '' && typeof e.namespace === 'string' && e.namespace !== '' ? [{ host: e.host, namespace: e.namespace }] : [];
  });
}

/** Hosts served from more than one namespace, as the status shows them (bounded). */
export function sharedHostsToStatus(report: HostReport): SharedHostEntry[] {
  return report.shared.slice(0, MAX_SHARED_HOSTS_IN_STATUS).map((h) => ({ host: h.host, namespaces: h.servedFrom.map((s) => s.namespace) }));
}
