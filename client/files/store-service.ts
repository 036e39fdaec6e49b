// What the store worker does (store-worker.ts wires it to the worker's messages; store.ts
// runs it on the page where workers are unavailable), kept free of worker globals so a unit
// test can drive it: one received file's bytes, written at their offsets as they arrive,
// and its running SHA-256, updated in the same order. It confirms what is written in
// batches and, at the end, checks the digest against the offer's before handing the file
// back. Whatever fails, the file is discarded here, so the page only hears the verdict.
import { createHasher } from './hash.ts';
import { createMemorySink, MEMORY_SINK_LIMIT, type Sink } from './sink.ts';

/** Written bytes are confirmed to the page each time this many more are written, and at the end. */
export const STORED_REPORT_BYTES = 1024 * 1024;

/**
 * Page → store. The parts of a write are transferred: the page no longer holds them. `session`
 * numbers a file among those one worker serves in turn (store-worker.ts tags its replies with it).
 */
export type StoreRequest =
  | { kind: 'open'; id: string; size: number; session?: number }
  /** `parts` lie end to end from `offset`. */
  | { kind: 'write'; offset: number; parts: Uint8Array[] }
  | { kind: 'sync' }
  | { kind: 'finish'; sha256: string }
  | { kind: 'discard' };

/** Store → page. */
export type StoreReply =
  /** Ready for writes; or nowhere to put a file this large (`where` null). */
  | { kind: 'opened'; where: Sink['kind'] | null }
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

export type DiskOpener = (id: string) => Promise<Sink | null>;

export function createStoreService(
  reply: (message: StoreReply) => void,
  openDisk: DiskOpener,
): (request: StoreRequest) => void {
  const hasher = createHasher();
  let sink: Sink | null = null;
  let size = 0;
  let written = 0;
  let reported = 0;
  /** A verdict was given or the file discarded: nothing more is written. */
  let over = false;

  async function open(id: string, declared: number): Promise<void> {
    size = declared;
    sink = await openDisk(id).catch(() => null);
    if (sink === null && declared <= MEMORY_SINK_LIMIT) sink = createMemorySink();
    reply({ kind: 'opened', where: sink?.kind ?? null });
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
        void open(request.id, request.size);
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
