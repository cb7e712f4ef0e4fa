// Object keys (`Kind/namespace/name`) for the steps that run after each pass:
// status, Events, last valid versions. Each asks, for every object of the
// snapshot, whether it is configured; at 10k Ingresses building those keys and
// sets anew took about 60 ms of every sync whose translation took 0.5 ms.
// Watch caches replace an object on every change and never mutate it, so an
// object's key is made once; the translator hands out the same `configured`
// list while no object starts or stops being used, so its key set is too.
import { objectKey, type ObjectKind, type ObjectRef } from '../model/index.ts';
import { refOf, type KubeObject } from '../translate/index.ts';

export class ObjectKeys {
  /** By object (a snapshot's object, or a ref of a configured list). */
  private readonly keys = new WeakMap<object, string>();
  private readonly sets = new WeakMap<readonly ObjectRef[], ReadonlySet<string>>();

  /** The key of an object of `kind`. */
  of(kind: ObjectKind, obj: KubeObject): string {
    return this.keys.get(obj) ?? this.remember(obj, objectKey(refOf(kind, obj)));
  }

  /** The keys of a result's configured objects, made once per list. */
  configured(list: readonly ObjectRef[]): ReadonlySet<string> {
    let set = this.sets.get(list);
    if (set === undefined) {
      const keys = new Set<string>();
      // Refs of a configured list are the translator's, one per object and kept across passes.
      for (const ref of list) keys.add(this.keys.get(ref) ?? this.remember(ref, objectKey(ref)));
      set = keys;
      this.sets.set(list, set);
    }
    return set;
  }

  private remember(obj: object, key: string): string {
    this.keys.set(obj, key);
    return key;
  }
}
