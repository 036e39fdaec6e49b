// Files this tab took (with a click or without) and was still receiving, listed in
// sessionStorage so that a reload goes on with them: when the sender, back with the tab's
// page under the same peer id (sending-recipients.ts `back`), offers the same file again (the
// same id, size and SHA-256), it is taken without asking again, and its bytes continue from
// those its OPFS entry kept (sink.ts), which are hashed again from the disk before any more
// come (store-service.ts): the check at the end is of the whole file, as for any. Listed once
// taken, its entry added once the store opened it; off the list once its transfer is over,
// however it ended. One never offered again (its sender gone, or reloaded itself) stays listed
// until newer ones push it off, and its entry stays on disk until the sweep (sink.ts). Nothing
// listed is trusted: an entry is opened only if it is one made for that transfer (isEntryOf),
// and the bytes kept are what the file on disk holds, not what the list says.
import { MESSAGE_ID_PATTERN, PEER_ID_PATTERN } from '../../protocol/index.ts';
import { fairly, isCount, type TabStorage, tabList } from './kept.ts';
import { isEntryOf } from './sink.ts';

export interface UnfinishedFile {
  id: string;
  /** Sender's peer id. */
  from: string;
  size: number;
  sha256: string;
  /** Its entry in OPFS (sink.ts), once the store opened one; null before, or in memory. */
  entry: string | null;
}

/** The file as its offer gives it: what a listed one must match to be gone on with. */
export type OfferedFile = Omit<UnfinishedFile, 'entry'>;

/**
 * Files listed, at most (over it, the oldest of whoever sent the most go first: kept.ts
 * fairly): as many as one member may have offered or running at once (MAX_PENDING_OFFERS).
 */
export const MAX_UNFINISHED_FILES = 64;

export interface UnfinishedFiles {
  /** Taken: listed, with what is known of its entry if it is listed already as the same file. */
  taken(file: OfferedFile): void;
  /** Its bytes go to this entry in OPFS. */
  storedAt(from: string, id: string, entry: string): void;
  /** The file listed under this sender and id, if it is the one offered (size and SHA-256 alike). */
  find(file: OfferedFile): UnfinishedFile | null;
  forget(from: string, id: string): void;
}

const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/** The list for one room in this tab (kept.ts tabList). */
export function unfinishedFiles(roomId: string, storage: TabStorage): UnfinishedFiles {
  const stored = tabList(`roomlink:files-unfinished:${roomId}`, storage, isUnfinished, (files) =>
    fairly(files, MAX_UNFINISHED_FILES),
  );
  const find = (from: string, id: string) => stored.entries().find((file) => file.from === from && file.id === id);
  const others = (from: string, id: string) => stored.entries().filter((file) => file.from !== from || file.id !== id);
  const same = (listed: UnfinishedFile | undefined, file: OfferedFile): listed is UnfinishedFile =>
    listed !== undefined && listed.size === file.size && listed.sha256 === file.sha256;
  return {
    taken(file) {
      const listed = find(file.from, file.id);
      const entry = same(listed, file) ? listed.entry : null;
      stored.save([...others(file.from, file.id), { ...file, entry }]);
    },
    storedAt(from, id, entry) {
      const listed = find(from, id);
      if (!listed || listed.entry === entry || !isEntryOf(id, entry)) return;
      stored.save(stored.entries().map((file) => (file === listed ? { ...listed, entry } : file)));
    },
    find(file) {
      const listed = find(file.from, file.id);
      return same(listed, file) ? listed : null;
    },
    forget(from, id) {
      if (find(from, id)) stored.save(others(from, id));
    },
  };
}

/** The stored list is this page's own writing, but storage outlives versions of the page. */
function isUnfinished(value: unknown): value is UnfinishedFile {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const { id, from } = v;
  return (
    typeof id === 'string' &&
    MESSAGE_ID_PATTERN.test(id) &&
    typeof from === 'string' &&
    PEER_ID_PATTERN.test(from) &&
    isCount(v['size']) &&
    typeof v['sha256'] === 'string' &&
    SHA256_PATTERN.test(v['sha256']) &&
    (v['entry'] === null || (typeof v['entry'] === 'string' && isEntryOf(id, v['entry'])))
  );
}
