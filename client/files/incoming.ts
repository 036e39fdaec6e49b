// The receiving side of one transfer: it checks every chunk against the offer (it must start
// where the previous one ended and stay within the declared size), hashes the bytes in
// order, writes them to the sink one write at a time, and confirms what is stored, so the
// sender can move its window and a cut transfer can resume from the last confirmed byte.
// A member may lie: anything that does not fit the offer ends the transfer with a reason.
import { type CancelReason, decodeChunk } from '../../protocol/index.ts';
import type { Hasher } from './hash.ts';
import type { Sink } from './sink.ts';

/** The receiver confirms stored bytes at least this often (and at the end). */
export const ACK_EVERY_BYTES = 1024 * 1024;

export type IncomingResult =
  | { ok: true; file: File }
  | { ok: false; reason: Extract<CancelReason, 'size-mismatch' | 'out-of-range' | 'storage-failed'> | 'corrupt' };

export interface IncomingOptions {
  size: number;
  sha256: string;
  name: string;
  type: string;
  sink: Sink;
  hasher: Hasher;
  /** Bytes [0, stored) are on the sink. */
  stored(bytes: number): void;
  /** Called once: the file is complete and verified, or the transfer failed. */
  finished(result: IncomingResult): void;
}

export interface Incoming {
  /** A binary message from the transfer's channel. */
  chunk(frame: unknown): void;
  /** The sender says it sent `size` bytes in all. */
  end(size: number): void;
  /** Where a resumed transfer must start: every byte before it arrived and is stored or queued. */
  readonly received: number;
  /** Bytes confirmed on the sink. */
  readonly stored: number;
  /** Resolves once queued writes are done (before resuming from `received`). */
  settled(): Promise<void>;
  readonly finished: boolean;
  /** Stops without a verdict (cancelled, member gone) and drops what was written. */
  abort(): void;
}

export function createIncoming(options: IncomingOptions): Incoming {
  const { size, sink, hasher } = options;
  let received = 0;
  let stored = 0;
  let lastAck = 0;
  let finished = false;
  /** The sender said it is done: nothing more may arrive. */
  let ended = false;
  let writes: Promise<void> = Promise.resolve();

  function finish(result: IncomingResult): void {
    if (finished) return;
    finished = true;
    if (!result.ok) {
      hasher.dispose();
      void sink.discard();
    }
    options.finished(result);
  }

  function confirm(): void {
    if (stored - lastAck >= ACK_EVERY_BYTES || stored === size) {
      lastAck = stored;
      options.stored(stored);
    }
  }

  return {
    chunk(frame) {
      if (finished) return;
      if (ended) return finish({ ok: false, reason: 'size-mismatch' });
      const chunk = decodeChunk(frame);
      if (chunk === null || chunk.offset !== received) return finish({ ok: false, reason: 'out-of-range' });
      const length = chunk.bytes.byteLength;
      if (received + length > size) return finish({ ok: false, reason: 'size-mismatch' });
      hasher.update(chunk.bytes);
      received += length;
      writes = writes.then(async () => {
        if (finished) return;
        try {
          await sink.write(chunk.offset, chunk.bytes);
        } catch {
          return finish({ ok: false, reason: 'storage-failed' });
        }
        stored += length;
        confirm();
      });
    },
    end(declared) {
      if (finished || ended) return;
      ended = true;
      if (declared !== size || received !== size) return finish({ ok: false, reason: 'size-mismatch' });
      writes = writes.then(async () => {
        if (finished) return;
        if ((await hasher.hex()) !== options.sha256) return finish({ ok: false, reason: 'corrupt' });
        try {
          finish({ ok: true, file: await sink.finish(options.name, options.type) });
        } catch {
          finish({ ok: false, reason: 'storage-failed' });
        }
      });
    },
    get received() {
      return received;
    },
    get stored() {
      return stored;
    },
    settled: () => writes,
    get finished() {
      return finished;
    },
    abort() {
      if (finished) return;
      finished = true;
      hasher.dispose();
      void sink.discard();
    },
  };
}
