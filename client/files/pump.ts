// The sending side of one transfer to one member: reads the file in slices (never whole)
// and puts chunks on the transfer's own channel while two limits allow — the channel's
// buffer (bufferedAmountLowThreshold / bufferedamountlow, so the browser never queues much)
// and the receiver's window (bytes sent but not yet confirmed stored, so a slow disk on the
// other side never makes it hold much in memory). Then it says how many bytes it sent.
import { encodeChannelMessage, encodeChunk } from '../../protocol/index.ts';

/** Payload bytes per chunk (plus an 8-byte header): well under every browser's message limit. */
export const CHUNK_BYTES = 64 * 1024;
/** Bytes read from the file at a time, then cut into chunks. */
const READ_BYTES = 1024 * 1024;
/**
 * Stop filling the channel above this; go on when it drains to the low mark. Small, because
 * what waits here also waits ahead of chat on the link (measured at load ~25: chat p50
 * during a transfer 1.1–1.3 s with 4 MiB / 1 MiB marks, 0.7 s with these).
 */
export const CHANNEL_HIGH_WATER = 1024 * 1024;
export const CHANNEL_LOW_WATER = 256 * 1024;
/** Bytes sent but not confirmed stored by the receiver, at most. */
export const RECEIVER_WINDOW = 16 * 1024 * 1024;

/** The part of RTCDataChannel a pump uses (a fake one in unit tests). */
export interface ChunkChannel {
  readonly readyState: RTCDataChannelState;
  readonly bufferedAmount: number;
  bufferedAmountLowThreshold: number;
  send(data: ArrayBuffer | string): void;
  addEventListener(type: 'bufferedamountlow' | 'close', listener: () => void): void;
  removeEventListener(type: 'bufferedamountlow' | 'close', listener: () => void): void;
}

export interface PumpOptions {
  id: string;
  file: Blob;
  channel: ChunkChannel;
  /** First byte to send (0, or where the receiver says it stopped). */
  from: number;
  /** Bytes the receiver has confirmed (read on each step). */
  confirmed(): number;
  /** Bytes put on the channel so far. */
  sent(bytes: number): void;
}

export type PumpOutcome = 'sent' | 'interrupted' | 'unreadable';

export interface Pump {
  /** Something a wait depends on changed (an ack came). */
  poke(): void;
  stop(): void;
  /** How it ended: everything and the end marker went out, stopped or closed, or the file could not be read. */
  readonly done: Promise<PumpOutcome>;
}

export function startPump(options: PumpOptions): Pump {
  const { channel, file } = options;
  let stopped = false;
  let wake: (() => void) | null = null;
  const poke = () => {
    const resume = wake;
    wake = null;
    resume?.();
  };
  channel.bufferedAmountLowThreshold = CHANNEL_LOW_WATER;
  channel.addEventListener('bufferedamountlow', poke);
  channel.addEventListener('close', poke);

  const live = () => !stopped && channel.readyState === 'open';
  const blocked = (position: number) =>
    channel.bufferedAmount > CHANNEL_HIGH_WATER || position - options.confirmed() > RECEIVER_WINDOW;

  async function run(): Promise<PumpOutcome> {
    let position = options.from;
    while (position < file.size) {
      const end = Math.min(file.size, position + READ_BYTES);
      const block = await read(position, end);
      if (block === null) return 'unreadable';
      for (let at = 0; at < block.byteLength; at += CHUNK_BYTES) {
        while (live() && blocked(position)) await new Promise<void>((resolve) => (wake = resolve));
        if (!live()) return 'interrupted';
        channel.send(encodeChunk(position, block.subarray(at, at + CHUNK_BYTES)));
        position += Math.min(CHUNK_BYTES, block.byteLength - at);
        options.sent(position);
      }
    }
    if (!live()) return 'interrupted';
    channel.send(encodeChannelMessage({ t: 'file:end', id: options.id, size: position }));
    return 'sent';
  }

  async function read(start: number, end: number): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await file.slice(start, end).arrayBuffer());
    } catch {
      return null; // the file was moved or changed on disk since it was picked
    }
  }

  // send() throws only when the channel closes underneath us.
  const done = run()
    .catch((): PumpOutcome => 'interrupted')
    .finally(() => {
      channel.removeEventListener('bufferedamountlow', poke);
      channel.removeEventListener('close', poke);
    });
  return {
    poke,
    stop() {
      stopped = true;
      poke();
    },
    done,
  };
}
