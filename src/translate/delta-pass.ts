// Incremental translation, step four: a pass that follows another with the
// same settings and lookup tables, nothing excluded (so only Ingresses were
// added, edited or deleted), updates that pass's result for the Ingresses that
// changed instead of combining every plan again: at 10k Ingresses each whole
// combination step costs milliseconds, an update costs what changed. When
// only plugin objects changed, the Ingresses whose plans read one of them are
// treated as edited. Anything else starts from an empty state. Tests hold it
// equal to whole passes.
import type { V1Ingress } from '@kubernetes/client-node';
import type { KongCertificate, KongService, KongUpstream, RouterFlavor } from '../model/index.ts';
import { byName } from './assemble.ts';
import type { TranslateContext } from './context.ts';
import { reportLoser, winnerOf } from './conflicts.ts';
import { FailureCollector } from './failures.ts';
import { claimantOf, hostsOverlap, NO_OWNERS, OwnershipState, tlsWithinOwnership } from './host-ownership.ts';
import type { OwnershipUpdate } from './host-ownership-state.ts';
import { isPlanCurrent } from './ingress-memo.ts';
import { ObjectUses } from './object-uses.ts';
import { ConfigPlugins, routePluginEntities, RoutePluginSet } from './plugin-entities.ts';
import { countOf, PlanningRecorder, recorder } from './delta-recording.ts';
import type { Failure } from './delta-recording.ts';
import { listChanges } from './list-changes.ts';
import { byService } from './service-shares.ts';
import { ClaimTable, claimKey } from './claim-table.ts';
import type { ServiceShare } from './service-shares.ts';
import { pluginExtras } from './plugin-extras.ts';
import type { PluginExtras } from './plugin-memory.ts';
import type { SchemaAnswer } from '../plugins/index.ts';
import { SOURCE_KINDS } from './sources/index.ts';
import type { SourceKind } from './sources/index.ts';
import type { IngressPlan, PathClaim } from './plans.ts';
import { byKey, sortSmall } from './objects.ts';
import { planIngressRoutes } from './route-plans.ts';
import type { RoutePlan } from './route-plans.ts';
import { servedHosts, SharedHosts } from './shared-hosts.ts';
import { SortedByName } from './sorted-by-name.ts';
import { translateTls } from './tls.ts';
import type { TlsResult } from './tls.ts';
import type { ObjectRef, Snapshot } from './types.ts';
import { defaultBackendRoute, hostReport, isCatchAll, usedInSnapshot } from './whole-pass.ts';
import type { PassResult } from './whole-pass.ts';


const NO_ROUTES: readonly RoutePlan[] = Object.freeze([]);

/** The kinds of the objects global plugins and consumers are made from (PluginExtras.uses). */
const EXTRAS_KINDS = ['KongPlugin', 'KongClusterPlugin', 'KongConsumer', 'Secret'] as const;

/** A served Ingress: its plan (none when its annotations are invalid) and current routes. */
interface Entry {
  ingress: V1Ingress;
  source: SourceKind<V1Ingress>;
  plan: IngressPlan | undefined;
  failures: readonly Failure[];
  routes: readonly RoutePlan[];
}

/** Who gives routes to a Kong service: an Ingress, or the default backend. */
type Contributor = Entry | 'default backend';

/** A contributor's routes to one Kong service. */
type Member = ServiceShare<Contributor>;

