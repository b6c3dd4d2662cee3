/** Past this many layers a new set merges them, so that `has` looks in a few Sets at most. */
const MAX_LAYERS = 8;

/**
 * The touchpoint keys a customer has recorded, grown without copying them all each time: a new
 * set puts its own keys in a layer on top of an earlier set, which is never changed again
 * (states are values). Every MAX_LAYERS-th set merges the layers into one, so the copying is
 * spread over eight batches instead of done for each (the keys grow with the history).
 */
export class TouchpointKeys implements ReadonlySet<string> {
  private readonly own: Set<string>;
  private readonly below: TouchpointKeys | undefined;
  /** The size of `below`, which never changes again. */
  private readonly belowSize: number;
  private readonly layers: number;

  /** A set holding what `base` holds; adding to it leaves `base` as it was. */
  constructor(base: ReadonlySet<string> = new Set()) {
    if (base instanceof TouchpointKeys && base.size > 0 && base.layers < MAX_LAYERS) {
      this.own = new Set();
      this.below = base;
      this.belowSize = base.size;
      this.layers = base.layers + 1;
    } else {
      this.own = base instanceof TouchpointKeys ? base.merged() : new Set(base);
      this.below = undefined;
      this.belowSize = 0;
      this.layers = 1;
    }
  }

  /** The layers in one Set, copied Set to Set: through values() each key cost a generator step. */
  private merged(): Set<string> {
    const layers: Set<string>[] = [this.own];
    for (let layer = this.below; layer; layer = layer.below) layers.push(layer.own);
    const merged = new Set(layers.pop());
    for (let i = layers.length - 1; i >= 0; i--) for (const key of layers[i]) merged.add(key);
    return merged;
  }

  has(key: string): boolean {
    return this.own.has(key) || (this.below?.has(key) ?? false);
  }

  add(key: string): this {
    if (!this.below?.has(key)) this.own.add(key);
    return this;
  }

  get size(): number {
    return this.own.size + this.belowSize;
  }

  *values(): IterableIterator<string> {
    if (this.below) yield* this.below.values();
    yield* this.own.values();
  }

  keys(): IterableIterator<string> {
    return this.values();
  }

  *entries(): IterableIterator<[string, string]> {
    for (const key of this.values()) yield [key, key];
  }

  [Symbol.iterator](): IterableIterator<string> {
    return this.values();
  }

  forEach(
    callback: (value: string, key: string, set: ReadonlySet<string>) => void,
    thisArg?: unknown,
  ): void {
    for (const key of this.values()) callback.call(thisArg, key, key, this);
  }
}
