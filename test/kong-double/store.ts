// The double's entity tables: one map per entity kind, ordered by id the way
// Postgres pages them. The kinds, their endpoint keys and parents are the
// product's own descriptions of Kong's entities.
import { KONG_ENTITY_KINDS, KONG_ENTITY_TYPES, type KongEntityType } from '../../src/model/index.ts';

export type DoubleEntityType = KongEntityType;
export type DoubleRecord = Record<string, unknown>;

export const DOUBLE_ENTITY_TYPES: readonly DoubleEntityType[] = KONG_ENTITY_TYPES;

/** Entity table → its endpoint key (the name usable instead of the id in URLs). */
export const ENDPOINT_KEYS: Readonly<Record<DoubleEntityType, string | undefined>> = Object.fromEntries(
  KONG_ENTITY_KINDS.map((kind) => [kind.table, kind.endpointKey]),
) as Record<DoubleEntityType, string | undefined>;

/** Child table → [parent field, parent table]. */
export const PARENTS: Readonly<Partial<Record<DoubleEntityType, [string, DoubleEntityType]>>> = Object.fromEntries(
  KONG_ENTITY_KINDS.flatMap((kind) => (kind.parent === undefined ? [] : [[kind.table, [kind.parent.field, kind.parent.table]]])),
);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function foreignIdOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') {
    const id = (value as { id?: unknown }).id;
    if (typeof id === 'string') return id;
  }
  return undefined;
}

export class EntityStore {
  readonly #tables = new Map<DoubleEntityType, Map<string, DoubleRecord>>(
    DOUBLE_ENTITY_TYPES.map((t) => [t, new Map<string, DoubleRecord>()]),
  );

  #table(type: DoubleEntityType): Map<string, DoubleRecord> {
    const table = this.#tables.get(type);
    if (!table) throw new Error(`unknown entity type ${type}`);
    return table;
  }

  get(type: DoubleEntityType, id: string): DoubleRecord | undefined {
    return this.#table(type).get(id.toLowerCase());
  }

  findBy(type: DoubleEntityType, field: string, value: unknown, parentId?: string): DoubleRecord | undefined {
    return this.list(type).find((r) => r[field] === value && (parentId === undefined || this.parentOf(type, r) === parentId));
  }

  /** Resolves a URL key: an id when UUID-shaped, else the endpoint key. */
  resolve(type: DoubleEntityType, key: string, parentId?: string): DoubleRecord | undefined {
    if (isUuid(key)) {
      const byId = this.get(type, key);
      return byId && (parentId === undefined || this.parentOf(type, byId) === parentId) ? byId : undefined;
    }
    if (type === 'certificates') {
      // `/certificates/{x}` also accepts an SNI name (kong/api/routes/certificates.lua).
      const certificateId = foreignIdOf(this.findBy('snis', 'name', key)?.certificate);
      return certificateId === undefined ? undefined : this.get('certificates', certificateId);
    }
    const endpointKey = ENDPOINT_KEYS[type];
    return endpointKey === undefined ? undefined : this.findBy(type, endpointKey, key, parentId);
  }

  parentOf(type: DoubleEntityType, record: DoubleRecord): string | undefined {
    const parent = PARENTS[type];
    return parent ? foreignIdOf(record[parent[0]]) : undefined;
  }

  /** Every record of a type, ordered by id. */
  list(type: DoubleEntityType): DoubleRecord[] {
    return [...this.#table(type).values()].sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
  }

  /** Every record of a type, in the order first stored. */
  inserted(type: DoubleEntityType): DoubleRecord[] {
    return [...this.#table(type).values()];
  }

  children(type: DoubleEntityType, parentId: string): DoubleRecord[] {
    return this.list(type).filter((r) => this.parentOf(type, r) === parentId);
  }

  set(type: DoubleEntityType, record: DoubleRecord): void {
    this.#table(type).set(String(record.id).toLowerCase(), record);
  }

  delete(type: DoubleEntityType, id: string): boolean {
    return this.#table(type).delete(id.toLowerCase());
  }

  clear(): void {
    for (const table of this.#tables.values()) table.clear();
  }

  count(): number {
    return [...this.#tables.values()].reduce((n, t) => n + t.size, 0);
  }

  /** A deep copy of every table (for tests and the control endpoint). */
  snapshot(): Record<DoubleEntityType, DoubleRecord[]> {
    return Object.fromEntries(DOUBLE_ENTITY_TYPES.map((t) => [t, structuredClone(this.list(t))])) as Record<DoubleEntityType, DoubleRecord[]>;
  }
}