class DeltaState {
  /** Each source kind's list in the previous pass. */
  private readonly lists = new Map<SourceKind<V1Ingress>, readonly V1Ingress[]>();
  private readonly entries = new Map<V1Ingress, Entry>();
  private readonly failing = new Set<Entry>();
  /** Claims by host and path. */
  private readonly claims = new ClaimTable();
  private readonly losers = new Set<PathClaim>();
  /** Namespace host ownership: who owns each host, the claims refused for their host, and their failures. */
  private readonly ownership: OwnershipState | undefined;
  private readonly sharedHosts: SharedHosts;
  /** Served Ingresses with a tls section. */
  private readonly tlsEntries = new Set<Entry>();
  /** Failures of contested host + paths, by claimKey. */
  private readonly conflictFailures = new Map<string, Failure[]>();
  private readonly members = new Map<string, Member[]>();
  private readonly dirtyServices = new Set<string>();
  /** Until the first result: every service is new, so all are rebuilt and none is noted dirty. */
  private allDirty = true;
  private readonly services = new SortedByName<KongService>();
  private readonly upstreams = new SortedByName<KongUpstream>();
  private readonly upstreamOfService = new Map<string, string>();
  /** How many routes or certificates use each object. */
  private readonly uses: ObjectUses;
  /** Host-less `/` routes of Ingresses (the default backend's own route is not one that shadows it). */
  private catchAlls = 0;
  private configured: ObjectRef[] = [];
  private tls: TlsResult = { certificates: [], secrets: [] };
  private tlsFailures: Failure[] = [];
  private fallback: { route: RoutePlan | undefined; failures: Failure[] } = { route: undefined, failures: [] };
  private pendingReleases: (() => void)[] = [];
  private readonly routePlugins = new RoutePluginSet();
  private readonly configPlugins = new ConfigPlugins();
  /** The global plugins and consumers of the last pass (their objects count as configured). */
  private extras: PluginExtras | undefined;
  /** Plugin schema answers this state's plans were checked against: another answer starts a new state. */
  readonly schemas = new Map<string, SchemaAnswer>();

  /**
   * The lists plans read besides the plugin objects, as this state found them:
   * other lists start a new state; other plugin lists only re-plan the
   * Ingresses that read a plugin object that changed.
   */
  readonly baseLists: readonly (readonly object[])[];

  constructor(public ctx: TranslateContext, snapshot: Snapshot) {
    this.baseLists = baseListsOf(snapshot);
    this.ownership = ctx.settings.hostOwnership === 'Namespace' ? new OwnershipState(ctx.memory.ages) : undefined;
    this.sharedHosts = new SharedHosts(ctx.memory.ages);
    this.uses = new ObjectUses(ctx.memory.refs);
  }

  /** An entry's host claims (none without a plan), for host ownership. */
  private readonly claimantsOf = (entry: Entry): ReturnType<typeof claimantOf>[] =>
    (entry.plan ? [claimantOf(this.ctx.memory.claimants, entry.plan)] : []);

  get flavor(): RouterFlavor {
    return this.ctx.settings.routerFlavor;
  }

  update(ctx: TranslateContext, snapshot: Snapshot, recheck: boolean): PassResult {
    const gone: Entry[] = [];
    const fresh: Entry[] = [];
    const planning = new PlanningRecorder(ctx);
    for (const source of SOURCE_KINDS) {
      const list = snapshot[source.kind];
      const { removed, added } = listChanges(this.lists.get(source) ?? [], list);
      this.lists.set(source, list);
      for (let i = 0; i < removed.length; i += 1) this.forget(removed[i] as V1Ingress, gone);
      for (let i = 0; i < added.length; i += 1) {
        const obj = added[i] as V1Ingress;
        if (source.isServed(ctx, obj)) fresh.push(this.remember(planning, source, obj));
      }
    }
    if (recheck) this.replanReaders(planning, gone, fresh);
    const catchAllsBefore = this.catchAlls > 0;
    for (const entry of gone) this.setRoutes(entry, entry.routes, []);
    const owned = this.ownership?.update(ctx.hostOwners ?? NO_OWNERS, gone.flatMap(this.claimantsOf), fresh.flatMap(this.claimantsOf));
    const affected = this.resolveConflicts(ctx, { gone, fresh }, owned);
    for (let i = 0; i < affected.length; i += 1) {
      const entry = affected[i] as Entry;
      const routes = entry.plan ? planIngressRoutes(entry.plan, this.losers, this.flavor) : [];
      const before = entry.routes;
      entry.routes = routes;
      this.setRoutes(entry, before, routes);
    }
    const changed = [gone, fresh];
    if (catchAllsBefore !== this.catchAlls > 0 || changed.some((list) => list.some((e) => e.ingress.spec?.defaultBackend))) this.updateFallback(ctx);
    // Under Namespace ownership a host that changed hands changes who may serve its certificate.
    if (changed.some((list) => list.some((e) => e.plan && e.ingress.spec?.tls?.length)) || this.tlsNear(owned?.grantsMoved)) this.updateTls(ctx);
    this.releaseUses();
    return this.result(ctx, snapshot);
  }

