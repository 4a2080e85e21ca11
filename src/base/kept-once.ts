// A promise made once per key and kept (a model loaded, a map built, a question asked once per process); one that
// fails is forgotten, so that the next ask tries again instead of failing for good.

/** A Map or a WeakMap of the promises kept. */
interface Kept<K, V> {
  get(key: K): Promise<V> | undefined;
  set(key: K, value: Promise<V>): unknown;
  delete(key: K): boolean;
}

/** The promise kept for `key`, made by `make` the first time (or again after one failed). */
export function keptOnce<K, V>(kept: Kept<K, V>, key: K, make: () => Promise<V>): Promise<V> {
  let promise = kept.get(key);
  if (!promise) {
    promise = make();
    kept.set(key, promise);
    promise.catch(() => kept.delete(key));
  }
  return promise;
}
