// One object under review → a Verdict, with the translator's own rules over
// the controller's caches: what the translator would report as a failure of
// this object is refused (or, when it depends on other objects or their
// order, returned as a warning), worded exactly as the Event; a host it would
// share with another namespace (spec.hosts.ownership: Shared) is a warning
// with the SharedHost Event's facts. Only the reviewed object is planned;
// other Ingresses are read from the ServedIndex.
import type { V1Ingress, V1Service } from '@kubernetes/client-node';
import { settingsFromMeshDoor } from '../config/index.ts';
import type { MeshDoorObject } from '../config/index.ts';
import type { MeshDoorSettings } from '../config/index.ts';
import type { AdmissionRequest, Verdict } from './review.ts';
import type { ServedIndex } from './served-index.ts';
import { evaluatePlugin } from './plugins.ts';
import type { KongPluginResource, SchemaLookup } from '../plugins/index.ts';
import {
  createContext, formatFailure, isIngressServed, namespacedName, ownershipMessage, planIngress, refOf,
  reportLoser, resolveIngressBackend, resolvePathConflicts, sharedHostMessage, tlsWithinOwnership, translateTls, winnerOf,
} from './translator.ts';
import type { PathClaim, SharedHost, Snapshot, TranslateContext, TranslationFailure } from './translator.ts';

/** The controller's view a review is judged against. */
export interface AdmissionInputs {
  /** The watch caches as they are now. */
  snapshot: Snapshot;
  settings: MeshDoorSettings;
  served: ServedIndex;
  /** `--watch-namespace`: Ingresses and Services elsewhere are not meshdoor's (empty: all). */
  watchNamespaces: readonly string[];
  /** Plugin schemas the controller's last pass read from the gateways (none: structure checked only). */
  pluginSchemas?: SchemaLookup;
}

/**
 * Failures that depend on other objects or on their order (a Service or Secret
 * created later, an older Ingress on the same path): legal, but surprising.
 */
const WARNING_REASONS: ReadonlySet<string> = new Set([
  'ServiceNotFound', 'SecretNotFound', 'PathConflict', 'HostConflict', 'DefaultBackendConflict',
  // A plugin named by konghq.com/plugins: the plugin object (or its Secret) may come later, and is at fault itself;
  // naming another namespace's KongPlugin (PluginWrongNamespace) is the referrer's own mistake: refused.
  'PluginNotFound', 'PluginSecretMissing', 'InvalidPlugin', 'InvalidPluginConfig', 'DuplicatePlugin',
]);

const CREATED_SERVICE: Leniency = new Set(['PortNotFound']);

/** Services whose Ingresses are re-checked per review, at most (a budget, not a rule). */
const MAX_USERS_CHECKED = 20;

export const NOT_SYNCED_WARNING = 'meshdoor has not synced its caches yet: this object was not validated (it will be reported as an Event if meshdoor cannot serve it)';

const ALLOW: Verdict = Object.freeze({ allowed: true, warnings: [] });

class Collector {
  readonly failures: TranslationFailure[] = [];
  add(object: TranslationFailure['object'], reason: TranslationFailure['reason'], message: string): void {
    this.failures.push({ object, reason, message });
  }
}

function reviewContext(inputs: AdmissionInputs, failures: Collector, service?: V1Service): TranslateContext {
  const options = { settings: inputs.settings, ...(inputs.pluginSchemas ? { pluginSchemas: inputs.pluginSchemas } : {}) };
  const ctx = { ...createContext(inputs.snapshot, options, inputs.served.memory), failures };
  if (!service) return ctx;
  // The Service under review replaces the cached one.
  const [namespace, name] = [service.metadata?.namespace ?? '', service.metadata?.name ?? ''];
  const index = ctx.index;
  return { ...ctx, index: { ...index, lookupService: (ns, n) => (ns === namespace && n === name ? service : index.lookupService(ns, n)) } };
}

