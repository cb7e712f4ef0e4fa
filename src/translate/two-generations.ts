// A memo in two generations instead of an LRU list (whose bookkeeping cost as
// much as it saved): entries in use are copied forward to the current
// generation, the rest go with the previous one when the current fills up.
// Keyed by scope, then key, so no key string is built for a lookup.
export class TwoGenerations<V> {
  private current = new Map<string, Map<string, V>>();
  private previous = new Map<string, Map<string, V>>();
  private currentSize = 0;

  /** `generationSize`: entries the current generation takes before it becomes the previous one. */
  constructor(private readonly generationSize: number) {}

  /**
   * The remembered value (carried into the current generation), or undefined;
   * callers remember() what they compute (no closure per lookup on hot paths).
   */
  find(scope: string, key: string): V | undefined {
    const value = this.current.get(scope)?.get(key);
    if (value !== undefined) return value;
    const previous = this.previous.get(scope)?.get(key);
    return previous === undefined ? undefined : this.remember(scope, key, previous);
  }

  /** Remembers `value` in the current generation; returns it. */
  remember(scope: string, key: string, value: V): V {
    if (this.currentSize >= this.generationSize) {
      this.previous = this.current;
      this.current = new Map();
      this.currentSize = 0;
    }
    let ofScope = this.current.get(scope);
    if (ofScope === undefined) {
      ofScope = new Map();
      this.current.set(scope, ofScope);
    }
    ofScope.set(key, value);
    this.currentSize += 1;
    return value;
  }
}
