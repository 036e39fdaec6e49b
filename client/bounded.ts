// The one way this page bounds what it remembers: a Map or Set in insertion order, the
// oldest entries dropped once it holds more than its limit (re-insert a key, delete then
// set, to make it the newest).

/**
 * Drops the oldest entries of `collection` while it holds more than `limit`, and gives back
 * what it dropped, oldest first (a Map's values, a Set's members): for what must be told.
 */
export function dropOldest<K, V>(collection: Map<K, V>, limit: number): V[];
export function dropOldest<K>(collection: Set<K>, limit: number): K[];
export function dropOldest<K, V>(collection: Map<K, V> | Set<K>, limit: number): Array<V | K> {
  const dropped: Array<V | K> = [];
  // Deleting the entry an iterator is on is safe: it goes on with the next one. A Set's
  // entries are [member, member].
  for (const [key, value] of collection.entries() as IterableIterator<[K, V | K]>) {
    if (collection.size <= limit) break;
    collection.delete(key);
    dropped.push(value);
  }
  return dropped;
}