function watched(inputs: AdmissionInputs, namespace: string | undefined): boolean {
  return inputs.watchNamespaces.length === 0 || inputs.watchNamespaces.includes(namespace ?? '');
}

/** Paths the older Ingresses of the last pass hold: PathConflict, as the loser's Event reads. Returns the claims that win. */
function servedConflicts(ctx: TranslateContext, inputs: AdmissionInputs, claims: readonly PathClaim[]): PathClaim[] {
  return claims.filter((claim) => {
    const self = namespacedName(claim.ingress);
    const holders = inputs.served.claimsAt(claim).filter((held) => namespacedName(held.ingress) !== self);
    if (holders.length === 0) return true;
    const winner = winnerOf(ctx.memory.ages, [...holders, claim]);
    if (winner && winner !== claim) reportLoser(ctx, claim, winner);
    return !winner || winner === claim;
  });
}

/** Claims on hosts another namespace owns (spec.hosts.ownership: Namespace): HostNotOwned. */
function hostRefusals(ctx: TranslateContext, inputs: AdmissionInputs, ingress: V1Ingress, claims: readonly PathClaim[]): Set<PathClaim> {
  const refused = new Set<PathClaim>();
  const ownership = inputs.served.ownership;
  if (!ownership) return refused;
  const namespace = ingress.metadata?.namespace ?? '';
  for (const claim of claims) {
    const blocker = claim.host === '' ? undefined : ownership.blockerOf(claim.host, namespace);
    if (!blocker) continue;
    refused.add(claim);
    ctx.failures.add(refOf('Ingress', ingress), 'HostNotOwned', `${ownershipMessage(claim.host, blocker, namespace)}; its paths on this host are not configured`);
  }
  return refused;
}

interface Judgement {
  /** What the translator would report about the Ingress. */
  failures: TranslationFailure[];
  /** The hosts its routes would serve (path claims it keeps). */
  hosts: ReadonlySet<string>;
}

/** Everything the translator would report about this Ingress, next to the Ingresses it serves now. */
export function ingressFailures(inputs: AdmissionInputs, ingress: V1Ingress, service?: V1Service): TranslationFailure[] {
  return judgeIngress(inputs, ingress, service).failures;
}

function judgeIngress(inputs: AdmissionInputs, ingress: V1Ingress, service?: V1Service): Judgement {
  const collector = new Collector();
  const ctx = reviewContext(inputs, collector, service);
  const plan = planIngress(ctx, ingress);
  const hosts = new Set<string>();
  if (plan) {
    const refused = hostRefusals(ctx, inputs, ingress, plan.claims);
    const losers = resolvePathConflicts(ctx, [plan], refused);
    const kept = servedConflicts(ctx, inputs, plan.claims.filter((claim) => !losers.has(claim)));
    for (const claim of kept) if (claim.host !== '') hosts.add(claim.host);
  }
  if (ingress.spec?.defaultBackend) resolveIngressBackend(ctx, ingress, ingress.spec.defaultBackend);
  if (ingress.spec?.tls?.length) {
    const ownership = inputs.served.ownership;
    translateTls(ctx, [ownership ? tlsWithinOwnership(ctx, ingress, ownership) : ingress]);
  }
  return { failures: collector.failures.filter((f) => f.object.kind === 'Ingress'), hosts };
}

/** Code-unit order, as the SharedHost Event lists namespaces. */
function byNamespace(a: { namespace: string }, b: { namespace: string }): number {
  if (a.namespace === b.namespace) return 0;
  return a.namespace < b.namespace ? -1 : 1;
}

/**
 * spec.hosts.ownership Shared: the hosts of this Ingress that another
 * namespace already serves, each with the SharedHost Event's sentence. Costs
 * the hosts of the Ingress, whatever the number of served Ingresses.
 */
