// Namespace host ownership, kept up to date claim by claim. Each namespace's
// claim on a host is granted, in precedence order, unless a granted claim of
// another namespace on an overlapping host keeps it out (no delegation).
// Precedence: the remembered owner of the host first (so ownership moves only
// when the owner stops claiming the host), then the oldest claim. A decision
// depends only on claims whose hosts overlap, transitively: an edit decides
// again only the claims connected to the hosts it touches, in the same order a
// whole pass uses, so both give the same answer.
import type { FailureReason } from '../model/index.ts';
import type { V1Ingress } from '@kubernetes/client-node';
import { HostIndex } from './host-index.ts';
import type { IngressPlan, PathClaim } from './plans.ts';
import { compareStrings, namespacedName, refOf } from './objects.ts';
import type { ObjectAges } from './objects.ts';
import type { HostHandOver, ObjectRef } from './types.ts';

export const HOST_DELEGATES_ANNOTATION = 'meshdoor.dev/host-delegates';

/** A namespace's claim on one host: its oldest Ingress and who it delegates to. */
export interface HostClaim {
  host: string;
  namespace: string;
  oldest: V1Ingress;
  delegates: ReadonlySet<string>;
}

/** What one Ingress claims: its hosts, who it delegates them to, and its path claims. */
export interface Claimant {
  ingress: V1Ingress;
  namespace: string;
  hosts: readonly string[];
  delegates: readonly string[];
  paths: readonly PathClaim[];
}

export type OwnershipFailure = readonly [ObjectRef, FailureReason, string];

interface NsClaim extends HostClaim {
  key: string;
  claimants: Set<Claimant>;
  delegates: Set<string>;
  granted: boolean;
  blocker: NsClaim | undefined;
  /** The remembered owner of the host: goes first. */
  sticky: boolean;
  /** What the decision lets through, to notice a change (certificates follow it). */
  signature: string;
}

export interface OwnershipUpdate {
  /** Path claims newly refused, and no longer refused (claims of the Ingresses given to the update included). */
  refused: PathClaim[];
  allowed: PathClaim[];
  /** Hosts where a granted claim appeared, went or changed: who may serve a certificate near them may differ. */
  grantsMoved: ReadonlySet<string>;
}

/** No remembered owners: the oldest claimant owns each host. */
export const NO_OWNERS: ReadonlyMap<string, string> = new Map();

export function delegatesOf(ingress: V1Ingress): string[] {
  const raw = ingress.metadata?.annotations?.[HOST_DELEGATES_ANNOTATION] ?? '';
  return raw.split(',').map((ns) => ns.trim()).filter((ns) => ns !== '');
}

export function ownershipMessage(host: string, owner: HostClaim, namespace: string): string {
  return `host '${host}' belongs to namespace ${owner.namespace} (Ingress ${namespacedName(owner.oldest)} claims `
    + `${owner.host === host ? 'it' : `'${owner.host}'`} first); namespace ${namespace} may use it only if an Ingress of `
    + `${owner.namespace} claiming it lists ${namespace} in ${HOST_DELEGATES_ANNOTATION}`;
}

/** Plans are reused while their Ingress is unchanged: a translator lists their hosts once. */
export type Claimants = WeakMap<IngressPlan, Claimant>;

export function claimantOf(claimants: Claimants, plan: IngressPlan): Claimant {
  let known = claimants.get(plan);
  if (known === undefined) {
    const namespace = plan.ingress.metadata?.namespace ?? '';
    const hosts = [...new Set(plan.claims.map((c) => c.host).filter((h) => h !== ''))];
    known = { ingress: plan.ingress, namespace, hosts, delegates: delegatesOf(plan.ingress), paths: plan.claims };
    claimants.set(plan, known);
  }
  return known;
}

function precedes(ages: ObjectAges, a: NsClaim, b: NsClaim): number {
  return Number(b.sticky) - Number(a.sticky) || ages.compare(a.oldest, b.oldest)
    || compareStrings(a.host, b.host) || compareStrings(a.namespace, b.namespace);
}

function signatureOf(c: NsClaim): string {
  if (!c.granted) return '';
  const created = String(c.oldest.metadata?.creationTimestamp ?? '');
  return [c.sticky, namespacedName(c.oldest), created, [...c.delegates].sort().join(',')].join('|');
}

function pathsOn(c: NsClaim): PathClaim[] {
  return [...c.claimants].flatMap((claimant) => claimant.paths.filter((p) => p.host === c.host));
}

/** Hosts where the two maps differ. */
function differingHosts(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): Set<string> {
  const hosts = new Set<string>();
  for (const [host, ns] of a) if (b.get(host) !== ns) hosts.add(host);
  for (const [host, ns] of b) if (a.get(host) !== ns) hosts.add(host);
  return hosts;
}

