// Where Kong sends a matched request: the service's host:port, or, when the
// service host names an upstream, that upstream's targets.
import type { KongEntity, RouteMatch, RouterEntities } from './types.ts';

export interface BackendTarget {
  host: string;
  port: number;
  weight: number;
}

export type Backend =
  | { kind: 'host'; host: string; port: number }
  | { kind: 'upstream'; upstream: string; targets: BackendTarget[] };

/** Splits a stored target (`host:port`, `[v6]:port`); Kong's default port is 8000. */
export function parseTarget(target: string): { host: string; port: number } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(target);
  if (v6) return { host: v6[1] ?? '', port: v6[2] ? Number(v6[2]) : 8000 };
  const m = /^(.*):(\d+)$/.exec(target);
  return m ? { host: m[1] ?? '', port: Number(m[2]) } : { host: target, port: 8000 };
}

function idOf(ref: unknown): string | undefined {
  return ref && typeof ref === 'object' && 'id' in ref ? String((ref).id) : undefined;
}

/**
 * Resolves the backend of a match. Targets with weight 0 receive no traffic
 * and are left out. Null for a service-less route.
 */
export function resolveBackend(match: Pick<RouteMatch, 'service'>, entities: RouterEntities): Backend | null {
  const service: KongEntity | null = match.service;
  if (!service) return null;
  const host = String(service['host']);
  const upstream = entities.upstreams?.find((u) => u['name'] === host);
  if (!upstream) return { kind: 'host', host, port: Number(service['port'] ?? 80) };
  const targets = (entities.targets ?? [])
    .filter((t) => idOf(t['upstream']) === String(upstream['id']) && Number(t['weight'] ?? 100) > 0)
    .map((t) => ({ ...parseTarget(String(t['target'])), weight: Number(t['weight'] ?? 100) }));
  return { kind: 'upstream', upstream: host, targets };
}
