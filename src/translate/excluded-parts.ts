// Leaves out the parts of Ingresses Kong rejected (a path, a route), finer
// than whole objects, so a rejected path's neighbours stay served. A route
// Kong refuses as a whole can be split into one route per Ingress path
// (`<name>.<hash of the path>`, the names the expressions flavor uses) to learn
// which path it is; once that path is left out the route has its own name again.
import { keyOf } from './objects.ts';
import { splitRouteName, type RoutePlan } from './route-plans.ts';
import { parsePartExclusionKey, type ExcludedPart } from './types.ts';

export interface ExcludedParts {
  /** Route plans without the excluded parts (split where asked). */
  apply(routes: readonly RoutePlan[]): RoutePlan[];
}

interface IngressParts {
  kongPaths: Set<string>;
  routes: Set<string>;
  splits: Set<string>;
}

function collect(exclude: ReadonlySet<string>): Map<string, IngressParts> {
  const byObject = new Map<string, IngressParts>();
  for (const key of exclude) {
    const parsed = parsePartExclusionKey(key);
    if (!parsed) continue;
    let parts = byObject.get(parsed.object);
    if (!parts) {
      parts = { kongPaths: new Set(), routes: new Set(), splits: new Set() };
      byObject.set(parsed.object, parts);
    }
    add(parts, parsed.part);
  }
  return byObject;
}

function add(parts: IngressParts, part: ExcludedPart): void {
  if (part.kind === 'path') parts.kongPaths.add(part.kongPath);
  else if (part.kind === 'route') parts.routes.add(part.name);
  else parts.splits.add(part.name);
}

function refine(route: RoutePlan, parts: IngressParts): RoutePlan[] {
  if (parts.routes.has(route.name)) return [];
  const paths = route.paths.filter((p) => !p.kongPaths.some((k) => parts.kongPaths.has(k)));
  if (paths.length === 0) return [];
  const kept = paths.length === route.paths.length ? route : { ...route, paths, exact: paths.every((p) => p.pathType === 'Exact') };
  // Split only until the path at fault is known: then the route keeps its own name.
  if (!parts.splits.has(route.name) || paths.length === 1 || kept !== route) return [kept];
  return paths
    .map((path) => ({ ...route, name: splitRouteName(route.name, path), paths: [path], exact: path.pathType === 'Exact' }))
    .filter((split) => !parts.routes.has(split.name));
}

export function excludedParts(exclude: ReadonlySet<string>): ExcludedParts | undefined {
  const byObject = collect(exclude);
  if (byObject.size === 0) return undefined;
  return {
    apply: (routes) => routes.flatMap((route) => {
      const parts = byObject.get(keyOf('Ingress', route.ingress));
      return parts ? refine(route, parts) : [route];
    }),
  };
}