function sharedHostWarnings(inputs: AdmissionInputs, ingress: V1Ingress, hosts: ReadonlySet<string>): string[] {
  if (inputs.settings.hostOwnership !== 'Shared') return [];
  const namespace = ingress.metadata?.namespace ?? '';
  return [...hosts].sort().flatMap((host) => {
    const servedFrom = inputs.served.servedFrom(host);
    if (!servedFrom.some((s) => s.namespace !== namespace)) return [];
    const own = servedFrom.some((s) => s.namespace === namespace) ? [] : [{ namespace, ingress: refOf('Ingress', ingress) }];
    const shared: SharedHost = { host, servedFrom: [...servedFrom, ...own].sort(byNamespace) };
    return [`Ingress ${namespacedName(ingress)}: SharedHost: ${sharedHostMessage(shared)}`];
  });
}

const failureKey = (f: TranslationFailure): string => `${f.reason}\n${f.message}`;

/** Warning reasons besides WARNING_REASONS, for one kind of review. */
type Leniency = ReadonlySet<string>;
const STRICT: Leniency = new Set();

/**
 * Refuses the refusable failures, warns the rest. Against the version `before`
 * (an update): what it already had is not held against the object, and an
 * update that fixes one of its problems is allowed, what is left becoming
 * warnings (an invalid annotation hides the other problems of an Ingress, so
 * fixing it may bring them to light).
 */
function verdictOf(failures: readonly TranslationFailure[], before: readonly TranslationFailure[] = [], lenient: Leniency = STRICT): Verdict {
  const refusable = (f: TranslationFailure): boolean => !WARNING_REASONS.has(f.reason) && !lenient.has(f.reason);
  const reasonsNow = new Set(failures.filter(refusable).map((f) => f.reason));
  const known = new Set(before.map(failureKey));
  const fresh = dedupe(failures).filter((f) => !known.has(failureKey(f)));
  // By reason: a port changed from one missing port to another fixes nothing.
  const fixesOne = before.some((f) => refusable(f) && !reasonsNow.has(f.reason));
  const refusals = fixesOne ? [] : fresh.filter(refusable).map(formatFailure);
  const warnings = fresh.filter((f) => fixesOne || !refusable(f)).map(formatFailure);
  return refusals.length > 0 ? { allowed: false, message: refusals.join('\n'), warnings } : { allowed: true, warnings };
}

function dedupe(failures: readonly TranslationFailure[]): TranslationFailure[] {
  const seen = new Map<string, TranslationFailure>();
  for (const f of failures) if (!seen.has(failureKey(f))) seen.set(failureKey(f), f);
  return [...seen.values()];
}

function isServed(inputs: AdmissionInputs, ingress: V1Ingress): boolean {
  const ctx = reviewContext(inputs, new Collector());
  return isIngressServed(ingress, inputs.settings, ctx.index);
}

function classWarnings(inputs: AdmissionInputs, ingress: V1Ingress): string[] {
  const { ingressClass, controllerName } = inputs.settings;
  if (reviewContext(inputs, new Collector()).index.lookupIngressClass(ingressClass)) return [];
  return [`IngressClass ${ingressClass} does not exist: meshdoor serves Ingress ${namespacedName(ingress)} by the class name alone; `
    + `create an IngressClass ${ingressClass} with spec.controller ${controllerName}`];
}

/** A new Ingress is the newest claimant: give it the creation time the API server is about to record. */
function withCreationTime(ingress: V1Ingress, now: Date): V1Ingress {
  if (ingress.metadata?.creationTimestamp) return ingress;
  return { ...ingress, metadata: { ...ingress.metadata, creationTimestamp: now } };
}

