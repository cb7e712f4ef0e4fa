// A list of named entities kept sorted by name across passes: replacing an
// entity whose name is already there patches one slot of a copy; only a name
// that appears or disappears re-sorts. The arrays handed out are frozen,
// since a later pass may hand out the same array again.
import { byName } from './assemble.ts';

export class SortedByName<T extends { name: string }> {
  private items: readonly T[] = Object.freeze([]);
  private slots = new Map<string, number>();
  private readonly pending = new Map<string, T | undefined>();

  set(item: T): void {
    this.pending.set(item.name, item);
  }

  delete(name: string): void {
    this.pending.set(name, undefined);
  }

  /** The entities, sorted by name. */
  array(): T[] {
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

  private resorted(): T[] {
    const byKey = new Map(this.items.map((item) => [item.name, item]));
    for (const [name, item] of this.pending) {
      if (item === undefined) byKey.delete(name);
      else byKey.set(name, item);
    }
    const items = [...byKey.values()].sort(byName);
    this.slots = new Map(items.map((item, slot) => [item.name, slot]));
    return items;
  }
}
