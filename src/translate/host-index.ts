// Hosts indexed by domain, so that finding the entries whose host overlaps a
// given host (the same name, a wildcard above it, or names under a wildcard)
// costs the number of labels of that host, not the number of hosts.

/** Whether Kong would route some request to both hosts (a wildcard matches any depth). */
export function hostsOverlap(a: string, b: string): boolean {
  if (a === b) return true;
  const covers = (wild: string, other: string): boolean => wild.startsWith('*.') && other.endsWith(wild.slice(1));
  return covers(a, b) || covers(b, a);
}

/** The proper parent domains of a name: `a.b.c` → `b.c`, `c`. */
function parents(name: string): string[] {
  const result: string[] = [];
  for (let dot = name.indexOf('.'); dot !== -1; dot = name.indexOf('.', dot + 1)) result.push(name.slice(dot + 1));
  return result;
}

export class HostIndex<T extends { host: string }> {
  private readonly byHost = new Map<string, Set<T>>();
  /** Entries matching some name strictly under a domain: exact names below it, `*.D` with D at or below it. */
  private readonly under = new Map<string, Set<T>>();

  add(item: T): void {
    addTo(this.byHost, item.host, item);
    for (const domain of domainsUnder(item.host)) addTo(this.under, domain, item);
  }

  delete(item: T): void {
    deleteFrom(this.byHost, item.host, item);
    for (const domain of domainsUnder(item.host)) deleteFrom(this.under, domain, item);
  }

  /** The entries whose host overlaps `host`. */
  overlapping(host: string): T[] {
    const wildcard = host.startsWith('*.');
    const domain = wildcard ? host.slice(2) : host;
    const found = [...(wildcard ? this.under.get(domain) ?? [] : this.byHost.get(host) ?? [])];
    for (const parent of parents(domain)) found.push(...this.byHost.get(`*.${parent}`) ?? []);
    return found;
  }
}

/** The domains an entry for `host` is listed under. */
function domainsUnder(host: string): string[] {
  if (!host.startsWith('*.')) return parents(host);
  const domain = host.slice(2);
  return [domain, ...parents(domain)];
}

function addTo<T>(map: Map<string, Set<T>>, key: string, item: T): void {
  const set = map.get(key);
  if (set) set.add(item);
  else map.set(key, new Set([item]));
}

function deleteFrom<T>(map: Map<string, Set<T>>, key: string, item: T): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(item);
  if (set.size === 0) map.delete(key);
}
