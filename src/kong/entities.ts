// The flat entity view of a Kong configuration, as the Admin API stores it:
// one record per entity with foreign keys as `{id}`. The DB-mode diff and the
// `diff` command work on this view.
import type { KongEntityType } from './admin-records.ts';
import type { KongConfig } from '../model/index.ts';
import { pathSegment } from './admin-client.ts';

export type EntityType = KongEntityType;

export interface FlatEntity {
  type: EntityType;
  id: string;
  /** The entity as sent to (or read from) Kong, children removed, FKs as `{id}`. */
  body: Record<string, unknown>;
  /** Targets live under their upstream in the Admin API. */
  parentId?: string;
}

/** Parents before children: the order of creates and updates. */
export const PARENT_TYPES: readonly EntityType[] = ['certificates', 'services', 'upstreams'];
export const CHILD_TYPES: readonly EntityType[] = ['snis', 'routes', 'targets'];
export const ENTITY_TYPES: readonly EntityType[] = [...PARENT_TYPES, ...CHILD_TYPES];

const SINGULAR: Record<EntityType, string> = {
  certificates: 'certificate', snis: 'sni', services: 'service', routes: 'route', upstreams: 'upstream', targets: 'target',
};

/** The field of a child that points at its parent. */
export const PARENT_FIELD: Partial<Record<EntityType, string>> = { snis: 'certificate', routes: 'service', targets: 'upstream' };

export function singular(type: EntityType): string {
  return SINGULAR[type];
}

/** Pure: the nested declarative config as flat entities, parents first. */
export function flattenKongConfig(config: KongConfig): FlatEntity[] {
  const out: FlatEntity[] = [];
  for (const { snis, ...certificate } of config.certificates) {
    out.push({ type: 'certificates', id: certificate.id, body: { ...certificate } });
    for (const sni of snis) out.push({ type: 'snis', id: sni.id, body: { ...sni, certificate: { id: certificate.id } } });
  }
  for (const { routes, ...service } of config.services) {
    out.push({ type: 'services', id: service.id, body: { ...service } });
    for (const route of routes) out.push({ type: 'routes', id: route.id, body: { ...route, service: { id: service.id } } });
  }
  for (const { targets, ...upstream } of config.upstreams) {
    out.push({ type: 'upstreams', id: upstream.id, body: { ...upstream } });
    for (const target of targets) {
      out.push({ type: 'targets', id: target.id, parentId: upstream.id, body: { ...target, upstream: { id: upstream.id } } });
    }
  }
  return out;
}

/** Pure: a record read back from Kong as a flat entity. */
export function flatEntityFromRecord(type: EntityType, record: Record<string, unknown>): FlatEntity {
  const entity: FlatEntity = { type, id: String(record.id), body: record };
  if (type === 'targets') {
    const upstream = foreignId(record.upstream);
    if (upstream !== undefined) entity.parentId = upstream;
  }
  return entity;
}

/** The id in a foreign-key value: `{id}` from the Admin API, a plain id in `/config` exports. */
export function foreignId(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string') {
    return (value as { id: string }).id;
  }
  return undefined;
}

/** A short human name: `service kong.frontend.80`, `target frontend:80`. */
export function entityLabel(entity: FlatEntity): string {
  const body = entity.body;
  const name = typeof body.name === 'string' ? body.name : typeof body.target === 'string' ? body.target : entity.id;
  return `${singular(entity.type)} ${name}`;
}

export function entityKey(entity: Pick<FlatEntity, 'type' | 'id'>): string {
  return `${entity.type}:${entity.id}`;
}

/** Admin API path of one entity (targets are only addressable under their upstream). */
export function entityPath(entity: Pick<FlatEntity, 'type' | 'id' | 'parentId'>): string {
  if (entity.type === 'targets') {
    return `/upstreams/${pathSegment(entity.parentId ?? '')}/targets/${pathSegment(entity.id)}`;
  }
  return `/${entity.type}/${pathSegment(entity.id)}`;
}

export function entityTags(entity: FlatEntity): string[] {
  const tags = entity.body.tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
}
