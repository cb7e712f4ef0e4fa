// Independent count of the Kong entities that differ between two configs (by
// id and content), the exact number of writes a DB-mode sync should make.
import { canonicalJson } from '../src/kong/config-hash.ts';
import type { KongConfig } from '../src/model/index.ts';

type Entity = Record<string, unknown> & { id: string };

function entitiesOf(config: KongConfig): Map<string, string> {
  const out = new Map<string, string>();
  const add = (type: string, entity: Entity, omit: string, parent?: string) => {
    const body = Object.fromEntries(Object.entries(entity).filter(([k]) => k !== omit));
    out.set(`${type}:${entity.id}`, canonicalJson(parent === undefined ? body : { ...body, parent }));
  };
  for (const s of config.services) {
    add('service', s as unknown as Entity, 'routes');
    for (const r of s.routes) add('route', r as unknown as Entity, '', s.id);
  }
  for (const u of config.upstreams) {
    add('upstream', u as unknown as Entity, 'targets');
    for (const t of u.targets) add('target', t as unknown as Entity, '', u.id);
  }
  for (const c of config.certificates) {
    add('certificate', c as unknown as Entity, 'snis');
    for (const sni of c.snis) add('sni', sni as unknown as Entity, '', c.id);
  }
  return out;
}

/** Entities created, changed or deleted going from `before` to `after`. */
export function changedEntityCount(before: KongConfig, after: KongConfig): number {
  const a = entitiesOf(before);
  const b = entitiesOf(after);
  let count = 0;
  for (const [key, body] of b) if (a.get(key) !== body) count += 1;
  for (const key of a.keys()) if (!b.has(key)) count += 1;
  return count;
}

/** Routes in a config: each is one service+route pair for payload accounting. */
export function routeCount(config: KongConfig): number {
  return config.services.reduce((sum, s) => sum + s.routes.length, 0);
}
