// What goes to one member about our files, in turn: the offers, at most so many offered or
// running at once (turns.ts: every file to a member whose hello said FILE_QUEUE_VERSION,
// `concurrent` at a time to an older one, the rest waiting here); the accepts that came while
// `concurrent` ran, started as those end; and the cancels, said again when the link is back.
// An offer to a member that joined after the file was sent says when it was (sending-shared.ts);
// one of a file sent as a reply, the line it answers, to a member that takes it.
import { FILE_REPLY_VERSION, FILE_UNREADABLE_VERSION, type SenderCancelReason } from '../../protocol/index.ts';
import { createSlot, type MemberHandle, speaks } from '../feature.ts';
import type { Recipient, Sent } from './sending-record.ts';
import { takesEarlierFiles } from './sending-shared.ts';
import { due, offersAtOnce } from './turns.ts';

/**
 * Per member: our transfers to it that are offered or running, those waiting a turn, and the
 * cancels that found the link down (said again when it is back: the receiver would
 * otherwise wait for a file, or ask to accept one, that will never come).
 */
const sendSlot = createSlot('files:send', () => ({
  active: new Set<string>(),
  queue: [] as string[],
  untold: new Map<string, SenderCancelReason>(),
}));

/**
 * Whether the member takes an offer's `re` (FILE_REPLY_VERSION): not one whose hello said an
 * older version, whose strict schema would refuse the whole offer, nor one that said none yet
 * (files go on a direct link, whose hello comes first: turns.ts). It gets the file without
 * the quote.
 */
export const takesFileReplies = (member: Pick<MemberHandle, 'version'>): boolean =>
  speaks(member, FILE_REPLY_VERSION, false);

/**
 * A cancel as the member's page takes it: `unreadable` only to one whose hello said
 * FILE_UNREADABLE_VERSION (an older page's strict schema would drop the whole cancel, and its
 * line wait for bytes that never come); `unavailable` to any other, which is true too.
 */
const cancelFor = (member: MemberHandle, reason: SenderCancelReason): SenderCancelReason =>
  reason === 'unreadable' && !speaks(member, FILE_UNREADABLE_VERSION, false) ? 'unavailable' : reason;

export interface OffersOptions {
  concurrent: number;
  /** Our record of the file with this id, while it is held (sending.ts). */
  record(id: string): Sent | undefined;
  /** An accept held while `concurrent` ran: its turn has come (sending-recipients.ts start). */
  start(record: Sent, recipient: Recipient, from: number): void;
  /** Shows where the record stands (sending.ts). */
  refresh(record: Sent): void;
}

export function createOffers(options: OffersOptions) {
  const { concurrent } = options;

  function offerNext(member: MemberHandle): void {
    const slot = member.slot(sendSlot);
    const limit = offersAtOnce(member, concurrent);
    while (slot.active.size < limit && slot.queue.length > 0) {
      const id = slot.queue.shift() as string;
      const record = options.record(id);
      const recipient = record?.recipients.get(member.id);
      if (!record || record.sha256 === null || recipient?.state !== 'waiting') continue;
      slot.active.add(id);
      recipient.state = 'offered';
      offer(member, record);
    }
    for (const id of slot.active) {
      const record = options.record(id);
      if (record) options.refresh(record);
    }
  }

  function offer(member: MemberHandle, record: Sent): void {
    const { file } = record;
    if (record.sha256 === null) return;
    const to = record.to === null ? {} : { to: record.to };
    const recipient = record.recipients.get(member.id);
    // It joined after the file was sent: when that was, for its page to place the line.
    const at = recipient?.late && takesEarlierFiles(member) ? { at: record.at } : {};
    const re = record.re !== null && takesFileReplies(member) ? { re: record.re } : {};
    // If it cannot go now it goes when the channel opens (see opened); the line says so meanwhile.
    const sent = member.send({
      t: 'file:offer',
      id: record.id,
      name: file.name,
      size: file.size,
      type: file.type,
      sha256: record.sha256,
      ...to,
      ...at,
      ...re,
    });
    if (recipient) {
      recipient.unsent = !sent;
      recipient.waitsFor = null; // said again by its page, if it still waits
    }
  }

  /** This member's recipient entries for our transfers offered or running to it, in order of offer. */
  function activeWith(member: MemberHandle): Array<[Sent, Recipient]> {
    const entries: Array<[Sent, Recipient]> = [];
    for (const id of member.slot(sendSlot).active) {
      const record = options.record(id);
      const recipient = record?.recipients.get(member.id);
      if (record && recipient?.member === member) entries.push([record, recipient]);
    }
    return entries;
  }

  const running = ([, recipient]: [Sent, Recipient]): boolean => recipient.state === 'transferring';

  /** Accepts held while `concurrent` transfers ran (Recipient.held) start, as many as there is room for. */
  function startHeld(member: MemberHandle): void {
    const held = ([, recipient]: [Sent, Recipient]) => recipient.state === 'offered' && recipient.held !== null;
    for (const [record, recipient] of due(activeWith(member), running, held, concurrent)) {
      if (recipient.state === 'offered' && recipient.held !== null) options.start(record, recipient, recipient.held);
    }
  }

  return {
    /** The file is hashed: its turn with this member comes after those queued before it (next). */
    queue(member: MemberHandle, id: string): void {
      member.slot(sendSlot).queue.push(id);
    },
    /** Offers what waits, while the member takes more at once; the lines of those offered or running are shown. */
    next: offerNext,
    /** `concurrent` transfers run to this member: an accept that comes now waits (Recipient.held). */
    busy(member: MemberHandle): boolean {
      return activeWith(member).filter(running).length >= concurrent;
    },
    /** Our transfer `id` to this member is over for it: the next, held or waiting, takes its place. */
    ended(member: MemberHandle, id: string): void {
      if (member.disposed) return;
      member.slot(sendSlot).active.delete(id);
      startHeld(member);
      offerNext(member);
    },
    /** Tells the member the transfer is off, now or once the link is back. */
    tellCancel(member: MemberHandle, id: string, reason: SenderCancelReason): void {
      if (!member.send({ t: 'file:cancel', id, reason: cancelFor(member, reason) }) && !member.disposed)
        member.slot(sendSlot).untold.set(id, reason);
    },
    /**
     * The chat channel is open (again): the cancels that found it down go, and the offers of
     * transfers offered or running go again (see opened in sending.ts).
     */
    opened(member: MemberHandle): void {
      const { untold } = member.slot(sendSlot);
      for (const [id, reason] of [...untold])
        if (member.send({ t: 'file:cancel', id, reason: cancelFor(member, reason) })) untold.delete(id);
      for (const id of member.slot(sendSlot).active) {
        const record = options.record(id);
        const state = record?.recipients.get(member.id)?.state;
        if (record && (state === 'offered' || state === 'transferring')) offer(member, record);
      }
    },
  };
}

export type Offers = ReturnType<typeof createOffers>;
