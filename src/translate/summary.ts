// A readable view of what the translation routes where: one row per host and
// path (used by `meshdoor routes` and the demo).
import type { BackendPlan } from './backends.ts';
import { compareStrings } from './objects.ts';
import type { TranslatedPath } from './paths.ts';
import type { RoutePlan } from './route-plans.ts';

export interface RouteSummary {
  /** `*` for any host. */
  host: string;
  path: string;
  /** The Ingress pathType, or `default` for the spec.defaultBackend route. */
  type: string;
  route: string;
  /** `<svc>.<ns>:<port>` as written in the Ingress. */
  service: string;
  /** Where Kong sends it: `host:port`, or the upstream's targets. */
  target: string;
  /** Kong plugins on the route and its Kong service (global ones apply to every route), comma-separated; absent when none. */
  plugins?: string;
}

function pathText(path: TranslatedPath): string {
  const { match } = path;
  return match.kind === 'regex' ? `~${match.regex}` : match.path;
}

function targetText(backend: BackendPlan): string {
  const { upstream } = backend;
  if (!upstream) return `${backend.host}:${backend.port}`;
  const targets = upstream.targets.length > 0 ? upstream.targets.join(',') : 'no ready endpoints';
  return `upstream ${upstream.name} -> ${targets}`;
}

function pluginNames(plan: RoutePlan): string | undefined {
  const names = [...(plan.options.plugins?.plugins ?? []), ...(plan.backend.plugins?.plugins ?? [])].map((p) => p.name);
  return names.length > 0 ? [...new Set(names)].sort(compareStrings).join(',') : undefined;
}

export function summarizeRoutes(routes: readonly RoutePlan[]): RouteSummary[] {
  const rows = routes.flatMap((plan) => {
    const plugins = pluginNames(plan);
    const service = `${plan.backend.service.metadata?.name ?? ''}.${plan.backend.service.metadata?.namespace ?? ''}:${plan.backend.portToken}`;
    const hosts = plan.hosts.length > 0 ? plan.hosts : ['*'];
    return hosts.flatMap((host) => plan.paths.map((path) => ({
      host,
      path: pathText(path),
      type: plan.isDefaultBackend ? 'default' : path.pathType,
      route: plan.name,
      service,
      target: targetText(plan.backend),
      ...(plugins === undefined ? {} : { plugins }),
    })));
  });
  return rows.sort((a, b) => compareStrings(a.host, b.host) || compareStrings(a.path, b.path) || compareStrings(a.type, b.type) || compareStrings(a.route, b.route));
}
