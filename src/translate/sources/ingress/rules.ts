// One Ingress → the (host, path, backend) claims it makes. Bad parts become
// failures on the Ingress; the rest of it still translates.
import type { V1Ingress, V1IngressBackend, V1IngressServiceBackend } from '@kubernetes/client-node';
import { InvalidAnnotationError } from '../../annotation-values.ts';
import { resolveBackend } from '../../backends.ts';
import type { BackendPlan } from '../../backends.ts';
import type { TranslateContext } from '../../context.ts';
import { checkIngressHost } from '../../hosts.ts';
import { refOf } from '../../objects.ts';
import type { KeyedRef } from '../../objects.ts';
import type { RouteOptions } from '../../route-annotations.ts';
import type { IngressPlan, PathClaim } from '../../plans.ts';
import { ON_ROUTE, referrerPlugins, reportPluginFailures } from '../../plugin-refs.ts';

/** Resolves a backend, recording any problem on the Ingress (and the Service at fault). */
export function resolveIngressBackend(ctx: TranslateContext, ingress: V1Ingress, backend: V1IngressBackend | undefined): BackendPlan | undefined {
  const result = resolveBackend(ctx, ingress.metadata?.namespace ?? '', backend);
  if ('plan' in result) return result.plan;
  if ('problem' in result) {
    const { reason, message, service } = result.problem;
    ctx.failures.add(refOf('Ingress', ingress), reason, message);
    if (service) ctx.failures.add(refOf('Service', service), reason, message);
  }
  return undefined;
}

const NOT_CONFIGURED = "none of this Ingress's routes are configured";

function parseOptions(ctx: TranslateContext, ingress: V1Ingress): RouteOptions | undefined {
  const options = ctx.memory.routeAnnotations.read(ingress.metadata?.annotations ?? {}, ctx.settings.routerFlavor);
  if (options instanceof InvalidAnnotationError) {
    ctx.failures.add(refOf('Ingress', ingress), 'InvalidAnnotation', `${options.message}; ${NOT_CONFIGURED}`);
    return undefined;
  }
  const plugins = referrerPlugins(ctx, 'Ingress', ingress, ON_ROUTE);
  if (!plugins.ok) {
    reportPluginFailures(ctx.failures, plugins.failures, { kind: 'Ingress', consequence: NOT_CONFIGURED });
    return undefined;
  }
  return plugins.attached ? { ...options, plugins: plugins.attached } : options;
}

interface RuleInput {
  ingress: V1Ingress;
  ingressRef: KeyedRef;
  options: RouteOptions;
  ruleIndex: number;
  resolved: ResolvedBackends;
}

/**
 * The backends this Ingress's paths resolved so far: its paths usually name
 * one Service port, which resolves to the same plan every time (one plan, not
 * one per path; a problem is not kept, so each path still reports it).
 */
type ResolvedBackends = { service: V1IngressServiceBackend; plan: BackendPlan }[];

/** Before the first backend resolved: shared, never added to (the first one makes the input's own list). */
const NONE_RESOLVED: ResolvedBackends = Object.freeze([]) as unknown as ResolvedBackends;

function sameServicePort(a: V1IngressServiceBackend, b: V1IngressServiceBackend): boolean {
  return a.name === b.name && a.port?.number === b.port?.number && a.port?.name === b.port?.name;
}

function findResolved(resolved: ResolvedBackends, service: V1IngressServiceBackend): ResolvedBackends[number] | undefined {
  for (let i = 0; i < resolved.length; i += 1) {
    const known = resolved[i] as ResolvedBackends[number];
    if (sameServicePort(known.service, service)) return known;
  }
  return undefined;
}

function pathBackend(ctx: TranslateContext, input: RuleInput, backend: V1IngressBackend | undefined): BackendPlan | undefined {
  const service = backend?.service;
  const known = service && !backend.resource ? findResolved(input.resolved, service) : undefined;
  if (known) return known.plan;
  const plan = resolveIngressBackend(ctx, input.ingress, backend);
  if (plan && service && !backend.resource && input.resolved.length < 8) {
    // A list of one first (most Ingresses resolve one backend): push would grow it to 17 slots.
    if (input.resolved.length === 0) input.resolved = [{ service, plan }];
    else input.resolved.push({ service, plan });
  }
  return plan;
}

/** Adds a rule's claims to `claims` (a loop without closures: it runs for every path of every Ingress). */
function claimRule(ctx: TranslateContext, input: RuleInput, claims: PathClaim[]): void {
  const { ingress, ingressRef, options, ruleIndex } = input;
  const rule = ingress.spec?.rules?.[ruleIndex];
  const host = rule?.host ?? '';
  const hostProblem = host === '' ? null : checkIngressHost(host);
  if (hostProblem) {
    ctx.failures.add(refOf('Ingress', ingress), 'InvalidHost', `rules[${ruleIndex}].host '${host}' ${hostProblem}`);
    return;
  }
  const paths = rule?.http?.paths ?? [];
  for (let pathIndex = 0; pathIndex < paths.length; pathIndex += 1) {
    const entry = paths[pathIndex];
    if (entry === undefined) continue;
    const path = ctx.memory.paths.translate(entry.path, entry.pathType, options.regexPrefix);
    if ('error' in path) {
      ctx.failures.add(refOf('Ingress', ingress), 'InvalidPath', `rules[${ruleIndex}].http.paths[${pathIndex}] path '${entry.path ?? ''}' ${path.error}`);
      continue;
    }
    const backend = pathBackend(ctx, input, entry.backend);
    if (backend) claims.push({ ingress, ingressRef, host, ruleHost: host, alias: false, path, backend, options });
  }
}

/**
 * Aliases are hosts: each path of a host rule is claimed on every alias too, so
 * an alias takes part in conflicts like a rules[].host (a host-less rule has none).
 * They come after all rule-host claims: an explicit rules[].host of this Ingress
 * wins over the same host reached through an alias.
 */
function aliasClaims(claims: readonly PathClaim[], aliases: readonly string[]): PathClaim[] {
  if (aliases.length === 0) return [];
  return claims.filter((claim) => claim.host !== '').flatMap((claim) => aliases
    .filter((alias) => alias !== claim.host)
    .map((alias) => ({ ...claim, host: alias, alias: true })));
}

/** Undefined when the Ingress's annotations are invalid (then none of it is configured). */
export function planIngress(ctx: TranslateContext, ingress: V1Ingress): IngressPlan | undefined {
  const options = parseOptions(ctx, ingress);
  if (!options) return undefined;
  const claims: PathClaim[] = [];
  // One input for all rules of the Ingress, moved from rule to rule.
  // The Ingress's ref found here, once per plan: no entry per Ingress object (the plan is the Ingress's memo).
  const input: RuleInput = { ingress, ingressRef: ctx.memory.refs.ofObject('Ingress', ingress), options, ruleIndex: 0, resolved: NONE_RESOLVED };
  // forEach, not a loop: rules that are not a list (bad input) must throw, becoming a failure of this Ingress.
  (ingress.spec?.rules ?? []).forEach((_rule, ruleIndex) => {
    input.ruleIndex = ruleIndex;
    claimRule(ctx, input, claims);
  });
  // slice, concat: an exact-length array (the plan is kept while the Ingress lives).
  return { ingress, options, claims: options.hostAliases.length === 0 ? claims.slice() : claims.concat(aliasClaims(claims, options.hostAliases)), routes: undefined, routesFlavor: undefined, routesOf: undefined };
}
