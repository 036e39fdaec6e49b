// Where a received file goes while it arrives: a file in the origin-private file system
// (OPFS), written at each chunk's offset through a sync access handle, so a large file never
// sits in memory and no write waits on a promise; or, where there is no OPFS, memory, for
// small files only. Sync access handles exist only in workers: store-service.ts, in the
// store worker, is what writes here. A transfer this tab's page was receiving when it was
// reloaded goes on in its entry (unfinished.ts): the bytes already there are kept, to be
// hashed again before any more are written.
import { nanoid } from 'nanoid';

/** Without OPFS, files up to this size are received into memory; larger ones are declined. */
export const MEMORY_SINK_LIMIT = 32 * 1024 * 1024;
const OPFS_FOLDER = 'roomlink-files';

/** A received file being written, one synchronous write at a time. */
export interface Sink {
  readonly kind: 'disk' | 'memory';
  /**
   * Its name in the OPFS folder, for the page to remove once it no longer offers the file
   * (removeStoredFile); null in memory.
   */
  readonly entry: string | null;
  /**
   * Bytes [0, kept) were in the entry when it was opened to go on with (a reload), as the
   * file on disk has them, never more than the file's size; 0 for a new one.
   */
  readonly kept: number;
  /** Reads `length` bytes of those kept, from `offset`; throws when they cannot be read. */
  read(offset: number, length: number): Uint8Array;
  /** Writes bytes at offset; throws when they cannot be stored (quota, a closed handle). */
  write(offset: number, bytes: Uint8Array): void;
  /** All bytes are written: its contents (backed by the file on disk, not read into memory). */
  finish(): Promise<Blob>;
  /** Drops what was written. Safe to call at any time, more than once. */
  discard(): Promise<void>;
}

/** The parts of FileSystemSyncAccessHandle we use (declared for workers only). */
interface SyncAccessHandle {
  write(buffer: Uint8Array, options: { at: number }): number;
  read(buffer: Uint8Array, options: { at: number }): number;
  getSize(): number;
  truncate(size: number): void;
  flush(): void;
  close(): void;
}

/**
 * An entry to go on with that another access handle holds (the reloaded page's, not let go
 * yet) is tried again this often, at most RESUME_TRIES times (5 s), before a new one is made.
 */
const RESUME_RETRY_MS = 250;
const RESUME_TRIES = 20;

/** The name of an entry made for one transfer: its id, then a suffix of its own (openDiskSink). */
const ENTRY_PATTERN = /^[A-Za-z0-9_-]{10,32}-[A-Za-z0-9_-]{8}$/;

/**
 * Whether `entry` can be the one openDiskSink made for transfer `id`: a name in the folder,
 * never a path, and never another transfer's. What a tab's storage lists is checked with it
 * before anything is opened (it outlives versions of the page, and may have been tampered with).
 */
export const isEntryOf = (id: string, entry: string): boolean =>
  ENTRY_PATTERN.test(entry) && entry.startsWith(`${id}-`);

/**
 * An OPFS file for transfer `id` of `size` bytes, or null when there is no OPFS (or no sync
 * access) here. Worker only. `resume`: the entry this tab was receiving it into when its page
 * was reloaded, to go on with (Sink.kept) if it is still there and no other page writes to it;
 * one that holds more than `size` bytes starts over, and one that cannot be opened is left to
 * the sweep for a new entry.
 */
export async function openDiskSink(id: string, size: number, resume?: string): Promise<Sink | null> {
  if (!navigator.storage?.getDirectory) return null;
  const root = await navigator.storage.getDirectory();
  const folder = await root.getDirectoryHandle(OPFS_FOLDER, { create: true });
  if (resume !== undefined && isEntryOf(id, resume)) {
    const resumed = await reopenEntry(folder, resume, size);
    if (resumed !== null) return resumed;
  }
  // Its own name even when two tabs of one browser receive the same transfer.
  return openEntry(folder, `${id}-${nanoid(8)}`, true, size);
}

/**
 * The entry a reload left, opened again to go on with; null if it is gone, or still written
 * to by another page after RESUME_TRIES tries. The reloaded page's worker lets its access
 * handle go only after the page went: measured here, the new page's first tries came 1 s
 * too early.
 */
async function reopenEntry(folder: FileSystemDirectoryHandle, entry: string, size: number): Promise<Sink | null> {
  for (let tries = 1; ; tries++) {
    try {
      return await openEntry(folder, entry, false, size);
    } catch (error) {
      const busy = error instanceof DOMException && error.name === 'NoModificationAllowedError';
      if (!busy || tries >= RESUME_TRIES) return null;
    }
    await new Promise((resolve) => setTimeout(resolve, RESUME_RETRY_MS));
  }
}

async function openEntry(
  folder: FileSystemDirectoryHandle,
  entry: string,
  create: boolean,
  size: number,
): Promise<Sink | null> {
  const handle = await folder.getFileHandle(entry, { create });
  const open = (handle as unknown as { createSyncAccessHandle?(): Promise<SyncAccessHandle> }).createSyncAccessHandle;
  if (!open) {
    if (create) await folder.removeEntry(entry).catch(() => {});
    return null;
  }
  const access = await open.call(handle).catch(async (error: unknown) => {
    if (create) await folder.removeEntry(entry).catch(() => {});
    throw error;
  });
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    access.close();
  };
  let kept = 0;
  try {
    kept = create ? 0 : access.getSize();
    if (kept > size) {
      access.truncate(0);
      kept = 0;
    }
  } catch (error) {
    close();
    throw error;
  }
  return {
    kind: 'disk',
    entry,
    kept,
    read(offset, length) {
      const bytes = new Uint8Array(length);
      if (offset + length > kept || access.read(bytes, { at: offset }) !== length) throw new Error('short read');
      return bytes;
    },
    write(offset, bytes) {
      if (access.write(bytes, { at: offset }) !== bytes.byteLength) throw new Error('short write');
    },
    async finish() {
      access.flush();
      close();
      return handle.getFile();
    },
    async discard() {
      try {
        close();
      } catch {}
      await folder.removeEntry(entry).catch(() => {});
    },
  };
}

