// What people are told about hosts: a Normal Event on the new owner's Ingress
// (and a log line) when a host is handed over, and under spec.hosts.ownership
// Shared a Normal Event on the oldest Ingress of each namespace serving a host
// once that host is served from more than one namespace: each tenant sees it
// with `kubectl describe ingress`. Once per host per change, not per pass.
import type { HostOwnership } from '../config/index.ts';
import type { EventRecorder } from '../kube/index.ts';
import type { Logger } from '../observe/index.ts';
import { sharedHostMessage } from '../translate/index.ts';
import type { HostReport, SharedHost } from '../translate/index.ts';
import { eventTarget } from './failure-events.ts';

const NO_UID = (): undefined => undefined;

export class HostEvents {
  private lastReport: HostReport | undefined;
  /** Shared host → the namespaces it was reported with. */
  private reportedShared = new Map<string, string>();

  constructor(private readonly o: { events: EventRecorder; log: Logger }) {}

  report(report: HostReport | undefined, ownership: HostOwnership): void {
    if (!report || report === this.lastReport) return;
    this.lastReport = report;
    for (const h of report.handOvers) {
      this.o.log.info('host handed over', { host: h.host, from: h.from, to: h.to });
      this.o.events.record(eventTarget(h.ingress, NO_UID), 'Normal', 'HostHandedOver',
        `host '${h.host}' now belongs to namespace ${h.to}: namespace ${h.from}, its owner, no longer claims it`);
    }
    this.reportShared(ownership === 'Shared' ? report.shared : []);
  }

  private reportShared(shared: readonly SharedHost[]): void {
    const now = new Map<string, string>();
    for (const h of shared) {
      const namespaces = h.servedFrom.map((s) => s.namespace).join(', ');
      now.set(h.host, namespaces);
      if (this.reportedShared.get(h.host) === namespaces) continue;
      this.o.log.info('host served from more than one namespace', { host: h.host, namespaces });
      const message = sharedHostMessage(h);
      for (const s of h.servedFrom) this.o.events.record(eventTarget(s.ingress, NO_UID), 'Normal', 'SharedHost', message);
    }
    this.reportedShared = now;
  }
}
