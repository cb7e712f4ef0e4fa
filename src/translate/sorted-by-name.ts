// A list of named entities kept sorted by name across passes: replacing an
// entity whose name is already there patches one slot of a copy; only a name
// that appears or disappears re-sorts. The arrays handed out are frozen,
// since a later pass may hand out the same array again.
import { byName } from './assemble.ts';

export class SortedByName<T extends { name: string }> {
  private items: readonly T[] = Object.freeze([]);
  private slots = new Map<string, number>();
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
      if ((item === undefined) === this.slots.has(name)) return true;
    }
    return false;
  }

  private patched(): T[] {
    const items = [...this.items];
    for (const [name, item] of this.pending) {
      const slot = this.slots.get(name);
      if (slot !== undefined && item !== undefined) items[slot] = item;
    }
    return items;
  }

  /** A first list moved to the pending ones (a delete came before the list was handed out). */
  private pendFirst(): void {
    if (this.first === undefined) return;
    for (const item of this.first) this.pending.set(item.name, item);
    this.first = undefined;
  }

  /** A first list sorted, the last of equal names kept (as set() twice keeps the last), and its slots. */
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
    this.slots = slotsOf(items);
    return items;
  }

  private resorted(): T[] {
    const items: T[] = [];
    // The pending entities, then those kept of the last list (a first list: only pending ones, no map of it).
    for (const item of this.pending.values()) if (item !== undefined) items.push(item);
    for (const item of this.items) if (!this.pending.has(item.name)) items.push(item);
    items.sort(byName);
    this.slots = slotsOf(items);
    return items.slice();
  }
}

/** Each name's position in a sorted list. */
function slotsOf(items: readonly { name: string }[]): Map<string, number> {
  const slots = new Map<string, number>();
  for (let slot = 0; slot < items.length; slot += 1) slots.set((items[slot] as { name: string }).name, slot);
  return slots;
}
