// A typed in-memory cache of one watch's objects. Changes that do not move the
// resourceVersion are not changes, so relists of an unchanged cluster trigger
// nothing (the next pass finds the same fingerprint and skips the sync).
// Objects are frozen all the way down as they enter: every cache built on them
// (digests, the translator's memos and lookup index) is only right while a stored
// object never changes, and freezing turns a change into a TypeError at the line
// that makes it. A new version always arrives as a new object.
import type { KubernetesObject } from '@kubernetes/client-node';
import { freezeDeep } from '../model/index.ts';
import { metaKey } from './watch-source.ts';

export class ObjectStore<T extends KubernetesObject = KubernetesObject> {
  private readonly objects = new Map<string, T>();
  private sorted: T[] | undefined;

  /** Freezes `obj` (deeply) and stores it; returns whether the store changed. */
  upsert(obj: T): boolean {
    const key = metaKey(obj);
    const current = this.objects.get(key);
    const rv = obj.metadata?.resourceVersion;
    const unchanged = current !== undefined && rv !== undefined && current.metadata?.resourceVersion === rv;
    if (current !== obj) {
      // Even an unchanged object is taken over: after a relist the watch's own
      // cache holds the new copy, and keeping the old one would hold two.
      this.objects.set(key, freezeDeep(obj));
      this.sorted = undefined;
    }
    return !unchanged;
  }

  remove(obj: T): boolean {
    const removed = this.objects.delete(metaKey(obj));
    if (removed) this.sorted = undefined;
    return removed;
  }

  /** Replaces the content with a fresh list (after a relist); returns whether anything changed. */
  replaceAll(items: readonly T[]): boolean {
    const fresh = new Set(items.map(metaKey));
    let changed = false;
    for (const key of [...this.objects.keys()]) {
      if (!fresh.has(key)) {
        this.objects.delete(key);
        changed = true;
      }
    }
    for (const item of items) changed = this.upsert(item) || changed;
    if (changed) this.sorted = undefined;
    return changed;
  }

  get(name: string, namespace?: string): T | undefined {
    return this.objects.get(namespace ? `${namespace}/${name}` : name);
  }

  /** All objects, sorted by `namespace/name` (stable input for the translator). */
  list(): readonly T[] {
    this.sorted ??= [...this.objects.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, obj]) => obj);
    return this.sorted;
  }

  get size(): number {
    return this.objects.size;
  }
}
