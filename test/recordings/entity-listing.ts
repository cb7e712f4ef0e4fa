// Reads every entity from the double the way the recorder read Kong:
// GET /services, /routes, /upstreams, /certificates, /snis and
// /upstreams/{id}/targets with size=1000, all pages.
import { replayRequest } from './http-replay.ts';
import type { RecordedEntities } from './recording-types.ts';

async function listAll(baseUrl: string, path: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let next: string | null = `${path}?size=1000`;
  while (next !== null) {
    const answer = await replayRequest(baseUrl, { method: 'GET', path: next });
    if (answer.status !== 200) throw new Error(`GET ${next} answered ${answer.status}`);
    const page = answer.body as { data: Record<string, unknown>[]; next: string | null };
    out.push(...page.data);
    next = page.next;
  }
  return out;
}

export async function listEntities(baseUrl: string): Promise<RecordedEntities> {
  const entities: RecordedEntities = {};
  for (const type of ['services', 'routes', 'upstreams', 'certificates', 'snis']) entities[type] = await listAll(baseUrl, `/${type}`);
  entities.targets = [];
  for (const upstream of entities.upstreams ?? []) entities.targets.push(...await listAll(baseUrl, `/upstreams/${String(upstream.id)}/targets`));
  return entities;
}

const RANDOM_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4/;

/**
 * Kong lists by id; where it drew the ids at random (certificates, SNIs) the
 * order is random too, so both sides are put in the order of their content.
 */
export function inStableOrder(entities: RecordedEntities): RecordedEntities {
  const key = (e: Record<string, unknown>): string => [e.name, e.cert, e.target].find((v): v is string => typeof v === 'string') ?? '';
  return Object.fromEntries(Object.entries(entities).map(([type, list]) => {
    const random = list.some((e) => typeof e.id === 'string' && RANDOM_ID.test(e.id));
    return [type, random ? [...list].sort((a, b) => key(a).localeCompare(key(b))) : list];
  }));
}
