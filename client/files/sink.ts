// Where a received file goes while it arrives: the origin-private file system (OPFS), written
// at each chunk's offset, so a large file never sits in memory; or, where there is no OPFS,
// memory, for small files only. finish() hands back a File to offer for download.
import { nanoid } from 'nanoid';

/** Without OPFS, files up to this size are received into memory; larger ones are declined. */
export const MEMORY_SINK_LIMIT = 32 * 1024 * 1024;
const OPFS_FOLDER = 'roomlink-files';

export interface Sink {
  readonly kind: 'disk' | 'memory';
  /** Writes bytes at offset. Calls are made one at a time (the caller chains them). */
  write(offset: number, bytes: Uint8Array): Promise<void>;
  /** All bytes are written: the file, named and typed for download. */
  finish(name: string, type: string): Promise<File>;
  /** Drops what was written. Safe to call at any time, more than once. */
  discard(): Promise<void>;
}

export type SinkOpener = (id: string, size: number) => Promise<Sink | null>;

/** A sink for a file of `size` bytes, or null when this browser has nowhere to put it. */
export const openSink: SinkOpener = async (id, size) => {
  const disk = await openDiskSink(id).catch(() => null);
  if (disk) return disk;
  return size <= MEMORY_SINK_LIMIT ? createMemorySink() : null;
};

async function openDiskSink(id: string): Promise<Sink | null> {
  if (!navigator.storage?.getDirectory) return null;
  const root = await navigator.storage.getDirectory();
  const folder = await root.getDirectoryHandle(OPFS_FOLDER, { create: true });
  // Its own name even when two tabs of one browser receive the same transfer.
  const entry = `${id}-${nanoid(8)}`;
  const handle = await folder.getFileHandle(entry, { create: true });
  const writable = await handle.createWritable({ keepExistingData: false });
  let open = true;
  return {
    kind: 'disk',
    write: (offset, bytes) =>
      writable.write({ type: 'write', position: offset, data: bytes as Uint8Array<ArrayBuffer> }),
    async finish(name, type) {
      open = false;
      await writable.close();
      // Backed by the file on disk: wrapping it names it without reading it.
      return new File([await handle.getFile()], name, { type });
    },
    async discard() {
      if (open) await writable.abort().catch(() => {});
      open = false;
      await folder.removeEntry(entry).catch(() => {});
    },
  };
}

/** Received files older than this are removed from OPFS when a page starts. */
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Received files stay in OPFS while their page may offer them for download; a tab that
 * closed left its files behind. Another tab may still be using recent ones, so only old
 * ones go.
 */
export async function sweepStaleFiles(now = Date.now()): Promise<void> {
  if (!navigator.storage?.getDirectory) return;
  const root = await navigator.storage.getDirectory();
  const folder = await root.getDirectoryHandle(OPFS_FOLDER, { create: true });
  for await (const [entry, handle] of folder.entries()) {
    if (handle.kind !== 'file') continue;
    const file = await (handle as FileSystemFileHandle).getFile().catch(() => null);
    if (file && now - file.lastModified > STALE_AFTER_MS) await folder.removeEntry(entry).catch(() => {});
  }
}

export function createMemorySink(): Sink {
  let parts: { offset: number; bytes: Uint8Array<ArrayBuffer> }[] = [];
  return {
    kind: 'memory',
    async write(offset, bytes) {
      parts.push({ offset, bytes: bytes.slice() });
    },
    async finish(name, type) {
      const ordered = parts.sort((a, b) => a.offset - b.offset).map((part) => part.bytes);
      parts = [];
      return new File(ordered, name, { type });
    },
    async discard() {
      parts = [];
    },
  };
}
