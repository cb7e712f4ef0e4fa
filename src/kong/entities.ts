// The flat entity view of a Kong configuration, as the Admin API stores it:
// one record per entity with foreign keys as `{id}`. The DB-mode diff and the
// `diff` command work on this view.
import { TOP_LEVEL_KINDS, entityKind, type KongConfig, type KongEntityKind, type KongEntityType } from '../model/index.ts';
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

type Nested = Record<string, unknown> & { id: string };

function withoutNested(kind: KongEntityKind, entity: Nested): Record<string, unknown> {
  const own: Record<string, unknown> = { ...entity };
  for (const nested of kind.nested) delete own[nested];
  return own;
}

function flattenKind(kind: KongEntityKind, entities: readonly Nested[], out: FlatEntity[]): void {
  for (const entity of entities) {
    out.push({ type: kind.table, id: entity.id, body: withoutNested(kind, entity) });
    for (const nested of kind.nested) {
      const child = entityKind(nested);
      if (child.parent === undefined) continue;
      for (const item of (entity[nested] ?? []) as Nested[]) {
        const flat: FlatEntity = { type: child.table, id: item.id, body: { ...item, [child.parent.field]: { id: entity.id } } };
        if (child.underParent) flat.parentId = entity.id;
        out.push(flat);
      }
    }
  }
}

/** Pure: the nested declarative config as flat entities, each parent followed by its children. */
export function flattenKongConfig(config: KongConfig): FlatEntity[] {
  const out: FlatEntity[] = [];
  const lists = config as unknown as Record<string, readonly Nested[]>;
  for (const kind of TOP_LEVEL_KINDS) flattenKind(kind, lists[kind.table] ?? [], out);
  return out;
}

/** Pure: a record read back from Kong as a flat entity. */
export function flatEntityFromRecord(type: EntityType, record: Record<string, unknown>): FlatEntity {
  const entity: FlatEntity = { type, id: String(record.id), body: record };
  const kind = entityKind(type);
  if (kind.underParent && kind.parent !== undefined) {
    const parentId = foreignId(record[kind.parent.field]);
    if (parentId !== undefined) entity.parentId = parentId;
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
  const kind = entityKind(entity.type);
  const key = kind.endpointKey === undefined ? undefined : body[kind.endpointKey];
  return `${kind.singular} ${typeof key === 'string' ? key : entity.id}`;
}

export function entityKey(entity: Pick<FlatEntity, 'type' | 'id'>): string {
  return `${entity.type}:${entity.id}`;
}

/** Admin API path of one entity (targets and credentials are only addressable under their parent). */
export function entityPath(entity: Pick<FlatEntity, 'type' | 'id' | 'parentId'>): string {
  const kind = entityKind(entity.type);
  const parent = kind.underParent ? kind.parent : undefined;
  if (parent !== undefined) return `/${parent.table}/${pathSegment(entity.parentId ?? '')}/${kind.adminPath ?? entity.type}/${pathSegment(entity.id)}`;
  return `/${entity.type}/${pathSegment(entity.id)}`;
}

export function entityTags(entity: FlatEntity): string[] {
  const tags = entity.body.tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
}
