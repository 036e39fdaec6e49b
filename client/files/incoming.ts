// The receiving side of one transfer: it checks every chunk against the offer (it must start
// where the previous one ended and stay within the declared size) and passes its bytes on to
// the store, which writes and hashes them off this thread (store.ts), and confirms what is
// stored, so the sender can move its window and a cut transfer can resume from the last
// confirmed byte. It starts where the store does: at the bytes a file gone on with after a
// reload kept (Store.kept), 0 for any other. A member may lie: anything that does not fit the
// offer ends the transfer with a reason.
import { decodeChunk, isPreviewableType, MIN_CHUNK_BYTES, type ReceiverCancelReason } from '../../protocol/index.ts';
import type { Store } from './store.ts';
import { STORED_REPORT_BYTES } from './store-service.ts';

/** The receiver confirms stored bytes at least this often (and at the end). */
export const ACK_EVERY_BYTES = STORED_REPORT_BYTES;

/** What a received file is typed as unless the page previews its type. */
export const DOWNLOAD_TYPE = 'application/octet-stream';

/**
 * The type a received file gets, and with it its blob: URL: the sender's type only if the
 * page previews it (a raster image), else DOWNLOAD_TYPE. The download link is a blob: URL of
 * our origin, and a member's text/html or image/svg+xml opened from it in a tab would be a
 * document of roomlink's origin; typed as bytes it can only be saved.
 */
export function receivedType(declared: string): string {
  return isPreviewableType(declared) ? declared.trim().toLowerCase() : DOWNLOAD_TYPE;
}

/** A received file's bytes, named and typed for download; wrapping a file on disk does not read it. */
export function downloadable(bytes: Blob, name: string, declaredType: string): File {
  return new File([bytes], name, { type: receivedType(declaredType) });
}

export type IncomingResult =
  /** `remove`: takes the file off the device once it is no longer offered (store.ts StoreResult). */
  | { ok: true; file: File; entry: string | null; remove(): Promise<void> }
  | { ok: false; reason: Exclude<ReceiverCancelReason, 'cancelled'> | 'corrupt' };

export interface IncomingOptions {
  size: number;
  sha256: string;
  name: string;
  /** The sender's type: the file keeps it only if the page previews it (receivedType). */
  type: string;
  store: Store;
  /** Bytes [0, stored) are on the store. */
  stored(bytes: number): void;
  /** Called once: the file is complete and verified, or the transfer failed. */
  finished(result: IncomingResult): void;
}

export interface Incoming {
  /**
   * A message from the transfer's channel, but its file:end: a chunk, whose buffer is the
   * transfer's from now on; anything else ends the transfer as out of range.
   */
  chunk(frame: unknown): void;
  /** The sender says it sent `size` bytes in all. */
  end(size: number): void;
  /** Where a resumed transfer must start: every byte before it arrived and is stored or on its way to the store. */
  readonly received: number;
  /** Bytes confirmed on the store. */
  readonly stored: number;
  /** Resolves once every write asked for is done (before resuming from `received`), or, after end(), once there is a verdict. */
  settled(): Promise<void>;
  readonly finished: boolean;
  /** Stops without a verdict (cancelled, member gone) and drops what was written. */
  abort(): void;
}

export function createIncoming(options: IncomingOptions): Incoming {
  const { size, store } = options;
  let received = store.kept;
  let stored = store.kept;
  let lastAck = store.kept;
  let finished = false;
  /** The sender said it is done: nothing more may arrive. */
  let ended = false;
  let verdict: () => void = () => {};
  const verdictGiven = new Promise<void>((resolve) => (verdict = resolve));

  function finish(result: IncomingResult): void {
    if (finished) return;
    finished = true;
    if (!result.ok) store.discard();
    verdict();
    options.finished(result);
  }

  store.watch({
    stored(bytes) {
      if (finished) return;
      stored = bytes;
      if (stored - lastAck >= ACK_EVERY_BYTES || stored === size) {
        lastAck = stored;
        options.stored(stored);
      }
    },
    finished(result) {
      if (!result.ok) return finish(result);
      const file = downloadable(result.file, options.name, options.type);
      finish({ ok: true, file, entry: result.entry, remove: result.remove });
    },
  });

  return {
    chunk(frame) {
      if (finished) return;
      if (ended) return finish({ ok: false, reason: 'size-mismatch' });
      const chunk = decodeChunk(frame);
      if (chunk === null || chunk.offset !== received) return finish({ ok: false, reason: 'out-of-range' });
      const length = chunk.bytes.byteLength;
      if (received + length > size) return finish({ ok: false, reason: 'size-mismatch' });
      // Only the file's last chunk may be short (never empty): a stream of tiny ones would
      // cost this page a task each, a flood no budget sees (MIN_CHUNK_BYTES).
      if (length === 0 || (length < MIN_CHUNK_BYTES && received + length < size))
        return finish({ ok: false, reason: 'out-of-range' });
      received += length;
      if (length > 0) store.write(chunk.offset, chunk.bytes);
    },
    end(declared) {
      if (finished || ended) return;
      ended = true;
      if (declared !== size || received !== size) return finish({ ok: false, reason: 'size-mismatch' });
      store.finish(options.sha256);
    },
    get received() {
      return received;
    },
    get stored() {
      return stored;
    },
    settled() {
      return ended || finished ? verdictGiven : store.settled();
    },
    get finished() {
      return finished;
    },
    abort() {
      if (finished) return;
      finished = true;
      verdict();
      store.discard();
    },
  };
}