  /** After plugin objects changed: the entries whose plans read one that changed are planned again. */
  private replanReaders(planning: PlanningRecorder, gone: Entry[], fresh: Entry[]): void {
    const planned = new Set(fresh);
    // A whole pass in between (exclusions) may have remembered another plan: that entry is stale too.
    const stale = [...this.entries.values()].filter((entry) => !planned.has(entry) && !isPlanCurrent(planning.ctx, entry.ingress, entry.plan));
    for (const entry of stale) {
      this.forget(entry.ingress, gone);
      fresh.push(this.remember(planning, entry.source, entry.ingress));
    }
  }

  /** Drops an Ingress's entry, if it had one, into `gone`. */
  private forget(ingress: V1Ingress, gone: Entry[]): void {
    const entry = this.entries.get(ingress);
    if (!entry) return;
    this.entries.delete(ingress);
    this.failing.delete(entry);
    this.tlsEntries.delete(entry);
    gone.push(entry);
  }

  private remember(planning: PlanningRecorder, source: SourceKind<V1Ingress>, ingress: V1Ingress): Entry {
    const plan = planning.plan(source, ingress);
    const { failures } = planning;
    const entry: Entry = { ingress, source, plan, failures, routes: NO_ROUTES };
    this.entries.set(ingress, entry);
    if (failures.length > 0) this.failing.add(entry);
    if (entry.plan && ingress.spec?.tls?.length) this.tlsEntries.add(entry);
    return entry;
  }

  /** Whether a tls[].hosts entry of some Ingress overlaps a host whose grants moved. */
  private tlsNear(moved: ReadonlySet<string> | undefined): boolean {
    if (!moved || moved.size === 0) return false;
    for (const entry of this.tlsEntries) if (tlsHostNear(entry.ingress, moved)) return true;
    return false;
  }

  /** Moves the claims of changed Ingresses; returns the entries whose winning claims may differ. */
  private resolveConflicts(ctx: TranslateContext, changed: { gone: readonly Entry[]; fresh: readonly Entry[] }, owned: OwnershipUpdate | undefined): readonly Entry[] {
    const { gone, fresh } = changed;
    if (this.claims.isEmpty && this.losers.size === 0 && gone.length === 0) return this.resolveFirst(ctx, fresh);
    // One claim per host + path that may have changed hands, by claimKey.
    const keys = new Map<string, PathClaim>();
    const affected = new Set<Entry>(fresh);
    for (const entry of gone) {
      for (const claim of entry.plan?.claims ?? []) {
        keys.set(claimKey(claim), claim);
        this.losers.delete(claim);
        this.claims.remove(claim);
      }
    }
    const refused = this.ownership?.refused;
    for (const entry of fresh) {
      for (const claim of entry.plan?.claims ?? []) {
        keys.set(claimKey(claim), claim);
        if (refused?.has(claim)) this.losers.add(claim);
        else this.claims.add(claim);
      }
    }
    if (owned) this.moveOwnedClaims(owned, fresh, keys, affected);
    for (const [key, claim] of keys) this.resolvePath(ctx, key, this.claims.at(claim), affected);
    return [...affected];
  }

