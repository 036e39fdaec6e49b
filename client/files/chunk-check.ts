// What a received chunk must be, wherever the transfer's channel is read (the page, or the
// store worker once the channel has moved there): the next bytes after those received, in
// the declared size, before the sender's file:end. A member may lie; anything else ends the
// transfer with the reason.
import { type CancelReason, decodeChunk } from '../../protocol/index.ts';

export type ChunkProblem = Extract<CancelReason, 'size-mismatch' | 'out-of-range'>;

export type CheckedChunk = { ok: true; offset: number; bytes: Uint8Array } | { ok: false; reason: ChunkProblem };

/** A binary frame from the transfer's channel, when bytes [0, received) of `size` have arrived. */
export function checkChunk(frame: unknown, received: number, size: number, ended: boolean): CheckedChunk {
  if (ended) return { ok: false, reason: 'size-mismatch' };
  const chunk = decodeChunk(frame);
  if (chunk === null || chunk.offset !== received) return { ok: false, reason: 'out-of-range' };
  if (received + chunk.bytes.byteLength > size) return { ok: false, reason: 'size-mismatch' };
  return { ok: true, offset: chunk.offset, bytes: chunk.bytes };
}

/** The sender's file:end says it sent `declared` bytes: they must be the offer's size, all received. */
export function checkEnd(declared: number, received: number, size: number): ChunkProblem | null {
  return declared !== size || received !== size ? 'size-mismatch' : null;
}
