// Watched objects are shared by every cache built on them (digests, the
// translator's per-object memos, its lookup index): those caches are only right
// while an object, once stored, never changes. Freezing it on entry to the store
// turns that rule into a TypeError at the line that breaks it. A new version of
// an object always arrives as a new object, so nothing legitimate edits one.

/**
 * Freezes `obj` and every object and array under it; returns `obj`. A frozen
 * member is taken as frozen all the way down: only this function freezes
 * watched objects, and the seed a replaced watch hands over is frozen already.
 * (A Date's internal time slot cannot be frozen; the translator reads them only.)
 */
export function freezeDeep<T>(obj: T): T {
  if (obj === null || typeof obj !== 'object' || Object.isFrozen(obj)) return obj;
  for (const member of Object.values(obj)) freezeDeep(member);
  return Object.freeze(obj);
}