  /**
   * The first pass of a state: every entry is fresh and every key new, so no
   * set of keys or entries is built (they would list them all).
   */
  private resolveFirst(ctx: TranslateContext, fresh: readonly Entry[]): readonly Entry[] {
    const refused = this.ownership?.refused;
    for (let i = 0; i < fresh.length; i += 1) {
      const claims = (fresh[i] as Entry).plan?.claims ?? [];
      for (let c = 0; c < claims.length; c += 1) {
        const claim = claims[c] as PathClaim;
        if (refused?.has(claim)) this.losers.add(claim);
        else this.claims.add(claim);
      }
    }
    // A host + path of one claim has nothing to decide in a first pass: it wins, and no loser or failure was kept for it.
    this.claims.forEachContested((claims) => this.resolvePath(ctx, claimKey(claims[0] as PathClaim), claims, undefined));
    return fresh;
  }

  /** Claims of unchanged Ingresses whose host was handed over, or taken away. */
  private moveOwnedClaims(owned: OwnershipUpdate, fresh: readonly Entry[], keys: Map<string, PathClaim>, affected: Set<Entry>): void {
    if (owned.allowed.length === 0 && owned.refused.length === 0) return;
    const freshClaims = new Set(fresh.flatMap((entry) => entry.plan?.claims ?? []));
    for (const claim of owned.allowed) {
      const entry = this.entries.get(claim.ingress);
      if (freshClaims.has(claim) || !entry) continue;
      keys.set(claimKey(claim), claim);
      affected.add(entry);
      this.claims.add(claim);
    }
    for (const claim of owned.refused) {
      const entry = this.entries.get(claim.ingress);
      if (freshClaims.has(claim) || !entry) continue;
      keys.set(claimKey(claim), claim);
      affected.add(entry);
      this.losers.add(claim);
      this.claims.remove(claim);
    }
  }

  /**
   * Decides the winner of the `claims` on one host + path (`key`, claimKey);
   * the entries of its claims join `affected` (none to collect in a first pass).
   */
  private resolvePath(ctx: TranslateContext, key: string, claims: readonly PathClaim[], affected: Set<Entry> | undefined): void {
    this.conflictFailures.delete(key);
    const [only] = claims;
    if (claims.length === 1 && only) {
      // Nearly every host + path has one claim: it wins.
      this.losers.delete(only);
      const entry = affected && this.entries.get(only.ingress);
      if (entry) affected.add(entry);
      return;
    }
    const winner = winnerOf(ctx.memory.ages, claims);
    const failures: Failure[] = [];
    for (const claim of claims) {
      const entry = affected && this.entries.get(claim.ingress);
      if (entry) affected.add(entry);
      if (claim === winner || winner === undefined) {
        this.losers.delete(claim);
        continue;
      }
      this.losers.add(claim);
      reportLoser(recorder(ctx, failures), claim, winner);
    }
    if (failures.length > 0) this.conflictFailures.set(key, failures);
  }

  /** Moves a contributor's routes between Kong services, counting the objects they use. */
  private setRoutes(who: Contributor, before: readonly RoutePlan[], after: readonly RoutePlan[]): void {
    if (before === after) return;
    if (who !== 'default backend' && before.length === 0) this.sharedHosts.start(who.ingress, after);
    else if (who !== 'default backend') this.sharedHosts.serve(who.ingress, servedHosts(before), servedHosts(after));
    const shares = byService<Contributor>(who, this.ctx.memory.entities, after, this.flavor);
    for (let i = 0; i < before.length; i += 1) {
      const name = (before[i] as RoutePlan).backend.kongServiceName;
      if (shares.some((share) => share.name === name)) continue;
      this.members.set(name, (this.members.get(name) ?? []).filter((m) => m.who !== who));
      if (!this.allDirty) this.dirtyServices.add(name);
    }
    // Index loops: this runs for every Ingress of a cold pass.
    for (let i = 0; i < shares.length; i += 1) {
      const member = shares[i] as Member;
      const { name } = member;
      const members = this.members.get(name);
      if (members === undefined) this.members.set(name, [member]);
      // A contributor without routes before is no member yet (every one of a cold pass).
      else if (before.length === 0) members.push(member);
      else this.members.set(name, [...members.filter((m) => m.who !== who), member]);
      if (!this.allDirty) this.dirtyServices.add(name);
    }
    if (who !== 'default backend') this.catchAlls += countOf(after, isCatchAll) - countOf(before, isCatchAll);
    this.uses.countRoutes(after, 1);
    for (let i = 0; i < after.length; i += 1) this.routePlugins.add(routePluginEntities(this.ctx.memory, after[i] as RoutePlan, this.flavor));
    // Released after every addition, so an object that stays never counts zero.
    if (before.length === 0) return;
    this.pendingReleases.push(() => {
      this.uses.countRoutes(before, -1);
      for (const route of before) this.routePlugins.remove(routePluginEntities(this.ctx.memory, route, this.flavor));
    });
  }

