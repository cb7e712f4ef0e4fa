// Routes for Kong's `expressions` router flavor (docs/kong-router.md#the-expressions-flavor): an ATC
// expression plus a priority. Unlike traditional hosts, `*.foo.com` here
// matches exactly one label, as Kubernetes requires.
import { escapeRegexLiteral } from './paths.ts';
import type { TranslatedPath } from './paths.ts';
import type { RoutePlan } from './route-plans.ts';

/** An ATC string literal. */
function str(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function anyOf(terms: string[]): string {
  return terms.length === 1 ? terms[0] ?? '' : `(${terms.join(' || ')})`;
}

// Host names are case-insensitive, but Kong compares the Host header as sent:
// `lower()` makes `A.Example.COM` reach the route of `a.example.com`.
function hostTerm(host: string): string {
  const name = host.toLowerCase();
  if (!name.startsWith('*.')) return `lower(http.host) == ${str(name)}`;
  return `lower(http.host) ~ ${str(`^[^.]+${escapeRegexLiteral(name.slice(1))}$`)}`;
}

function pathTerm(path: TranslatedPath): string {
  const { match } = path;
  switch (match.kind) {
    case 'exact': return `http.path == ${str(match.path)}`;
    case 'stringPrefix': return `http.path ^= ${str(match.path)}`;
    case 'regex': return `http.path ~ ${str(`^${match.regex}`)}`;
    case 'prefix':
      return match.path === '/'
        ? 'http.path ^= "/"'
        : `(http.path == ${str(match.path)} || http.path ^= ${str(`${match.path}/`)})`;
  }
}

function headerTerm(name: string, values: string[]): string {
  const field = `http.headers.${name.toLowerCase().replace(/-/g, '_')}`;
  return anyOf(values.map((v) => (v.startsWith('~*') ? `${field} ~ ${str(v.slice(2))}` : `${field} == ${str(v)}`)));
}

export function routeExpression(plan: RoutePlan): string {
  const terms: string[] = [];
  if (plan.hosts.length > 0) terms.push(anyOf(plan.hosts.map(hostTerm)));
  terms.push(anyOf(plan.paths.map(pathTerm)));
  const { methods, headers, snis } = plan.options;
  if (methods?.length) terms.push(anyOf(methods.map((m) => `http.method == ${str(m)}`)));
  for (const [name, values] of Object.entries(headers ?? {})) terms.push(headerTerm(name, values));
  if (snis?.length) terms.push(anyOf(snis.map((s) => `tls.sni == ${str(s)}`)));
  return terms.join(' && ');
}

const HOST_RANK = { exact: 2, wildcard: 1, any: 0 } as const;
const MAX_LENGTH = 2 ** 15 - 1;
const MAX_HEADERS = 7;

/**
 * Kubernetes precedence as one number: the host kind first (exact > wildcard
 * > none), then extra criteria from annotations, then the longest path, then
 * Exact over Prefix; the default backend is 0. Kept below 2^31 although Kong
 * allows 2^46-1, so the value means the same wherever it passes through
 * 32-bit arithmetic (LuaJIT bit ops, docs/kong-router.md#priority-on-traditional_compatible).
 */
export function routePriority(plan: RoutePlan): number {
  if (plan.isDefaultBackend) return 0;
  const { methods, headers, snis } = plan.options;
  const headerCount = Math.min(Object.keys(headers ?? {}).length, MAX_HEADERS);
  const length = Math.min(Math.max(...plan.paths.map((p) => p.length)), MAX_LENGTH);
  return HOST_RANK[plan.hostKind] * 2 ** 29
    + headerCount * 2 ** 26
    + (methods?.length ? 2 ** 25 : 0)
    + (snis?.length ? 2 ** 24 : 0)
    + length * 2 ** 9
    + (plan.exact ? 2 ** 8 : 0);
}
