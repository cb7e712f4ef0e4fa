// Config entities the translator reuses from one pass to the next are frozen
// all the way down, so serializers may remember their text: only freezeDeep
// freezes config entities, and a frozen entity can never change.

/** Freezes `value` and everything under it. */
export function freezeDeep<T>(value: T): T {
  // Already frozen: an entity frozen before (a route inside a service).
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  // No Object.values: its array per entity was 3 % of a whole pass's allocation.
  // Members that are no objects (most fields) are not passed down: no call for each.
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const member: unknown = value[i];
      if (typeof member === 'object' && member !== null) freezeDeep(member);
    }
  } else {
    for (const key in value) {
      const member: unknown = value[key];
      if (typeof member === 'object' && member !== null) freezeDeep(member);
    }
  }
  return Object.freeze(value);
}

/**
 * freezeDeep for an entity of a known literal shape whose only object members
 * not frozen already are `a` to `c` (unused ones undefined): no walk over every
 * field of entities made by the ten thousand. Tests check whole configurations
 * are frozen deep.
 */
export function freezeWithMembers<T extends object>(value: T, a: unknown, b?: unknown, c?: unknown): T {
  freezeDeep(a);
  freezeDeep(b);
  freezeDeep(c);
  return Object.freeze(value);
}

/** Whether this entity was frozen by freezeDeep (nothing else freezes config entities). */
export function isDeeplyFrozen(value: object): boolean {
  return Object.isFrozen(value);
}
