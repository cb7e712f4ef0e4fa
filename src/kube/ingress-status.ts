// Ingress status.loadBalancer: the address users reach the gateway at. Pure
// part: the desired addresses and the comparison; I/O part: write only what
// changed, only for Ingresses that were configured (so never another class's).
import { isIP } from 'node:net';
import type { V1Ingress, V1IngressLoadBalancerIngress, V1Service } from '@kubernetes/client-node';
import { httpStatus } from './clients.ts';
import type { KubeWriter } from './kube-writer.ts';
import { errorField, type Logger } from '../observe/index.ts';

/** Static addresses (flag or MeshDoor) win; else the publish Service's LoadBalancer ingress, else its cluster IPs. */
export function desiredLoadBalancerIngress(
  publishAddresses: readonly string[], publishService: V1Service | undefined,
): V1IngressLoadBalancerIngress[] {
  let entries: V1IngressLoadBalancerIngress[];
  if (publishAddresses.length > 0) {
    entries = publishAddresses.map((a) => (isIP(a) ? { ip: a } : { hostname: a }));
  } else if (!publishService) {
    entries = [];
  } else {
    entries = publishServiceAddresses(publishService);
  }
  const unique = new Map(entries.map((e) => [e.ip ?? `h:${e.hostname ?? ''}`, e]));
  return [...unique.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, e]) => e);
}

/**
 * A LoadBalancer Service publishes its load balancer's addresses, and nothing
 * while it has none yet: its ClusterIP is not reachable from where the Ingress's
 * users are (as ingress-nginx and KIC do). Other Services publish their ClusterIPs.
 */
function publishServiceAddresses(service: V1Service): V1IngressLoadBalancerIngress[] {
  if (service.spec?.type === 'LoadBalancer') {
    return (service.status?.loadBalancer?.ingress ?? [])
      .flatMap((i): V1IngressLoadBalancerIngress[] => (i.ip ? [{ ip: i.ip }] : i.hostname ? [{ hostname: i.hostname }] : []));
  }
  const clusterIps = service.spec?.clusterIPs ?? (service.spec?.clusterIP ? [service.spec.clusterIP] : []);
  return clusterIps.filter((ip) => ip !== 'None' && isIP(ip)).map((ip) => ({ ip }));
}

function entryKey(e: V1IngressLoadBalancerIngress): string {
  return `${e.ip ?? ''}|${e.hostname ?? ''}`;
}

/** Same set of addresses, ignoring order and per-port status. */
export function sameLoadBalancerIngress(
  current: readonly V1IngressLoadBalancerIngress[] | undefined, desired: readonly V1IngressLoadBalancerIngress[],
): boolean {
  const a = (current ?? []).map(entryKey).sort();
  const b = desired.map(entryKey).sort();
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

export interface IngressStatusWriterOptions {
  writer: Pick<KubeWriter, 'patchIngressStatus'>;
  log: Logger;
}

export class IngressStatusWriter {
  /** Ingress key → resourceVersion we wrote from; skip until the watch shows our write. */
  private readonly writtenFrom = new Map<string, string>();

  constructor(private readonly o: IngressStatusWriterOptions) {}

  /**
   * Writes the address to the given (configured) Ingresses and removes it from
   * `unserved` ones (ours, but none of their paths is served), where it differs;
   * returns how many were written.
   */
  async ensure(ingresses: readonly V1Ingress[], desired: readonly V1IngressLoadBalancerIngress[], unserved: readonly V1Ingress[] = []): Promise<number> {
    let written = 0;
    const live = new Set<string>();
    const targets = [
      ...(desired.length > 0 ? ingresses.map((ingress) => ({ ingress, want: desired })) : []),
      ...unserved.map((ingress) => ({ ingress, want: [] as V1IngressLoadBalancerIngress[] })),
    ];
    for (const { ingress, want } of targets) {
      const { namespace = '', name = '', resourceVersion } = ingress.metadata ?? {};
      const key = `${namespace}/${name}`;
      live.add(key);
      if (sameLoadBalancerIngress(ingress.status?.loadBalancer?.ingress, want)) continue;
      if (resourceVersion !== undefined && this.writtenFrom.get(key) === resourceVersion) continue;
      try {
        await this.o.writer.patchIngressStatus(namespace, name, { loadBalancer: { ingress: [...want] } });
        if (resourceVersion !== undefined) this.writtenFrom.set(key, resourceVersion);
        written += 1;
      } catch (err) {
        // Deleted since the snapshot was taken: expected under churn, and its watch event follows.
        const level = httpStatus(err) === 404 ? 'debug' : 'warn';
        this.o.log[level]('writing ingress status failed', { object: key, error: errorField(err) });
      }
    }
    for (const key of [...this.writtenFrom.keys()]) if (!live.has(key)) this.writtenFrom.delete(key);
    return written;
  }
}
