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

/** Same address as entryKey compares them, without making the keys. */
function sameAddress(a: V1IngressLoadBalancerIngress, b: V1IngressLoadBalancerIngress): boolean {
  return (a.ip ?? '') === (b.ip ?? '') && (a.hostname ?? '') === (b.hostname ?? '');
}

/** Same set of addresses, ignoring order and per-port status. */
export function sameLoadBalancerIngress(
  current: readonly V1IngressLoadBalancerIngress[] | undefined, desired: readonly V1IngressLoadBalancerIngress[],
): boolean {
  // The same addresses in the same order (every Ingress once its status is written): no lists made.
  if (current?.length === desired.length && current.every((e, i) => sameAddress(e, desired[i] as V1IngressLoadBalancerIngress))) return true;
  const a = (current ?? []).map(entryKey).sort();
  const b = desired.map(entryKey).sort();
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

export interface IngressStatusWriterOptions {
  writer: Pick<KubeWriter, 'patchIngressStatus'>;
  log: Logger;
}

/** The resourceVersion a status was written from; `seen`: the last call that still listed the Ingress. */
interface WrittenFrom {
  resourceVersion: string;
  seen: number;
}

export class IngressStatusWriter {
  /**
   * Ingress key → the resourceVersion we wrote from: skipped until the watch
   * shows our write, then dropped (so it stays small and nothing is keyed
   * per Ingress on a sync that writes nothing).
   */
  private readonly writtenFrom = new Map<string, WrittenFrom>();
  private calls = 0;
  private failed = 0;

  constructor(private readonly o: IngressStatusWriterOptions) {}

  /** Every write of the last call went through: a caller may give only the Ingresses that changed since. */
  get settled(): boolean {
    return this.failed === 0;
  }

  /**
   * Writes the address to the given (configured) Ingresses and removes it from
   * `unserved` ones (ours, but none of their paths is served), where it differs;
   * returns how many were written. `whole`: the lists hold every Ingress (else
   * only those that changed, and what is remembered of the others stays).
   */
  async ensure(ingresses: readonly V1Ingress[], desired: readonly V1IngressLoadBalancerIngress[], unserved: readonly V1Ingress[] = [], whole = true): Promise<number> {
    const call = (this.calls += 1);
    this.failed = 0;
    let written = 0;
    const none: V1IngressLoadBalancerIngress[] = [];
    const lists: [readonly V1Ingress[], readonly V1IngressLoadBalancerIngress[]][] = [[desired.length > 0 ? ingresses : [], desired], [unserved, none]];
    for (const [list, want] of lists) {
      for (const ingress of list) {
        const { namespace = '', name = '', resourceVersion } = ingress.metadata ?? {};
        const key = this.writtenFrom.size > 0 ? `${namespace}/${name}` : undefined;
        if (key !== undefined && this.stillWrittenFrom(key, resourceVersion, call)) continue;
        if (sameLoadBalancerIngress(ingress.status?.loadBalancer?.ingress, want)) continue;
        if (await this.write(ingress, want, call)) written += 1;
      }
    }
    if (whole) for (const [key, from] of this.writtenFrom) if (from.seen !== call) this.writtenFrom.delete(key);
    return written;
  }

  /** Whether the watch still shows the version we wrote from (marking it listed); an entry it outgrew is dropped. */
  private stillWrittenFrom(key: string, resourceVersion: string | undefined, call: number): boolean {
    const from = this.writtenFrom.get(key);
    if (from === undefined) return false;
    if (resourceVersion === undefined || from.resourceVersion !== resourceVersion) {
      this.writtenFrom.delete(key);
      return false;
    }
    from.seen = call;
    return true;
  }

  private async write(ingress: V1Ingress, want: readonly V1IngressLoadBalancerIngress[], call: number): Promise<boolean> {
    const { namespace = '', name = '', resourceVersion } = ingress.metadata ?? {};
    const key = `${namespace}/${name}`;
    try {
      await this.o.writer.patchIngressStatus(namespace, name, { loadBalancer: { ingress: [...want] } });
      if (resourceVersion !== undefined) this.writtenFrom.set(key, { resourceVersion, seen: call });
      return true;
    } catch (err) {
      // Deleted since the snapshot was taken: expected under churn, and its watch event follows.
      const level = httpStatus(err) === 404 ? 'debug' : 'warn';
      this.failed += 1;
      this.o.log[level]('writing ingress status failed', { object: key, error: errorField(err) });
      return false;
    }
  }
}
