// The sending side of one transfer to one member: reads the file in slices (never whole)
// and puts chunks on the transfer's own channel while three limits allow:
// - what is on the way: bytes sent that the receiver has not yet taken off the channel (its
//   arrival marks). Everything between our send() and its page — the SCTP queue, packets in
//   flight, the receiver's task queue — is a queue that a chat line sent now waits behind,
//   whichever channel it goes on; keeping it to a few tens of ms of data, and less while
//   people in the room are talking, keeps chat prompt;
// - the channel's buffer (bufferedAmountLowThreshold / bufferedamountlow), a bound that holds
//   even against a receiver whose marks lie;
// - the receiver's window (bytes sent but not yet confirmed stored, so a slow disk on the
//   other side never makes it hold much in memory).
// Then it sends file:end with how many bytes it sent.
import { decodeArrivalMark, encodeChannelMessage, encodeChunk, MIN_CHUNK_BYTES } from '../../protocol/index.ts';

/**
 * Payload bytes per chunk (plus an 8-byte header). Without message interleaving SCTP sends a
 * message whole before the next one on any channel: a chat line can wait for the rest of the
 * chunk being sent, so chunks are small; but no smaller than a receiver takes (all but a
 * file's last: MIN_CHUNK_BYTES).
 */
export const CHUNK_BYTES = MIN_CHUNK_BYTES;
/** Bytes read from the file at a time, then cut into chunks. */
const READ_BYTES = 1024 * 1024;
/**
 * Bytes sent that the receiver has not yet taken off the channel, at most, while nobody
 * talks: enough to keep the link busy across a round trip of the marks.
 */
export const ON_THE_WAY_BYTES = 128 * 1024;
/**
 * The same while people talk (client/conversation.ts). A line waits behind about half of
 * what is on the way, and behind the CPU the transfer takes from both pages: on loopback
 * between two busy pages on two cores, chat p50 during a transfer was 18–22 ms with
 * 128 KiB on the way and 7.5–8.1 ms with 32 KiB (idle 3.1–3.9 ms); the transfer goes at
 * about three quarters of its speed meanwhile.
 */
export const TALKING_ON_THE_WAY_BYTES = 32 * 1024;
/**
 * The receiver marks what it has taken after every chunk: with two chunks on the way while
 * people talk, a mark every other chunk would stop the pump for a round trip each time.
 */
export const ARRIVAL_MARK_EVERY_BYTES = CHUNK_BYTES;
/**
 * Stop filling the channel above this; go on when it drains to the low mark. With marks
 * from an honest receiver the channel never holds more than ON_THE_WAY_BYTES.
 */
export const CHANNEL_HIGH_WATER = 256 * 1024;
export const CHANNEL_LOW_WATER = 64 * 1024;
/** Bytes sent but not confirmed stored by the receiver, at most. */
export const RECEIVER_WINDOW = 16 * 1024 * 1024;

/** The part of RTCDataChannel a pump uses (a fake one in unit tests). */
export interface ChunkChannel {
  readonly readyState: RTCDataChannelState;
  readonly bufferedAmount: number;
  bufferedAmountLowThreshold: number;
  send(data: ArrayBuffer | string): void;
  addEventListener(type: 'bufferedamountlow' | 'close', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'bufferedamountlow' | 'close', listener: () => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export interface PumpOptions {
  id: string;
  file: Blob;
  channel: ChunkChannel;
  /** First byte to send (0, or where the receiver says it stopped). */
  from: number;
  /** Bytes the receiver has confirmed (read on each step). */
  confirmed(): number;
  /** The receiver took these bytes off the channel (its latest arrival mark). */
  arrived?(bytes: number): void;
  /** People in the room are talking: keep TALKING_ON_THE_WAY_BYTES on the way (read on each step). */
  talking?(): boolean;
  /** The receiver sent what no receiver sends (see marked): the pump has stopped. */
  refused?(): void;
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
  let position = options.from;
  /** Bytes the receiver has taken off this channel (its latest mark; never past what we sent). */
  let taken = options.from;
  let wake: (() => void) | null = null;
  const poke = () => {
    const resume = wake;
    wake = null;
    resume?.();
  };
  channel.bufferedAmountLowThreshold = CHANNEL_LOW_WATER;
  // A receiver sends nothing on the channel but its marks, each of what it took and at least
  // ARRIVAL_MARK_EVERY_BYTES past the last. Anything else stops the transfer (refused): each
  // message costs this page a task, and a member streaming 8-byte frames at its sender as
  // fast as the channel took them held that page's timers 1.2 s late, with tasks of 548 ms.
  // Heard until the pump is stopped or the channel closes, past the end of the sending.
  const marked = ({ data }: { data: unknown }) => {
    const mark = decodeArrivalMark(data);
    if (mark === null || mark > position || mark - taken < ARRIVAL_MARK_EVERY_BYTES) return refuse();
    taken = mark;
    options.arrived?.(taken);
    poke();
  };
  const unheard = () => {
    channel.removeEventListener('message', marked);
    channel.removeEventListener('close', unheard);
  };
  function refuse(): void {
    unheard();
    if (stopped) return;
    stopped = true;
    poke();
    options.refused?.();
  }
  channel.addEventListener('bufferedamountlow', poke);
  channel.addEventListener('close', poke);
  channel.addEventListener('message', marked);
  channel.addEventListener('close', unheard);

  const live = () => !stopped && channel.readyState === 'open';
  const onTheWay = () => (options.talking?.() ? TALKING_ON_THE_WAY_BYTES : ON_THE_WAY_BYTES);
  const blocked = () =>
    position - taken >= onTheWay() ||
    channel.bufferedAmount > CHANNEL_HIGH_WATER ||
    position - options.confirmed() > RECEIVER_WINDOW;

  async function run(): Promise<PumpOutcome> {
    // The next block is read while this one goes out: with little on the way, a read that
    // the channel waited for would leave the link idle.
    let reading = readFrom(position);
    while (position < file.size) {
      const block = await reading;
      if (block === null || block.byteLength === 0) return 'unreadable';
      reading = readFrom(position + block.byteLength);
      for (let at = 0; at < block.byteLength; at += CHUNK_BYTES) {
        while (live() && blocked()) await new Promise<void>((resolve) => (wake = resolve));
        if (!live()) return 'interrupted';
        channel.send(encodeChunk(position, block.subarray(at, at + CHUNK_BYTES)));
        position += Math.min(CHUNK_BYTES, block.byteLength - at);
      }
    }
    if (!live()) return 'interrupted';
    channel.send(encodeChannelMessage({ t: 'file:end', id: options.id, size: position }));
    return 'sent';
  }

  async function readFrom(start: number): Promise<Uint8Array | null> {
    if (start >= file.size) return new Uint8Array();
    try {
      return new Uint8Array(await file.slice(start, Math.min(file.size, start + READ_BYTES)).arrayBuffer());
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
      unheard();
      poke();
    },
    done,
  };
}
