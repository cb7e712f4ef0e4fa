// The path claims of an incremental pass, by host and then by path. Keyed by
// host first: a host's claims are found with one lookup of a host string
// (whose hash the host tables share), and no host + path key string is built
// per claim; a cold 10k pass made and hashed twenty thousand of them.
import type { PathClaim } from './plans.ts';

/** The claims on one host + path (PathClaim.path.conflictKey). */
type OnePath = PathClaim | PathClaim[];

/**
 * A host's claims: a list while it is short (nearly every host holds the few
 * paths of one Ingress), by path past that (a host shared by many Ingresses).
 */
type HostClaims = PathClaim[] | Map<string, OnePath>;

/** Hosts whose list grows past this many claims are kept by path. */
const LIST_LIMIT = 16;

/** Builds the host + path key of a claim (conflicts.ts, the admission index): only where one is needed. */
export function claimKey(claim: HostAndPath): string {
  return [claim.host, claim.path.conflictKey].join('\n');
}

/** What places a claim: its host and path. */
export type HostAndPath = Pick<PathClaim, 'host' | 'path'>;

function pathKey(claim: HostAndPath): string {
  return claim.path.conflictKey;
}

function byPath(claims: readonly PathClaim[]): Map<string, OnePath> {
  const paths = new Map<string, OnePath>();
  for (const claim of claims) addOnPath(paths, claim);
  return paths;
}

function addOnPath(paths: Map<string, OnePath>, claim: PathClaim): void {
  const key = pathKey(claim);
  const known = paths.get(key);
  if (known === undefined) paths.set(key, claim);
  else if (Array.isArray(known)) known.push(claim);
  else paths.set(key, [known, claim]);
}

export class ClaimTable {
  private readonly hosts = new Map<string, HostClaims>();

  get isEmpty(): boolean {
    return this.hosts.size === 0;
  }

  add(claim: PathClaim): void {
    const claims = this.hosts.get(claim.host);
    if (claims === undefined) this.hosts.set(claim.host, [claim]);
    else if (!Array.isArray(claims)) addOnPath(claims, claim);
    else if (claims.length < LIST_LIMIT) claims.push(claim);
    else this.hosts.set(claim.host, byPath([...claims, claim]));
  }

  remove(claim: PathClaim): void {
    const claims = this.hosts.get(claim.host);
    if (claims === undefined) return;
    if (Array.isArray(claims)) {
      const rest = claims.filter((c) => c !== claim);
      if (rest.length === 0) this.hosts.delete(claim.host);
      else this.hosts.set(claim.host, rest);
      return;
    }
    const key = pathKey(claim);
    const onPath = claims.get(key);
    const rest = Array.isArray(onPath) ? onPath.filter((c) => c !== claim) : onPath === claim ? [] : undefined;
    if (rest === undefined) return;
    if (rest.length > 1) claims.set(key, rest);
    else if (rest.length === 1) claims.set(key, rest[0] as PathClaim);
    else claims.delete(key);
    if (claims.size === 0) this.hosts.delete(claim.host);
  }

  /** The claims on the host + path of `claim` (itself included while it is in the table). */
  at(claim: HostAndPath): readonly PathClaim[] {
    const claims = this.hosts.get(claim.host);
    if (claims === undefined) return [];
    const key = pathKey(claim);
    if (Array.isArray(claims)) return claims.filter((c) => pathKey(c) === key);
    const onPath = claims.get(key);
    return onPath === undefined ? [] : Array.isArray(onPath) ? onPath : [onPath];
  }

  /** Calls `contested` with the claims of every host + path that more than one claim is on. */
  forEachContested(contested: (claims: readonly PathClaim[]) => void): void {
    // forEach: run once per pass over every host, where a for-of makes an object per host.
    this.hosts.forEach((claims) => {
      if (!Array.isArray(claims)) {
        for (const onPath of claims.values()) if (Array.isArray(onPath)) contested(onPath);
        return;
      }
      // One claim, or two on different paths (nearly every host): nothing contested.
      if (claims.length === 1) return;
      if (claims.length === 2 && pathKey(claims[0] as PathClaim) !== pathKey(claims[1] as PathClaim)) return;
      for (const onPath of byPath(claims).values()) if (Array.isArray(onPath)) contested(onPath);
    });
  }
}
