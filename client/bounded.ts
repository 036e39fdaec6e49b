// The one way this page bounds what it remembers: a Map or Set in insertion order, the
// oldest entries dropped once it holds more than its limit (re-insert a key, delete then
// set, to make it the newest).

/** Drops the oldest entries of `collection` while it holds more than `limit`. */
export function dropOldest<K>(collection: Map<K, unknown> | Set<K>, limit: number): void {
  // Deleting the entry an iterator is on is safe: it goes on with the next one.
  for (const key of collection.keys()) {
    if (collection.size <= limit) return;
    collection.delete(key);
  }
}
