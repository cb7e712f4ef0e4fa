// What the controller's last pass served, indexed for one review at a time:
// the path claims per host + path (who already holds it), host ownership
// (decided with the owners that pass remembered, as the translator decides
// it), which namespaces serve each host, and which served Ingresses use a
// Service. Updated after each pass from the Ingresses that changed (their
// plans are the translator's memoized ones), so a review never plans the
// other Ingresses again.
import type { V1Ingress, V1IngressBackend } from '@kubernetes/client-node';
import type { MeshDoorSettings } from '../config/index.ts';
import {
  ClaimTable, createContext, createTranslatorMemory, INGRESS_SOURCE, isIngressServed, listChanges, planIncrementally, resolveHostOwnership, SharedHosts,
} from './translator.ts';
import type { HostAndPath, HostOwnership, IngressPlan, PathClaim, SharedHost, Snapshot, TranslateContext, TranslatorMemory } from './translator.ts';

interface Served {
  plan: IngressPlan | undefined;
  services: string[];
  hosts: ReadonlySet<string>;
}

const NO_HOSTS: ReadonlySet<string> = new Set();
const NO_OWNERS: ReadonlyMap<string, string> = new Map();

/** The hosts an Ingress's claims make Kong match (rule hosts and aliases). */
function hostsOf(plan: IngressPlan | undefined): Set<string> {
  return new Set((plan?.claims ?? []).map((claim) => claim.host).filter((host) => host !== ''));
}

const IGNORE_FAILURES = { add: (): void => {} };

