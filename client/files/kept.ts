// Files this tab received, kept on disk (OPFS) and listed in sessionStorage, so that a reload
// of the tab shows their lines again, each with its download. History brings chat lines back
// after a reload, never files: a received file's line was simply gone, its bytes still on
// disk until the sweep (sink.ts). A file's line that goes for good (past the lines the page
// keeps) removes the file and takes it off the list; so does the tab's end (sessionStorage
// goes with it, and the sweep takes the file a day later).
import { type ReplyRef, replySchema } from '../../protocol/index.ts';

/** What a kept file's line is drawn from again. Names were made safe when it was received. */
export interface KeptFile {
  id: string;
  /** Sender's peer id, and its name then (the server's). */
  from: string;
  senderName: string;
  name: string;
  size: number;
  type: string;
  /** The one member it came to privately (us): the sender's name; null for the room. */
  privateWith: string | null;
  /** Where the file is in OPFS (sink.ts). */
  entry: string;
  /**
   * When it was offered to us (ms since the epoch), or for one sent to the room before we
   * joined, when it was sent (FileLineInfo.sharedAt): where its line goes among the others.
   */
  at: number;
  /** The line it answers, if it came as a reply (FileLineInfo.re). */
  re?: ReplyRef;
}

/**
 * Files listed, at most (the oldest of whoever sent the most go first): up to ~80 KB of
 * sessionStorage with the longest names. One pushed off stays on the page while its line does; after a reload, on disk until
 * the sweep.
 */
export const MAX_KEPT_FILES = 100;

/**
 * A file is known by its sender and id together: ids are the sender's to choose, and a member
 * could offer a file under the id of someone else's it saw offered to the room.
 */
export interface KeptFiles {
  /** The files listed, oldest first; any entry that does not read as one is left out. */
  list(): KeptFile[];
  add(file: KeptFile): void;
  forget(from: string, id: string): void;
  /** Whether this file, from this sender, is listed (received before a reload). */
  has(from: string, id: string): boolean;
}

const same = (kept: KeptFile, from: string, id: string): boolean => kept.from === from && kept.id === id;

/** A tab's sessionStorage as these lists use it; null where touching it throws. */
export type TabStorage = Pick<Storage, 'getItem' | 'setItem'> | null;

/**
 * A list of entries under `key`, read from storage once (this page is its only writer: a
 * duplicated tab gets a copy of its own) and written through, `bound` applied both ways;
 * whatever does not read as an entry is left out. Storage that throws (full, or off) keeps
 * nothing past the page. Shared by the files received (here) and sent (sent-kept.ts).
 */
export function tabList<T>(
  key: string,
  storage: TabStorage,
  isEntry: (value: unknown) => value is T,
  bound: (entries: T[]) => T[],
): { entries(): readonly T[]; save(next: T[]): void } {
  let entries = read();
  function read(): T[] {
    try {
      const raw: unknown = JSON.parse(storage?.getItem(key) ?? '[]');
      return Array.isArray(raw) ? bound(raw.filter(isEntry)) : [];
    } catch {
      return [];
    }
  }
  return {
    entries: () => entries,
    save(next) {
      entries = bound(next);
      try {
        storage?.setItem(key, JSON.stringify(entries));
      } catch {}
    },
  };
}

/** The list for one room in this tab (tabList). */
export function keptFiles(roomId: string, storage: TabStorage): KeptFiles {
  const stored = tabList(`roomlink:files:${roomId}`, storage, isKeptFile, (files) => fairly(files, MAX_KEPT_FILES));
  return {
    list: () => [...stored.entries()],
    add: (file) => stored.save([...stored.entries().filter((kept) => !same(kept, file.from, file.id)), file]),
    forget(from, id) {
      const files = stored.entries();
      const left = files.filter((kept) => !same(kept, from, id));
      if (left.length !== files.length) stored.save(left);
    },
    has: (from, id) => stored.entries().some((kept) => same(kept, from, id)),
  };
}

/**
 * A list of files, oldest first, within `limit`: over it, the oldest file of whoever sent the
 * most goes first. By age alone, one member's hundred small files pushed everyone else's off.
 * Here, and for the files a reload goes on receiving (unfinished.ts).
 */
export function fairly<T extends { from: string }>(files: T[], limit: number): T[] {
  const kept = [...files];
  while (kept.length > limit) {
    const counts = new Map<string, number>();
    for (const file of kept) counts.set(file.from, (counts.get(file.from) ?? 0) + 1);
    const most = Math.max(...counts.values());
    kept.splice(
      kept.findIndex((file) => counts.get(file.from) === most),
      1,
    );
  }
  return kept;
}

/** A kept file's remove: what its line runs when it goes for good takes it off the list too. */
export function forgetting(
  kept: Pick<KeptFiles, 'forget'>,
  from: string,
  id: string,
  remove: () => Promise<void>,
): () => Promise<void> {
  return () => {
    kept.forget(from, id);
    return remove();
  };
}

export const isString = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length <= max;
export const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
/** No reply, or one as a chat line's `re` would be. */
export const isReplyOrNone = (value: unknown): value is ReplyRef | undefined =>
  value === undefined || replySchema.safeParse(value).success;

/** The stored list is this page's own writing, but storage outlives versions of the page. */
function isKeptFile(value: unknown): value is KeptFile {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    isString(v['id'], 64) &&
    isString(v['from'], 64) &&
    isString(v['senderName'], 64) &&
    isString(v['name'], 512) &&
    isCount(v['size']) &&
    isString(v['type'], 256) &&
    (v['privateWith'] === null || isString(v['privateWith'], 64)) &&
    isString(v['entry'], 256) &&
    // The entry sink.ts made for this transfer: `${id}-` and its own suffix, nothing else.
    v['entry'].startsWith(`${v['id']}-`) &&
    !/[/\\]/.test(v['entry']) &&
    isCount(v['at']) &&
    isReplyOrNone(v['re'])
  );
}