  private releaseUses(): void {
    for (const release of this.pendingReleases) release();
    this.pendingReleases = [];
  }

  private planned(): V1Ingress[] {
    return [...this.entries.values()].filter((entry) => entry.plan).map((entry) => entry.ingress);
  }

  private updateFallback(ctx: TranslateContext): void {
    const failures: Failure[] = [];
    const withDefault = this.planned().filter((ingress) => ingress.spec?.defaultBackend);
    const route = defaultBackendRoute(recorder(ctx, failures), withDefault, this.catchAlls > 0);
    const before = this.fallback.route;
    this.fallback = { route, failures };
    this.setRoutes('default backend', before ? [before] : [], route ? [route] : []);
  }

  private updateTls(ctx: TranslateContext): void {
    const failures: Failure[] = [];
    // The planned entries with a tls section are kept as such (sorted by age: their order does not matter).
    const withTls = ctx.memory.ages.sort(Array.from(this.tlsEntries, (entry) => entry.ingress));
    const { ownership } = this;
    const filtered = ownership ? withTls.map((ingress) => tlsWithinOwnership(recorder(ctx, failures), ingress, ownership)) : withTls;
    const tls = translateTls(recorder(ctx, failures), filtered);
    for (const secret of tls.secrets) this.uses.countObject('Secret', secret, 1);
    const before = this.tls.secrets;
    this.pendingReleases.push(() => { for (const secret of before) this.uses.countObject('Secret', secret, -1); });
    this.tls = tls;
    this.tlsFailures = failures;
  }

  private rebuildServices(): void {
    // A state's first result: every service is new, and its members are at hand (no lookup per service).
    // forEach: no [name, members] pair per service, as a for-of over the entries makes.
    if (this.allDirty) this.members.forEach((members, name) => this.rebuildService(name, members));
    else for (const name of this.dirtyServices) this.rebuildService(name, this.members.get(name) ?? []);
    this.dirtyServices.clear();
    this.allDirty = false;
  }

  /** A Kong service (and its upstream) made again from its members' routes, or dropped with its last member. */
  private rebuildService(name: string, members: readonly Member[]): void {
    // None before the first upstream (no Service needs one in most modes): no lookup per service.
    const previousUpstream = this.upstreamOfService.size === 0 ? undefined : this.upstreamOfService.get(name);
    if (previousUpstream !== undefined) {
      this.upstreams.delete(previousUpstream);
      this.upstreamOfService.delete(name);
    }
    if (members.length === 0) {
      this.members.delete(name);
      this.services.delete(name);
      return;
    }
    const [only] = members;
    // One member (nearly every service): its own list, sorted when the member was made and never changed.
    const routes = members.length === 1 && only ? only.routes : sortSmall(members.flatMap((m) => m.routes), byName);
    // Every member's backend has the same content; the first route's keeps the service object stable.
    const [first] = routes;
    const owner = members.length === 1 ? only : members.find((m) => first !== undefined && m.routes.includes(first)) ?? members[0];
    if (owner === undefined) return;
    const backend = this.ctx.memory.entities.backendOf(owner.backend);
    this.services.set(this.ctx.memory.entities.serviceWithRoutes(backend, routes, members.length === 1 ? 'exact and kept' : 'grown'));
    if (backend.kongUpstream) {
      this.upstreams.set(backend.kongUpstream);
      this.upstreamOfService.set(name, backend.kongUpstream.name);
    }
  }