function serviceKeys(ingress: V1Ingress): string[] {
  const namespace = ingress.metadata?.namespace ?? '';
  const backends: (V1IngressBackend | undefined)[] = [ingress.spec?.defaultBackend];
  for (const rule of ingress.spec?.rules ?? []) for (const path of rule.http?.paths ?? []) backends.push(path.backend);
  const names = backends.map((b) => b?.service?.name).filter((name): name is string => Boolean(name));
  return [...new Set(names)].map((name) => `${namespace}/${name}`);
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function pull<V>(map: Map<string, V[]>, key: string, value: V): void {
  const rest = (map.get(key) ?? []).filter((v) => v !== value);
  if (rest.length > 0) map.set(key, rest);
  else map.delete(key);
}

export class ServedIndex {
  /** The webhook's own translator memory: plans, parsed annotations and Secrets, shared with no other translator. */
  readonly memory: TranslatorMemory = createTranslatorMemory();
  private ingresses: readonly V1Ingress[] = [];
  private ctx: TranslateContext | undefined;
  private classes: Snapshot['IngressClass'] | undefined;
  private services: Snapshot['Service'] = [];
  private readonly served = new Map<V1Ingress, Served>();
  private claims = new ClaimTable();
  private readonly users = new Map<string, V1Ingress[]>();
  private hostServers = new SharedHosts(this.memory.ages);
  private ownershipOf: HostOwnership | undefined;
  private owners: ReadonlyMap<string, string> = NO_OWNERS;

  /**
   * Brings the index to the pass's snapshot. New settings or IngressClasses
   * (which decide what is served) start over; other new lookup tables (a
   * Service, Secret or EndpointSlice changed) re-index only the Ingresses
   * whose memoized plan changed with them. `hostOwners` are the owners the
   * pass's translation remembered (TranslateOptions.hostOwners): an owner
   * keeps its host here as there, whatever the age of a newcomer.
   */
  update(snapshot: Snapshot, settings: MeshDoorSettings, hostOwners: ReadonlyMap<string, string> = NO_OWNERS): void {
    const ctx = { ...createContext(snapshot, { settings, hostOwners }, this.memory), failures: IGNORE_FAILURES };
    if (this.ctx?.settings !== settings || this.classes !== snapshot.IngressClass) this.clear();
    const replanned = this.ctx && this.ctx.index !== ctx.index ? this.replan(ctx, snapshot.Service) : 0;
    this.ctx = ctx;
    this.classes = snapshot.IngressClass;
    this.services = snapshot.Service;
    const { removed, added } = listChanges(this.ingresses, snapshot.Ingress);
    this.ingresses = snapshot.Ingress;
    for (const ingress of removed) this.forget(ingress);
    for (const ingress of added) this.remember(ctx, ingress);
    if (removed.length + added.length + replanned > 0 || hostOwners !== this.owners) this.updateOwnership(ctx);
    this.owners = hostOwners;
    // Settles the hosts that changed (SharedHosts lists them incrementally).
    this.hostServers.list();
  }

  /** The served claims on the host + path of `claim`. */
  claimsAt(claim: HostAndPath): readonly PathClaim[] {
    return this.claims.at(claim);
  }

  /** Host ownership as the last pass decided it (spec.hosts.ownership: Namespace only). */
  get ownership(): HostOwnership | undefined {
    return this.ownershipOf;
  }

  /** Who serves `host` now: per namespace (sorted), its oldest Ingress serving it. */
  servedFrom(host: string): SharedHost['servedFrom'] {
    return this.hostServers.servedFrom(host);
  }

  /** The served Ingresses whose backends name this Service. */
  ingressesUsing(namespace: string, service: string): readonly V1Ingress[] {
    return this.users.get(`${namespace}/${service}`) ?? [];
  }

  /**
   * Only the users of a Service that changed may claim differently (a missing
   * Service or port drops a claim; Secrets and EndpointSlices never do).
   * Returns how many were re-indexed.
   */
  private replan(ctx: TranslateContext, services: Snapshot['Service']): number {
    const { removed, added } = listChanges(this.services, services);
    const keys = new Set([...removed, ...added].map((service) => `${service.metadata?.namespace ?? ''}/${service.metadata?.name ?? ''}`));
    const users = new Set([...keys].flatMap((key) => this.users.get(key) ?? []));
    let replanned = 0;
    for (const ingress of users) {
      if (planIncrementally(ctx, INGRESS_SOURCE, ingress) === this.served.get(ingress)?.plan) continue;
      this.forget(ingress);
      this.remember(ctx, ingress);
      replanned += 1;
    }
    return replanned;
  }

  private clear(): void {
    this.ctx = undefined;
    this.ingresses = [];
    this.services = [];
    this.served.clear();
    this.claims = new ClaimTable();
    this.users.clear();
    this.hostServers = new SharedHosts(this.memory.ages);
    this.ownershipOf = undefined;
    this.owners = NO_OWNERS;
  }

  private remember(ctx: TranslateContext, ingress: V1Ingress): void {
    if (!ingress.metadata?.name || !isIngressServed(ingress, ctx.settings, ctx.index)) return;
    const plan = planIncrementally(ctx, INGRESS_SOURCE, ingress);
    const entry = { plan, services: serviceKeys(ingress), hosts: hostsOf(plan) };
    this.served.set(ingress, entry);
    this.hostServers.serve(ingress, NO_HOSTS, entry.hosts);
    for (const claim of entry.plan?.claims ?? []) this.claims.add(claim);
    for (const key of entry.services) push(this.users, key, ingress);
  }

  private forget(ingress: V1Ingress): void {
    const entry = this.served.get(ingress);
    if (!entry) return;
    this.served.delete(ingress);
    this.hostServers.serve(ingress, entry.hosts, NO_HOSTS);
    for (const claim of entry.plan?.claims ?? []) this.claims.remove(claim);
    for (const key of entry.services) pull(this.users, key, ingress);
  }

  private updateOwnership(ctx: TranslateContext): void {
    if (ctx.settings.hostOwnership !== 'Namespace') {
      this.ownershipOf = undefined;
      return;
    }
    const plans = [...this.served.values()].flatMap((entry) => (entry.plan ? [entry.plan] : []));
    this.ownershipOf = resolveHostOwnership(ctx, plans);
  }
}