export function createMemorySink(): Sink {
  let parts: { offset: number; bytes: Uint8Array<ArrayBuffer> }[] = [];
  return {
    kind: 'memory',
    entry: null,
    kept: 0,
    read() {
      throw new Error('nothing kept in memory');
    },
    // The bytes are the sink's from here on (transferred to it): kept as they are.
    write: (offset, bytes) => void parts.push({ offset, bytes: bytes as Uint8Array<ArrayBuffer> }),
    async finish() {
      const ordered = parts.sort((a, b) => a.offset - b.offset).map((part) => part.bytes);
      parts = [];
      return new Blob(ordered);
    },
    async discard() {
      parts = [];
    },
  };
}

/**
 * Removes one received file's entry (Sink.entry) once its page no longer offers it: only that
 * entry, since another tab may hold the same transfer under a name of its own. It runs on the
 * page, not in a store worker: the worker is stopped at the verdict (store.ts), its sync access
 * handle closed (finish), and removeEntry, unlike sync access, works on the page (as the sweep
 * below does). Never rejects: an entry already gone, or one the browser will not remove, is
 * left to the sweep.
 */
export async function removeStoredFile(entry: string): Promise<void> {
  try {
    if (!navigator.storage?.getDirectory) return;
    const root = await navigator.storage.getDirectory();
    const folder = await root.getDirectoryHandle(OPFS_FOLDER);
    await folder.removeEntry(entry);
  } catch {}
}

/**
 * As holdStoredFile, for a file a reload brings back (kept.ts), but only if no other page
 * holds it: a duplicated tab copies the list, and each tab would remove the file the other
 * still offers. Resolves to the release, or null when another page has it. Without Web Locks,
 * as holdStoredFile: nothing to hold.
 */
export function holdStoredFileIfFree(entry: string): Promise<(() => void) | null> {
  const locks = globalThis.navigator?.locks;
  if (!locks) return Promise.resolve(() => {});
  return new Promise((resolve) => {
    let release = () => {};
    const held = new Promise<void>((done) => (release = done));
    locks
      .request(OFFERED_LOCK_PREFIX + entry, { ifAvailable: true }, (lock) => {
        if (lock === null) return resolve(null);
        resolve(release);
        return held;
      })
      .catch(() => resolve(null));
  });
}

/** A received file's entry as it is on disk now (kept.ts), or null if it is not there. */
export async function readStoredFile(entry: string): Promise<File | null> {
  try {
    if (!navigator.storage?.getDirectory) return null;
    const root = await navigator.storage.getDirectory();
    const folder = await root.getDirectoryHandle(OPFS_FOLDER);
    return await (await folder.getFileHandle(entry)).getFile();
  } catch {
    return null;
  }
}

/**
 * Whether a received file's bytes can still be read where they are kept: false once its OPFS
 * entry is gone (removed, or the browser's storage cleared), when the browser refuses its
 * download too ("canceled", not a word why). Reads one byte; a file in memory always can.
 */
export async function stillReadable(file: Blob): Promise<boolean> {
  try {
    await file.slice(0, 1).arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

/** Received files older than this are removed from OPFS when a page starts. */
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;
/** The Web Lock a page holds for each stored file it offers: this prefix, then the entry. */
const OFFERED_LOCK_PREFIX = 'roomlink-offered-file:';

/**
 * Holds a Web Lock named for `entry` while this page offers the file (until the returned
 * release, or the page's end, which lets its locks go): other pages' sweeps leave the file
 * alone however old it is. Without Web Locks, only its age protects it.
 */
export function holdStoredFile(entry: string): () => void {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  void globalThis.navigator?.locks?.request(OFFERED_LOCK_PREFIX + entry, () => held).catch(() => {});
  return release;
}

/**
 * Received files stay in OPFS while their page may offer them for download, or go on
 * receiving one after a reload (unfinished.ts); a tab that closed left its files behind, and
 * so did one whose reload never went on with a file (its sender gone meanwhile). Another tab
 * may still be using recent ones, so only old ones go, and none that a page still offers or
 * writes to (holdStoredFile), however long it was open.
 */
export async function sweepStaleFiles(now = Date.now()): Promise<void> {
  if (!navigator.storage?.getDirectory) return;
  const root = await navigator.storage.getDirectory();
  const folder = await root.getDirectoryHandle(OPFS_FOLDER, { create: true });
  const locks = await navigator.locks?.query().catch(() => null);
  const offered = new Set((locks?.held ?? []).map((lock) => lock.name));
  for await (const [entry, handle] of folder.entries()) {
    if (handle.kind !== 'file' || offered.has(OFFERED_LOCK_PREFIX + entry)) continue;
    const file = await (handle as FileSystemFileHandle).getFile().catch(() => null);
    if (file && now - file.lastModified > STALE_AFTER_MS) await folder.removeEntry(entry).catch(() => {});
  }
}
