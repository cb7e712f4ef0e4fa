// Hosts whose routes come from Ingresses of more than one namespace: what
// spec.hosts.ownership: Shared allows (Kubernetes' merging) and reports, and
// what delegation allows under Namespace. Exact host names: a wildcard and a
// name under it count as two hosts. Kept per Ingress, so an edit costs the
// hosts it touches.
import type { V1Ingress } from '@kubernetes/client-node';
import { compareStrings, refOf } from './objects.ts';
import type { ObjectAges } from './objects.ts';
import type { RoutePlan } from './route-plans.ts';
import type { SharedHost } from './types.ts';

/** The hosts some route of an Ingress serves. */
export function servedHosts(routes: readonly RoutePlan[]): Set<string> {
  const hosts = new Set<string>();
  for (const route of routes) for (const host of route.hosts) hosts.add(host);
  return hosts;
}

/** Namespace → the Ingresses of that namespace serving a host. */
type Servers = Map<string, Set<V1Ingress>>;

export class SharedHosts {
  /**
   * Host → who serves it: the Ingress itself while only one does (nearly
   * every host: a Map and a Set per host were a third of a pass's state),
   * else namespace → the Ingresses of that namespace serving it.
   */
  private readonly servers = new Map<string, V1Ingress | Servers>();
  private readonly dirty = new Set<string>();
  private readonly shared = new Map<string, SharedHost>();
  private listed: readonly SharedHost[] = [];

  /** `ages`: the translator's age keys (each namespace's oldest Ingress is named). */
  constructor(private readonly ages: ObjectAges) {}

  /** An Ingress that served the hosts `before` now serves `after`. */
  serve(ingress: V1Ingress, before: ReadonlySet<string>, after: ReadonlySet<string>): void {
    for (const host of before) if (!after.has(host)) this.remove(host, ingress);
    for (const host of after) if (!before.has(host)) this.add(host, ingress);
  }

  /** An Ingress that served no host now serves those of `routes` (no sets built: adding a host twice is harmless). */
  start(ingress: V1Ingress, routes: readonly RoutePlan[]): void {
    for (let r = 0; r < routes.length; r += 1) {
      const { hosts } = routes[r] as RoutePlan;
      for (let h = 0; h < hosts.length; h += 1) this.add(hosts[h] as string, ingress);
    }
  }

  private add(host: string, ingress: V1Ingress): void {
    const served = this.servers.get(host);
    // A host served by one Ingress is not shared, and was not when it had none
    // (a host that left the shared ones was marked on the way out): nothing to list again.
    if (served === ingress) return;
    if (served === undefined) {
      this.servers.set(host, ingress);
      return;
    }
    this.dirty.add(host);
    const byNamespace = served instanceof Map ? served : serversOf(served);
    if (byNamespace !== served) this.servers.set(host, byNamespace);
    const namespace = namespaceOf(ingress);
    const ingresses = byNamespace.get(namespace);
    if (ingresses) ingresses.add(ingress);
    else byNamespace.set(namespace, new Set([ingress]));
  }

  private remove(host: string, ingress: V1Ingress): void {
    const served = this.servers.get(host);
    if (served === undefined) return;
    if (!(served instanceof Map)) {
      if (served !== ingress) return;
      this.servers.delete(host);
      this.dirty.add(host);
      return;
    }
    const namespace = namespaceOf(ingress);
    const ingresses = served.get(namespace);
    if (!ingresses) return;
    ingresses.delete(ingress);
    if (ingresses.size === 0) served.delete(namespace);
    if (served.size === 0) this.servers.delete(host);
    this.dirty.add(host);
  }

  /** Who serves `host` now: per namespace (sorted), its oldest Ingress serving it. */
  servedFrom(host: string): SharedHost['servedFrom'] {
    const served = this.servers.get(host);
    if (served === undefined) return [];
    return sharedHost(this.ages, host, served instanceof Map ? served : serversOf(served)).servedFrom;
  }

  /** The shared hosts, sorted by host; the same array while none of them changed. */
  list(): readonly SharedHost[] {
    if (this.dirty.size === 0) return this.listed;
    let changed = false;
    for (const host of this.dirty) {
      const served = this.servers.get(host);
      if (served instanceof Map && served.size > 1) {
        this.shared.set(host, sharedHost(this.ages, host, served));
        changed = true;
      } else changed = this.shared.delete(host) || changed;
    }
    this.dirty.clear();
    if (changed) this.listed = [...this.shared.values()].sort((a, b) => compareStrings(a.host, b.host));
    return this.listed;
  }
}

function namespaceOf(ingress: V1Ingress): string {
  return ingress.metadata?.namespace ?? '';
}

function serversOf(ingress: V1Ingress): Servers {
  return new Map([[namespaceOf(ingress), new Set([ingress])]]);
}

/** What the SharedHost Event (and the admission warning) says of a shared host. */
export function sharedHostMessage(shared: SharedHost): string {
  const namespaces = shared.servedFrom.map((s) => s.namespace).join(', ');
  const ingresses = shared.servedFrom.map((s) => `${s.ingress.namespace ?? ''}/${s.ingress.name}`).join(', ');
  return `host '${shared.host}' is served from namespaces ${namespaces} (Ingresses ${ingresses}): `
    + 'spec.hosts.ownership Shared merges their paths; Namespace keeps a host to one namespace';
}

function sharedHost(ages: ObjectAges, host: string, byNamespace: ReadonlyMap<string, ReadonlySet<V1Ingress>>): SharedHost {
  const servedFrom = [...byNamespace].map(([namespace, ingresses]) => {
    const [oldest] = ages.sort([...ingresses]);
    return { namespace, ingress: refOf('Ingress', oldest ?? {}) };
  });
  return { host, servedFrom: servedFrom.sort((a, b) => compareStrings(a.namespace, b.namespace)) };
}
