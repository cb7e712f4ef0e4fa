// A list of named entities kept sorted by name across passes: replacing an
// entity whose name is already there patches one slot of a copy; only a name
// that appears or disappears re-sorts. The arrays handed out are frozen,
// since a later pass may hand out the same array again. A name's slot is
// found by binary search in the sorted list: no map of ten thousand names
// built by a first pass for the few a later pass patches.
import { byName } from './assemble.ts';
import { compareStrings } from './objects.ts';

export class SortedByName<T extends { name: string }> {
  private items: readonly T[] = Object.freeze([]);
  private readonly pending = new Map<string, T | undefined>();
  /**
   * Entities set while the list is empty and nothing else is pending (a first
   * pass sets ten thousand): a plain list, sorted once, with no map of them.
   */
  private first: T[] | undefined;

  set(item: T): void {
    if (this.items.length === 0 && this.pending.size === 0) (this.first ??= []).push(item);
    else this.pending.set(item.name, item);
  }

  delete(name: string): void {
    this.pendFirst();
    this.pending.set(name, undefined);
  }

  /** The entities, sorted by name. */
  array(): T[] {
    if (this.first !== undefined && this.pending.size === 0) {
      this.items = Object.freeze(this.firstSorted(this.first));
      this.first = undefined;
    }
    this.pendFirst();
    if (this.pending.size > 0) {
      this.items = Object.freeze(this.reshapes() ? this.resorted() : this.patched());
      this.pending.clear();
    }
    return this.items as T[];
  }

  private reshapes(): boolean {
    for (const [name, item] of this.pending) {
      if ((item === undefined) === (slotOf(this.items, name) !== undefined)) return true;
    }
    return false;
  }

  private patched(): T[] {
    const items = [...this.items];
    for (const [name, item] of this.pending) {
      if (item === undefined) continue;
      const slot = slotOf(items, name);
      if (slot !== undefined) items[slot] = item;
    }
    return items;
  }

  /** A first list moved to the pending ones (a delete came before the list was handed out). */
  private pendFirst(): void {
    if (this.first === undefined) return;
    for (const item of this.first) this.pending.set(item.name, item);
    this.first = undefined;
  }

  /** A first list sorted, the last of equal names kept (as set() twice keeps the last). */
  private firstSorted(list: T[]): T[] {
    let items = list.sort(byName);
    let kept = 0;
    for (let i = 0; i < items.length; i += 1) {
      const item = items[i] as T;
      if (kept > 0 && (items[kept - 1] as T).name === item.name) items[kept - 1] = item;
      else items[kept++] = item;
    }
    // An exact copy: the list grown by push would keep its spare slots for as long as it is handed out.
    items = items.slice(0, kept);
    return items;
  }

  private resorted(): T[] {
    const items: T[] = [];
    // The pending entities, then those kept of the last list (a first list: only pending ones, no map of it).
    for (const item of this.pending.values()) if (item !== undefined) items.push(item);
    for (const item of this.items) if (!this.pending.has(item.name)) items.push(item);
    items.sort(byName);
    return items.slice();
  }
}

/** The position of `name` in a list sorted by name, if it is there. */
function slotOf(items: readonly { name: string }[], name: string): number | undefined {
  let low = 0;
  let high = items.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const order = compareStrings((items[middle] as { name: string }).name, name);
    if (order === 0) return middle;
    if (order < 0) low = middle + 1;
    else high = middle - 1;
  }
  return undefined;
}
