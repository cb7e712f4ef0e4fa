// kong/router/transform.lua: route priorities for the ATC router and the
// split of routes into one sub-route per path group.
//
// Reproduces what Kong's code computes, not its documented layout
// (Kong/kong#14457): `lshift_uint64` only shifts cdata constants as 64-bit
// values, so match weight, header count and regex_priority go through
// LuaJIT's 32-bit `bit.lshift` (shift count mod 32, signed result) and are
// sign-extended when OR-ed with the 64-bit bits. JavaScript's `<<` has the
// same 32-bit semantics.
import { v5 as uuidv5 } from 'uuid';
import { isEmptyField, isRegexPath } from './compat-expression.ts';
import type { KongEntity } from './types.ts';

const PLAIN_HOST_ONLY_BIT = 1n << 60n;
const REGEX_URL_BIT = 1n << 51n;
const EXPRESSION_ONLY_BIT = 0xffn << 56n;
const MAX_HEADER_COUNT = 255;

/** Namespace of split sub-route ids: uuid5(NS, "<route id>#<n>"), n from 1. */
export const SPLIT_ROUTE_NAMESPACE = '7f145bf9-0dce-4f91-98eb-debbce4b9f6b';

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** A 32-bit LuaJIT number OR-ed into a uint64: sign-extended. */
function signExtend(low32: number): bigint {
  return BigInt.asUintN(64, BigInt(low32 | 0));
}

function headerCount(route: KongEntity): number {
  const headers = route['headers'];
  if (isEmptyField(headers) || typeof headers !== 'object') return 0;
  return Math.min(Object.keys(headers as object).length, MAX_HEADER_COUNT);
}

function matchWeight(route: KongEntity): number {
  const fields = ['sources', 'destinations', 'methods', 'hosts', 'headers', 'snis', 'paths'];
  return fields.filter((f) => !isEmptyField(route[f])).length;
}

/** transform.get_priority for an HTTP route with traditional fields. */
export function compatPriority(route: KongEntity): bigint {
  const hosts = route['hosts'];
  const plainHostOnly = Array.isArray(hosts) && strings(hosts).every((h) => !h.includes('*'));
  const paths = strings(route['paths']);
  const first = paths[0];
  const regexUrl = first !== undefined && isRegexPath(first);
  const uriLength = first !== undefined && !regexUrl ? Buffer.byteLength(first, 'utf8') : 0;
  const regexPriority = regexUrl ? Number(route['regex_priority'] ?? 0) : 0;
  const low32 = (matchWeight(route) << 29) | (headerCount(route) << 20) | (regexPriority << 19)
    | (uriLength & 0x7ffff);
  return signExtend(low32) | (plainHostOnly ? PLAIN_HOST_ONLY_BIT : 0n) | (regexUrl ? REGEX_URL_BIT : 0n);
}

/** Priority of an `expressions`-flavor route that sets `expression`. */
export function expressionPriority(route: KongEntity): bigint {
  return EXPRESSION_ONLY_BIT | signExtend(Number(route['priority'] ?? 0));
}

export interface SubRoute {
  id: string;
  route: KongEntity;
  /** The route with `paths` narrowed to this sub-route's group. */
  view: KongEntity;
}

/** Groups paths: all regex paths together, prefix paths by byte length; first-seen order. */
export function groupPaths(paths: readonly string[]): string[][] {
  const groups = new Map<number, string[]>();
  for (const p of paths) {
    const key = isRegexPath(p) ? 0 : Buffer.byteLength(p, 'utf8');
    const group = groups.get(key);
    if (group) group.push(p);
    else groups.set(key, [p]);
  }
  return [...groups.values()];
}

/** split_routes_and_services_by_path: one sub-route per path group when there are several. */
export function splitRoute(route: KongEntity): SubRoute[] {
  const id = String(route['id']);
  const paths = strings(route['paths']);
  const hasExpression = route['expression'] !== undefined && route['expression'] !== null;
  const groups = paths.length > 1 && !hasExpression ? groupPaths(paths) : [];
  if (groups.length <= 1) return [{ id, route, view: route }];
  return groups.map((group, i) => ({
    id: uuidv5(`${id}#${i + 1}`, SPLIT_ROUTE_NAMESPACE),
    route,
    view: { ...route, paths: group },
  }));
}
