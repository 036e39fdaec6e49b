// What the store worker does (store-worker.ts wires it to the worker's messages; store.ts
// runs it on the page where workers are unavailable), kept free of worker globals so a unit
// test can drive it: one received file's bytes, written at their offsets as they arrive,
// and its running SHA-256, updated in the same order. A file this tab went on receiving after
// its page was reloaded starts with the bytes its entry kept (sink.ts), read back from the
// disk and hashed before anything else: the digest at the end is of the whole file still. It
// confirms what is written in batches and, at the end, checks the digest against the offer's
// before handing the file back. Whatever fails, the file is discarded here, so the page only
// hears the verdict.
import { createHasher } from './hash.ts';
import { createMemorySink, MEMORY_SINK_LIMIT, type Sink } from './sink.ts';

/** Written bytes are confirmed to the page each time this many more are written, and at the end. */
export const STORED_REPORT_BYTES = 1024 * 1024;

/**
 * Page → store. The parts of a write are transferred: the page no longer holds them. `session`
 * numbers a file among those one worker serves in turn (store-worker.ts tags its replies with it).
 */
export type StoreRequest =
  /** `resume`: the entry to go on with (unfinished.ts), if it is still there. */
  | { kind: 'open'; id: string; size: number; resume?: string; session?: number }
  /** `parts` lie end to end from `offset`. */
  | { kind: 'write'; offset: number; parts: Uint8Array[] }
  | { kind: 'sync' }
  | { kind: 'finish'; sha256: string }
  | { kind: 'discard' };

/** Store → page. */
export type StoreReply =
  /**
   * Ready for writes from byte `kept` (the bytes an entry gone on with had, hashed already);
   * or nowhere to put a file this large (`where` null). `entry`: where it goes in OPFS (null:
   * in memory), listed for the tab's next load to go on with (unfinished.ts).
   */
  | { kind: 'opened'; where: Sink['kind'] | null; entry: string | null; kept: number }
  /** Bytes [0, bytes) are written. */
  | { kind: 'stored'; bytes: number }
  /** Every write asked for before the sync is done. */
  | { kind: 'synced'; bytes: number }
  /**
   * The verdict; after it the store takes no more requests. `entry`: where the file is kept in
   * OPFS (Sink.entry), for the page to remove when it no longer offers it; null in memory.
   */
  | {
      kind: 'finished';
      result: { ok: true; file: Blob; entry: string | null } | { ok: false; reason: 'corrupt' | 'storage-failed' };
    }
  | { kind: 'discarded' };

/**
 * A reply as the worker posts it: tagged with its file's session, so that one the previous file
 * left in flight (a 'discarded' after the verdict) never reaches the next file's page side.
 */
export type TaggedReply = StoreReply & { readonly session: number };

export type DiskOpener = (id: string, size: number, resume?: string) => Promise<Sink | null>;

/** The bytes an entry kept are read back from the disk and hashed this many at a time. */
const REHASH_BYTES = 1024 * 1024;

export function createStoreService(
  reply: (message: StoreReply) => void,
  openDisk: DiskOpener,
): (request: StoreRequest) => void {
  let hasher = createHasher();
  let sink: Sink | null = null;
  let size = 0;
  let written = 0;
  let reported = 0;
  /** A verdict was given or the file discarded: nothing more is written. */
  let over = false;

  async function open(id: string, declared: number, resume?: string): Promise<void> {
    size = declared;
    sink = await openDisk(id, declared, resume).catch(() => null);
    if (sink !== null && !hashKept(sink)) {
      // What it kept cannot be read back: a new entry, from the first byte.
      await sink.discard();
      sink = await openDisk(id, declared).catch(() => null);
    }
    if (sink === null && declared <= MEMORY_SINK_LIMIT) sink = createMemorySink();
    reply({ kind: 'opened', where: sink?.kind ?? null, entry: sink?.entry ?? null, kept: written });
  }

  /** The bytes the sink kept go into the hash first, as read back from it; false if they cannot be read. */
  function hashKept(opened: Sink): boolean {
    const kept = createHasher();
    try {
      for (let at = 0; at < opened.kept; at += REHASH_BYTES)
        kept.update(opened.read(at, Math.min(REHASH_BYTES, opened.kept - at)));
    } catch {
      return false;
    }
    hasher = kept;
    written = reported = opened.kept;
    return true;
  }

  /** The page stops this worker at the verdict: the file is removed first. */
  async function fail(reason: 'corrupt' | 'storage-failed'): Promise<void> {
    over = true;
    await sink?.discard();
    reply({ kind: 'finished', result: { ok: false, reason } });
  }

  function write(offset: number, bytes: Uint8Array): void {
    if (over || sink === null) return;
    try {
      sink.write(offset, bytes);
    } catch {
      return void fail('storage-failed');
    }
    hasher.update(bytes);
    written = offset + bytes.byteLength;
    if (written - reported >= STORED_REPORT_BYTES || written === size) {
      reported = written;
      reply({ kind: 'stored', bytes: written });
    }
  }

  async function finish(sha256: string): Promise<void> {
    if (over || sink === null) return;
    over = true;
    if ((await hasher.hex()) !== sha256) return fail('corrupt');
    try {
      reply({ kind: 'finished', result: { ok: true, file: await sink.finish(), entry: sink.entry } });
    } catch {
      await fail('storage-failed');
    }
  }

  async function discard(): Promise<void> {
    over = true;
    await sink?.discard();
    reply({ kind: 'discarded' });
  }

  return (request) => {
    switch (request.kind) {
      case 'open':
        void open(request.id, request.size, request.resume);
        return;
      case 'write': {
        let offset = request.offset;
        for (const bytes of request.parts) {
          write(offset, bytes);
          offset += bytes.byteLength;
        }
        return;
      }
      case 'sync':
        reply({ kind: 'synced', bytes: written });
        return;
      case 'finish':
        void finish(request.sha256);
        return;
      case 'discard':
        void discard();
        return;
    }
  };
}