export class OwnershipState {
  private readonly claims = new Map<string, NsClaim>();
  private readonly all = new HostIndex<NsClaim>();
  private readonly granted = new HostIndex<NsClaim>();
  private readonly refusedClaims = new Set<NsClaim>();
  private readonly refusedPaths = new Set<PathClaim>();
  private readonly failuresOf = new Map<NsClaim, OwnershipFailure[]>();
  private ownerMap: ReadonlyMap<string, string> = NO_OWNERS;
  private remembered: ReadonlyMap<string, string> = NO_OWNERS;
  /** Hosts whose owner differs from the remembered one. */
  private readonly moved = new Set<string>();
  private readonly handOverOf = new Map<string, HostHandOver>();
  private grantsMoved = new Set<string>();
  private listed: { contested: readonly string[]; handOvers: readonly HostHandOver[] } = { contested: [], handOvers: [] };

  /** `ages`: the translator's age keys (who claimed a host first). */
  constructor(private readonly ages: ObjectAges) {}

  /** Path claims refused for their host (their failures are in `failures()`). */
  get refused(): ReadonlySet<PathClaim> {
    return this.refusedPaths;
  }

  get owners(): ReadonlyMap<string, string> {
    return this.ownerMap;
  }

  get contested(): readonly string[] {
    return this.listed.contested;
  }

  get handOvers(): readonly HostHandOver[] {
    return this.listed.handOvers;
  }

  /** Takes Ingresses that stopped and started claiming (an edit is both) and the remembered owners. */
  update(remembered: ReadonlyMap<string, string>, gone: readonly Claimant[], fresh: readonly Claimant[]): OwnershipUpdate {
    this.grantsMoved = new Set();
    const touched = this.rememberedChanges(remembered);
    for (const claimant of gone) this.withdraw(claimant, touched);
    for (const claimant of fresh) this.claim(claimant, touched);
    // After the new claims: an edited Ingress keeps its namespace's claim (and what was decided for it).
    for (const host of touched) this.dropUnclaimed(host, gone);
    if (touched.size === 0) return { refused: [], allowed: [], grantsMoved: this.grantsMoved };
    const { claims, hosts } = this.componentOf(touched);
    const wasRefused = this.release(claims);
    this.decide(claims);
    this.updateOwners(claims, hosts);
    this.list();
    const refused = claims.filter((c) => !c.granted).flatMap(pathsOn).filter((p) => !wasRefused.has(p));
    const allowed = [...wasRefused].filter((p) => !this.refusedPaths.has(p));
    return { refused, allowed, grantsMoved: this.grantsMoved };
  }

  /** The granted claim of another namespace that keeps `namespace` from `host`, if any (the first in precedence). */
  blockerOf(host: string, namespace: string): HostClaim | undefined {
    let blocker: NsClaim | undefined;
    for (const g of this.granted.overlapping(host)) {
      if (g.namespace === namespace || g.delegates.has(namespace)) continue;
      if (blocker === undefined || precedes(this.ages, g, blocker) < 0) blocker = g;
    }
    return blocker;
  }

  /** The claim that keeps `namespace`'s claim on `host` out; undefined when granted or not claimed. */
  refusalOf(namespace: string, host: string): HostClaim | undefined {
    return this.claims.get(`${namespace}\n${host}`)?.blocker;
  }

  *failures(): Iterable<OwnershipFailure> {
    for (const failures of this.failuresOf.values()) yield* failures;
  }

  /** Hosts whose remembered owner changed since the last update. */
  private rememberedChanges(remembered: ReadonlyMap<string, string>): Set<string> {
    if (remembered === this.remembered) return new Set();
    // Fed back its own last answer, the owners that differed are the ones to look at again.
    const changed = remembered === this.ownerMap ? new Set(this.moved) : differingHosts(remembered, this.remembered);
    this.remembered = remembered;
    return changed;
  }

  private withdraw(claimant: Claimant, touched: Set<string>): void {
    for (const host of claimant.hosts) {
      const c = this.claims.get(`${claimant.namespace}\n${host}`);
      if (!c) continue;
      touched.add(host);
      c.claimants.delete(claimant);
      for (const path of claimant.paths) this.refusedPaths.delete(path);
      refresh(this.ages, c);
    }
  }

  /** Forgets the claims on `host` of the namespaces of `gone` that no Ingress makes any more. */
  private dropUnclaimed(host: string, gone: readonly Claimant[]): void {
    for (const namespace of new Set(gone.map((g) => g.namespace))) {
      const c = this.claims.get(`${namespace}\n${host}`);
      if (!c || c.claimants.size > 0) continue;
      if (c.granted) this.grantsMoved.add(host);
      this.claims.delete(c.key);
      this.all.delete(c);
      this.granted.delete(c);
      this.refusedClaims.delete(c);
      this.failuresOf.delete(c);
    }
  }

