// Config entities the translator reuses from one pass to the next are frozen
// all the way down, and the entity itself is marked, so serializers may
// remember its text: a marked entity can never change.
const deeplyFrozen = new WeakSet<object>();

function freezeAll(value: unknown): void {
  // Already frozen: an entity frozen before (a route inside a service).
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  for (const member of Object.values(value)) freezeAll(member);
  Object.freeze(value);
}

/** Freezes `value` and everything under it, and marks `value` as never changing. */
export function freezeDeep<T extends object>(value: T): T {
  freezeAll(value);
  deeplyFrozen.add(value);
  return value;
}

/** Whether freezeDeep was applied to this very object. */
export function isDeeplyFrozen(value: object): boolean {
  return deeplyFrozen.has(value);
}