export function evaluateIngress(inputs: AdmissionInputs, ingress: V1Ingress, old: V1Ingress | undefined, now: Date): Verdict {
  if (!watched(inputs, ingress.metadata?.namespace) || !isServed(inputs, ingress)) return ALLOW;
  const reviewed = withCreationTime(ingress, now);
  const before = old && isServed(inputs, old) ? judgeIngress(inputs, old) : { failures: [], hosts: new Set<string>() };
  const after = judgeIngress(inputs, reviewed);
  const verdict = verdictOf(after.failures, before.failures);
  // An update is told only of the sharing it starts.
  const sharedBefore = new Set(sharedHostWarnings(inputs, old ?? reviewed, before.hosts));
  const shared = sharedHostWarnings(inputs, reviewed, after.hosts).filter((warning) => !sharedBefore.has(warning));
  return { ...verdict, warnings: [...classWarnings(inputs, ingress), ...verdict.warnings, ...shared] };
}


/** A Service is judged by what it does to the served Ingresses that use it. */
export function evaluateService(inputs: AdmissionInputs, service: V1Service, old: V1Service | undefined): Verdict {
  const [namespace, name] = [service.metadata?.namespace ?? '', service.metadata?.name ?? ''];
  if (!watched(inputs, namespace)) return ALLOW;
  const users = inputs.served.ingressesUsing(namespace, name).slice(0, MAX_USERS_CHECKED);
  const baseline = old ?? reviewContext(inputs, new Collector()).index.lookupService(namespace, name);
  const failures = users.flatMap((ingress) => ingressFailures(inputs, ingress, service));
  const before = users.flatMap((ingress) => ingressFailures(inputs, ingress, baseline));
  // A new Service lacking the port an Ingress names: the Ingress is at fault, so only say so.
  return verdictOf(failures, before, old ? STRICT : CREATED_SERVICE);
}

function meshDoorProblem(obj: MeshDoorObject & { metadata?: { name?: string } }): string | undefined {
  try {
    settingsFromMeshDoor(obj);
    return undefined;
  } catch (err) {
    // The parser names the object itself; formatFailure names it once.
    return (err instanceof Error ? err.message : String(err)).replace(`MeshDoor ${obj.metadata?.name ?? ''}: `, '');
  }
}

export function evaluateMeshDoor(meshdoor: MeshDoorObject & { metadata?: { name?: string } }, old: MeshDoorObject | undefined): Verdict {
  const problem = meshDoorProblem(meshdoor);
  if (problem === undefined || (old && meshDoorProblem(old) === problem)) return ALLOW;
  const message = formatFailure({ object: { kind: 'MeshDoor', name: meshdoor.metadata?.name ?? '' }, reason: 'InvalidSpec', message: problem });
  return { allowed: false, message, warnings: [] };
}

function evaluateKongPlugin(inputs: AdmissionInputs, resource: KongPluginResource, kind: 'KongPlugin' | 'KongClusterPlugin', old: KongPluginResource | undefined): Verdict {
  if (kind === 'KongPlugin' && !watched(inputs, resource.metadata?.namespace)) return ALLOW;
  return evaluatePlugin(inputs, resource, kind, old);
}

/** The verdict on one request; `inputs` is undefined until the caches have synced (then: allow, and say so). */
export function evaluate(request: AdmissionRequest, inputs: AdmissionInputs | undefined, now: Date): Verdict {
  if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return ALLOW;
  const { group, kind } = request.kind;
  const object = request.object as never;
  const old = (request.operation === 'UPDATE' ? request.oldObject : undefined) as never;
  const plugin = group === 'configuration.konghq.com' && (kind === 'KongPlugin' || kind === 'KongClusterPlugin');
  const ours = plugin || (group === 'networking.k8s.io' && kind === 'Ingress') || (group === '' && kind === 'Service') || (group === 'meshdoor.dev' && kind === 'MeshDoor');
  if (!ours || object === undefined || object === null) return ALLOW;
  if (kind === 'MeshDoor') return evaluateMeshDoor(object, old);
  if (!inputs) return { allowed: true, warnings: [NOT_SYNCED_WARNING] };
  if (plugin) return evaluateKongPlugin(inputs, object, kind, old);
  return kind === 'Ingress' ? evaluateIngress(inputs, object, old, now) : evaluateService(inputs, object, old);
}
