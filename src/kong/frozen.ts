// Config entities the translator reuses from one pass to the next are frozen
// all the way down and marked, so serializers may remember their text: a
// marked value can never change.
const deeplyFrozen = new WeakSet<object>();

/** Freezes `value` and everything under it, and marks it all as never changing. */
export function freezeDeep<T>(value: T): T {
  if (value === null || typeof value !== 'object' || deeplyFrozen.has(value)) return value;
  for (const member of Object.values(value)) freezeDeep(member);
  Object.freeze(value);
  deeplyFrozen.add(value);
  return value;
}

/** Whether freezeDeep was applied to this very object. */
export function isDeeplyFrozen(value: object): boolean {
  return deeplyFrozen.has(value);
}
