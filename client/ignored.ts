// The members this page ignores: the one owner of that choice. Ignoring is local and silent:
// nothing is sent, the member is not told, the others are unaffected. It may guess, though:
// our page sends no read receipt for a line of the member's it shows only collapsed
// (view/receipts.ts), so its lines go unread by us while we answer others. The features and
// views ask `has` (the chat's lines collapsed, no attention, no typing, muted in a call, its file
// offers left unanswered) and hear `changed` to show again, or hide, what they already show.
// Kept for the tab (storage.ts), by member id: a reload that gets its id back keeps ignoring
// the same members; a member back in a new tab has a new id (and key), and is not ignored.

/** At most this many ids are kept: members of a room of 16 coming and going for a long session. */
export const MAX_IGNORED = 100;

/** Where the ignored ids are kept across a reload (storage.ts): what `save` was given, or anything. */
export interface IgnoredStore {
  load(): unknown;
  save(ids: string[]): void;
}

export type IgnoredListener = (peerId: string, ignored: boolean) => void;

export interface Ignored {
  has(peerId: string): boolean;
  /** Ignores the member (`on`), or stops; listeners hear only a change. */
  set(peerId: string, on: boolean): void;
  /** Calls `listener` on each change; returns what stops it. */
  changed(listener: IgnoredListener): () => void;
}

/** The ids as kept, read defensively: anything else in the store is left out. */
function keptIds(saved: unknown): string[] {
  if (!Array.isArray(saved)) return [];
  return saved.filter((id): id is string => typeof id === 'string' && id !== '').slice(-MAX_IGNORED);
}

export function createIgnored(store: IgnoredStore | null = null): Ignored {
  const ids = new Set(keptIds(store?.load()));
  const listeners = new Set<IgnoredListener>();
  return {
    has: (peerId) => ids.has(peerId),
    set(peerId, on) {
      if (ids.has(peerId) === on) return;
      if (on) ids.add(peerId);
      else ids.delete(peerId);
      // The newest last: the oldest (likely long gone) go first past the cap.
      store?.save([...ids].slice(-MAX_IGNORED));
      for (const listener of [...listeners]) listener(peerId, on);
    },
    changed(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