  private claim(claimant: Claimant, touched: Set<string>): void {
    for (const host of claimant.hosts) {
      const key = `${claimant.namespace}\n${host}`;
      let c = this.claims.get(key);
      if (!c) {
        c = { key, host, namespace: claimant.namespace, oldest: claimant.ingress, claimants: new Set(), delegates: new Set(), granted: false, blocker: undefined, sticky: false, signature: '' };
        this.claims.set(key, c);
        this.all.add(c);
      }
      c.claimants.add(claimant);
      refresh(this.ages, c);
      touched.add(host);
    }
  }

  /** The claims connected to the touched hosts by overlapping hosts, and their hosts. */
  private componentOf(touched: ReadonlySet<string>): { claims: NsClaim[]; hosts: Set<string> } {
    const found = new Set<NsClaim>();
    const hosts = new Set(touched);
    const queue = [...touched];
    for (let i = 0; i < queue.length; i += 1) {
      for (const c of this.all.overlapping(queue[i] ?? '')) {
        if (found.has(c)) continue;
        found.add(c);
        if (!hosts.has(c.host)) {
          hosts.add(c.host);
          queue.push(c.host);
        }
      }
    }
    return { claims: [...found], hosts };
  }

  /** Undoes the decisions about these claims; returns their path claims that were refused. */
  private release(claims: readonly NsClaim[]): Set<PathClaim> {
    const wasRefused = new Set<PathClaim>();
    for (const c of claims) {
      if (c.granted) this.granted.delete(c);
      for (const path of pathsOn(c)) if (this.refusedPaths.delete(path)) wasRefused.add(path);
      this.refusedClaims.delete(c);
      this.failuresOf.delete(c);
      c.granted = false;
      c.blocker = undefined;
    }
    return wasRefused;
  }

  private decide(claims: NsClaim[]): void {
    for (const c of claims) c.sticky = this.remembered.get(c.host) === c.namespace;
    claims.sort((a, b) => precedes(this.ages, a, b));
    for (const c of claims) {
      const blocker = this.blockerOf(c.host, c.namespace) as NsClaim | undefined;
      if (blocker) this.refuse(c, blocker);
      else {
        c.granted = true;
        this.granted.add(c);
      }
      const signature = signatureOf(c);
      if (signature !== c.signature) this.grantsMoved.add(c.host);
      c.signature = signature;
    }
  }

  private refuse(c: NsClaim, blocker: NsClaim): void {
    c.blocker = blocker;
    this.refusedClaims.add(c);
    for (const path of pathsOn(c)) this.refusedPaths.add(path);
    const message = `${ownershipMessage(c.host, blocker, c.namespace)}; its paths on this host are not configured`;
    this.failuresOf.set(c, [...c.claimants].map((claimant) => [refOf('Ingress', claimant.ingress), 'HostNotOwned', message] as const));
  }

  /** Each host's owner: the namespace of its first granted claim (claims are in precedence order). */
  private updateOwners(claims: readonly NsClaim[], hosts: ReadonlySet<string>): void {
    const first = new Map<string, NsClaim>();
    for (const c of claims) if (c.granted && !first.has(c.host)) first.set(c.host, c);
    const changes = [...hosts].filter((host) => first.get(host)?.namespace !== this.ownerMap.get(host));
    if (changes.length > 0) {
      const owners = new Map(this.ownerMap);
      for (const host of changes) {
        const owner = first.get(host);
        if (owner) owners.set(host, owner.namespace);
        else owners.delete(host);
      }
      this.ownerMap = owners;
    }
    for (const host of hosts) this.noteMove(host, first.get(host));
  }

  private noteMove(host: string, owner: NsClaim | undefined): void {
    const from = this.remembered.get(host);
    if (from === owner?.namespace) this.moved.delete(host);
    else this.moved.add(host);
    if (from !== undefined && owner && from !== owner.namespace) {
      this.handOverOf.set(host, { host, from, to: owner.namespace, ingress: refOf('Ingress', owner.oldest) });
    } else this.handOverOf.delete(host);
  }

  private list(): void {
    const contested = [...new Set([...this.refusedClaims].flatMap((c) => (c.blocker ? [c.blocker.host] : [])))].sort(compareStrings);
    const handOvers = [...this.handOverOf.values()].sort((a, b) => compareStrings(a.host, b.host));
    this.listed = { contested, handOvers };
  }
}

/** A claim's oldest Ingress and delegates, from the Ingresses claiming it now. */
function refresh(ages: ObjectAges, c: NsClaim): void {
  c.delegates = new Set();
  let oldest: V1Ingress | undefined;
  for (const claimant of c.claimants) {
    if (oldest === undefined || ages.compare(claimant.ingress, oldest) < 0) oldest = claimant.ingress;
    for (const ns of claimant.delegates) c.delegates.add(ns);
  }
  if (oldest) c.oldest = oldest;
}
