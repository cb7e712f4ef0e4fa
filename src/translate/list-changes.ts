// What changed between two lists of watched objects.
/** What left and joined a list, by identity; a list edited in place compares slot by slot. */
export function listChanges<T>(before: readonly T[], after: readonly T[]): { removed: T[]; added: T[] } {
  if (before.length === 0) return { removed: [], added: [...after] };
  if (before.length === after.length) {
    const removed: T[] = [];
    const added: T[] = [];
    for (let i = 0; i < after.length; i += 1) {
      if (before[i] !== after[i]) {
        removed.push(before[i] as T);
        added.push(after[i] as T);
      }
    }
    if (removed.length <= 64) return { removed, added };
  }
  const was = new Set(before);
  const is = new Set(after);
  return { removed: before.filter((item) => !is.has(item)), added: after.filter((item) => !was.has(item)) };
}
