// What the store worker does (store-worker.ts wires it to the worker's messages; store.ts
// runs it on the page where workers are unavailable), kept free of worker globals so a unit
// test can drive it: one received file's bytes, written at their offsets as they arrive,
// and its running SHA-256, updated in the same order. It confirms what is written in
// batches and, at the end, checks the digest against the offer's before handing the file
// back. Whatever fails, the file is discarded here, so the page only hears the verdict.
//
// Where the browser can move an RTCDataChannel to a worker (Chromium, Safari), the page hands
// the transfer's channel over as it arrives, and the chunks come straight here: checked,
// written and hashed, their arrival marks sent back to the sender, and the sender's file:end
// taken, all without the page's main thread. Chat lines then no longer wait behind chunk
// events in the page's task queue, and the marks no longer wait for a busy page.
import { encodeArrivalMark, parseChannelMessage } from '../../protocol/index.ts';
import { type ChunkProblem, checkChunk, checkEnd } from './chunk-check.ts';
import { createHasher } from './hash.ts';
import { ARRIVAL_MARK_EVERY_BYTES } from './pump.ts';
import { createMemorySink, MEMORY_SINK_LIMIT, type Sink } from './sink.ts';

/** Written bytes are confirmed to the page each time this many more are written, and at the end. */
export const STORED_REPORT_BYTES = 1024 * 1024;
/** With the channel here, the page hears how far the transfer is at most this often (its progress bar). */
export const PROGRESS_REPORT_MS = 100;

/** The part of RTCDataChannel the store reads a transfer from (a fake one in unit tests). */
export interface TransferChannel {
  binaryType: BinaryType;
  send(data: ArrayBuffer): void;
  close(): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: () => void): void;
}

/** Page → store. The parts of a write are transferred: the page no longer holds them. */
export type StoreRequest =
  | { kind: 'open'; id: string; size: number }
  /** `parts` lie end to end from `offset`. */
  | { kind: 'write'; offset: number; parts: Uint8Array[] }
  | { kind: 'sync' }
  | { kind: 'finish'; sha256: string }
  | { kind: 'discard' }
  /**
   * The transfer's channel itself (moved here): its chunks, from byte `from` on, come straight
   * to this store, and its file:end ends the transfer against `sha256`. A newer channel
   * (a resumed transfer) replaces an older one.
   */
  | { kind: 'channel'; channel: TransferChannel; transferId: string; from: number; sha256: string };

/** Store → page. */
export type StoreReply =
  /** Ready for writes; or nowhere to put a file this large (`where` null). */
  | { kind: 'opened'; where: Sink['kind'] | null }
  /** Bytes [0, bytes) are written. */
  | { kind: 'stored'; bytes: number }
  /** Every write asked for before the sync is done. */
  | { kind: 'synced'; bytes: number }
  /** With the channel here: bytes [0, bytes) have arrived (and are written). */
  | { kind: 'received'; bytes: number }
  /** With the channel here: it closed before a verdict; bytes [0, bytes) are written. */
  | { kind: 'closed'; bytes: number }
  /** The verdict; after it the store takes no more requests. */
  | { kind: 'finished'; result: { ok: true; file: Blob } | { ok: false; reason: StoreFailure } }
  | { kind: 'discarded' };

export type StoreFailure = 'corrupt' | 'storage-failed' | ChunkProblem;

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
  /** The transfer's channel, when it was moved here; its file:end has come (`ended`). */
  let channel: TransferChannel | null = null;
  let ended = false;
  let lastProgress = Number.NEGATIVE_INFINITY;

  function dropChannel(): void {
    const old = channel;
    channel = null;
    try {
      old?.close();
    } catch {}
  }

  async function open(id: string, declared: number): Promise<void> {
    size = declared;
    sink = await openDisk(id).catch(() => null);
    if (sink === null && declared <= MEMORY_SINK_LIMIT) sink = createMemorySink();
    reply({ kind: 'opened', where: sink?.kind ?? null });
  }

  /** The page stops this worker at the verdict: the file is removed first. */
  async function fail(reason: StoreFailure): Promise<void> {
    over = true;
    dropChannel();
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
      const file = await sink.finish();
      dropChannel();
      reply({ kind: 'finished', result: { ok: true, file } });
    } catch {
      await fail('storage-failed');
    }
  }

  async function discard(): Promise<void> {
    over = true;
    dropChannel();
    await sink?.discard();
    reply({ kind: 'discarded' });
  }

  function take(next: TransferChannel, transferId: string, from: number, sha256: string): void {
    if (over || sink === null) {
      next.close();
      return;
    }
    dropChannel();
    channel = next;
    // The page asks to resume from what it was told is written: anything else is a mix-up.
    if (from !== written) return void fail('out-of-range');
    next.binaryType = 'arraybuffer';
    let marked = written;
    next.addEventListener('message', ({ data }) => {
      if (channel !== next || over) return;
      if (typeof data === 'string') {
        const message = parseChannelMessage(data);
        if (message?.t !== 'file:end' || message.id !== transferId || ended) return;
        ended = true;
        const problem = checkEnd(message.size, written, size);
        if (problem) return void fail(problem);
        return void finish(sha256);
      }
      const chunk = checkChunk(data, written, size, ended);
      if (!chunk.ok) return void fail(chunk.reason);
      write(chunk.offset, chunk.bytes);
      if (over) return;
      // Taken off the channel: the sender may put more on the way (pump.ts).
      if (written - marked >= ARRIVAL_MARK_EVERY_BYTES) {
        marked = written;
        try {
          next.send(encodeArrivalMark(marked));
        } catch {} // closing: its close event follows
      }
      const now = performance.now();
      if (now - lastProgress >= PROGRESS_REPORT_MS) {
        lastProgress = now;
        reply({ kind: 'received', bytes: written });
      }
    });
    next.addEventListener('close', () => {
      if (channel !== next || over) return;
      channel = null;
      reply({ kind: 'closed', bytes: written });
    });
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
      case 'channel':
        take(request.channel, request.transferId, request.from, request.sha256);
        return;
    }
  };
}
