// A file we send, as this page holds it while it is under way, or shared with those who join
// later (sending-shared.ts): one record per file, with one entry per recipient (the room's
// members and those who joined since, or one member). The parts of sending.ts (sending-*.ts)
// read and move these; the record is let go once it is over for every recipient and not shared.
import type { ReplyRef } from '../../protocol/index.ts';
import type { MemberHandle } from '../feature.ts';
import { type FileLine, isFinal } from './line.ts';
import { createProgressMeter, type ProgressMeter } from './progress.ts';
import type { Pump } from './pump.ts';
import type { SendState, SentRecipient } from './sent-line.ts';

export interface Recipient {
  member: MemberHandle;
  state: SendState;
  /** Why it ended, when the bare state says too little ("left", "could not save it"). */
  note: string | null;
  /**
   * Offered, but the offer did not go: no link that carries files (none now, or only through
   * another member, which passes chat on but not files). It goes when the link opens.
   */
  unsent: boolean;
  /** Offered, and its page said it waits for a click (file:asking) or its turn (file:queued). */
  waitsFor: SentRecipient['waitsFor'];
  /**
   * An accept that came while `concurrent` transfers ran to this member (the byte it asked
   * from): started when one of them ends. An honest page accepts no more than that, but for an
   * end and an accept crossing after a reconnect; a hostile one may accept every offer at once.
   */
  held: number | null;
  /** Bytes it confirmed it stored (file:ack, a MiB apart: the pump's window moves on them). */
  acked: number;
  /**
   * Bytes it took off the channel (its arrival marks, every chunk): what its own line shows.
   * The bar follows these, so a slow link does not show 0 until a whole MiB is stored.
   */
  arrived: number;
  /** Its own pace (each recipient takes the file at its own speed), and the last speed it gave. */
  meter: ProgressMeter;
  speed: number;
  /** The byte the current channel starts from (the accept it answers). */
  from: number;
  /**
   * Channels started for it: the first and one per resume, each reading the file again from
   * its byte. A recipient asking over and over, a new byte each time, would have us read and
   * send without end: past MAX_STARTS (sending-recipients.ts) it gets no more.
   */
  starts: number;
  channel: RTCDataChannel | null;
  pump: Pump | null;
  /** While away: when we stop holding the file for its return (AWAY_MS, sending-recipients.ts). */
  awayTimer: ReturnType<typeof setTimeout> | null;
  /**
   * It joined after the file was sent (sending-shared.ts): its offer says when the file was
   * sent (`at`), and its page shows the line among the earlier ones.
   */
  late: boolean;
}

export interface Sent {
  id: string;
  file: File;
  sha256: string | null;
  to: string | null;
  recipients: Map<string, Recipient>;
  line: FileLine;
  /** What the line shows now, to tell a change (shown at once) from progress (paced). */
  shown: string;
  /** When its progress was last shown (performance.now()). */
  shownAt: number;
  /** Shows the progress held back as too recent, should nothing come after it (a stall). */
  pending: ReturnType<typeof setTimeout> | null;
  cancelled: boolean;
  /**
   * The file could not be read: to hash it (it was never offered), or while it went (sha256
   * set: sending-recipients.ts unreadable), when it goes to nobody more.
   */
  unreadable: boolean;
  /**
   * A file to the room, offered to members who join later (sending-shared.ts): the record is
   * held while this is true, over for everyone or not.
   */
  shared: boolean;
  /** When it was sent (ms since the epoch). */
  at: number;
  /** The line it answers (sent as a reply), or null. */
  re: ReplyRef | null;
}

/** A member the file is for, before anything went to it (a file of `size` bytes; `late`: see Recipient). */
export function newRecipient(member: MemberHandle, size: number, late = false): Recipient {
  return {
    member,
    state: 'waiting',
    note: null,
    unsent: false,
    waitsFor: null,
    held: null,
    acked: 0,
    arrived: 0,
    meter: createProgressMeter(size),
    speed: 0,
    from: 0,
    starts: 0,
    channel: null,
    pump: null,
    awayTimer: null,
    late,
  };
}

/**
 * Over for every recipient, once hashed (or cancelled, or found unreadable): the record can go,
 * unless it is shared with those who join later (Sent.shared).
 */
export function over(record: Sent): boolean {
  const settled = record.sha256 !== null || record.cancelled || record.unreadable;
  return settled && [...record.recipients.values()].every((r) => isFinal(r.state));
}
