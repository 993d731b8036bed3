// A session holds ~25 Maps and Sets (responses, calls, approvals, items…) that stay empty in most sessions or until
// the first turn. V8 gives every Map and Set a hash table when it is constructed (~150–180 bytes with the object);
// these allocate it on the first write, so an idle session pays ~16 bytes for each one instead.

/** The one empty list that iterating a collection not made yet goes over (`this.#map?.values() ?? NONE`). */
export const NONE: readonly never[] = [];

/** A Map whose table is created on the first `set`. Same semantics as Map for the methods it has. */
export class LazyMap<K, V> implements Iterable<[K, V]> {
  #map: Map<K, V> | undefined;

  get size(): number {
    return this.#map?.size ?? 0;
  }

  get(key: K): V | undefined {
    return this.#map?.get(key);
  }

  has(key: K): boolean {
    return this.#map?.has(key) ?? false;
  }

  set(key: K, value: V): this {
    if (!this.#map) this.#map = new Map();
    this.#map.set(key, value);
    return this;
  }

  delete(key: K): boolean {
    return this.#map?.delete(key) ?? false;
  }

  clear(): void {
    this.#map?.clear();
  }

  keys(): IterableIterator<K> {
    return this.#map?.keys() ?? NONE[Symbol.iterator]();
  }

  values(): IterableIterator<V> {
    return this.#map?.values() ?? NONE[Symbol.iterator]();
  }

  entries(): IterableIterator<[K, V]> {
    return this.#map?.entries() ?? NONE[Symbol.iterator]();
  }

  forEach(fn: (value: V, key: K) => void): void {
    for (const [key, value] of this.entries()) fn(value, key);
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }
}

/** A Set whose table is created on the first `add`. Same semantics as Set for the methods it has. */
export class LazySet<T> implements Iterable<T> {
  #set: Set<T> | undefined;

  get size(): number {
    return this.#set?.size ?? 0;
  }

  has(value: T): boolean {
    return this.#set?.has(value) ?? false;
  }

  add(value: T): this {
    if (!this.#set) this.#set = new Set();
    this.#set.add(value);
    return this;
  }

  delete(value: T): boolean {
    return this.#set?.delete(value) ?? false;
  }

  clear(): void {
    this.#set?.clear();
  }

  values(): IterableIterator<T> {
    return this.#set?.values() ?? NONE[Symbol.iterator]();
  }

  forEach(fn: (value: T) => void): void {
    for (const value of this.values()) fn(value);
  }

  [Symbol.iterator](): IterableIterator<T> {
    return this.values();
  }
}