  private configuredObjects(snapshot: Snapshot, extras: PluginExtras): ObjectRef[] {
    if (!this.uses.moved && extras === this.extras) return this.configured;
    this.extras = extras;
    const used = this.uses.sortedRefs();
    // Global plugins and consumers (and their Secrets) are no route's: found in their own lists, where any are
    // used (a global plugin's last good version, served while the listed one is broken, is not listed).
    const { refs } = this.ctx.memory;
    const more = extras.uses.size === 0 ? [] : usedInSnapshot(snapshot, (kind, obj) => {
      if (!extras.uses.has(obj)) return undefined;
      const keyed = refs.of(kind, obj);
      return this.uses.has(keyed) ? undefined : keyed;
    }, EXTRAS_KINDS);
    this.configured = (more.length === 0 ? used : [...used, ...more].sort(byKey)).map(({ ref }) => ref);
    this.uses.moved = false;
    return this.configured;
  }

  private failures(extras: PluginExtras): FailureCollector {
    const collector = new FailureCollector();
    const addAll = (failures: Iterable<Failure>): void => { for (const [object, reason, message] of failures) collector.add(object, reason, message); };
    for (const entry of this.failing) addAll(entry.failures);
    for (const failures of this.conflictFailures.values()) addAll(failures);
    addAll(this.tlsFailures);
    addAll(this.ownership?.failures() ?? []);
    addAll(this.fallback.failures);
    addAll(extras.failures);
    return collector;
  }

  private result(ctx: TranslateContext, snapshot: Snapshot): PassResult {
    this.rebuildServices();
    const extras = pluginExtras(ctx, snapshot);
    const certificates: KongCertificate[] = this.tls.certificates;
    const entries = this.entries;
    const fallback = this.fallback.route;
    return {
      config: this.configPlugins.withPlugins({ _format_version: '3.0', services: this.services.array(), upstreams: this.upstreams.array(), certificates }, this.routePlugins.list(), extras),
      failures: this.failures(extras).list(),
      configured: this.configuredObjects(snapshot, extras),
      hosts: hostReport(this.ownership, this.sharedHosts.list()),
      routePlans: () => [...[...entries.values()].flatMap((entry) => entry.routes), ...(fallback ? [fallback] : [])],
    };
  }
}

function baseListsOf(snapshot: Snapshot): readonly (readonly object[])[] {
  return [snapshot.Service, snapshot.Secret, snapshot.IngressClass, snapshot.EndpointSlice];
}

function tlsHostNear(ingress: V1Ingress, hosts: ReadonlySet<string>): boolean {
  for (const tls of ingress.spec?.tls ?? []) {
    for (const host of tls.hosts ?? []) for (const near of hosts) if (hostsOverlap(host, near)) return true;
  }
  return false;
}

/** A translator's incremental passes: each updates the previous one's result. */
export class DeltaPasses {
  private state: DeltaState | undefined;

  /** A pass with nothing excluded: the previous pass's result, updated for what changed. */
  translate(ctx: TranslateContext, snapshot: Snapshot): PassResult {
    if (ctx.excluding) throw new Error('DeltaPasses.translate: exclusions need a whole pass');
    let current = this.state;
    const schemasHold = current !== undefined && [...current.schemas].every(([plugin, answer]) => ctx.pluginSchemas(plugin) === answer);
    const base = baseListsOf(snapshot);
    if (current?.ctx.settings !== ctx.settings || !current.baseLists.every((list, i) => list === base[i]) || !schemasHold) {
      current = new DeltaState(ctx, snapshot);
      this.state = current;
    }
    const state = current;
    // Same lists but the plugin objects' (the index is keyed by every list plans read).
    const recheck = state.ctx.index !== ctx.index;
    state.ctx = ctx;
    const recording: TranslateContext = {
      ...ctx,
      pluginSchemas: (plugin) => {
        const answer = ctx.pluginSchemas(plugin);
        state.schemas.set(plugin, answer);
        return answer;
      },
    };
    return state.update(recording, snapshot, recheck);
  }
}
