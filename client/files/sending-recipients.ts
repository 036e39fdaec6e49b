// Where each recipient of a file we send stands, and how it moves: started from the byte its
// page accepted (a channel of its own, sending-channel.ts), ended (its place going to the next,
// sending-offers.ts), stopped from this side with the reason its status gives (one, or all that
// do not have the file yet), away while the file is held for its return, and back under the
// same peer id.
import { MAX_TRANSFER_RESUMES, type SenderCancelReason } from '../../protocol/index.ts';
import type { MemberHandle } from '../feature.ts';
import { type FileState, isFinal } from './line.ts';
import type { Channels } from './sending-channel.ts';
import type { Offers } from './sending-offers.ts';
import type { Recipient, Sent } from './sending-record.ts';

/**
 * A recipient that left before the file was over for it (a reload, a dropped link) is offered
 * it again if it is back under the same peer id within this long: its reloaded page takes it
 * again without asking and accepts it from the bytes it stored before the reload
 * (unfinished.ts), as a page whose link only dropped resumes where it stopped
 * (receiving-channel.ts). The file is held meanwhile; a cancel ends the wait.
 */
export const AWAY_MS = 10 * 60_000;

/** A recipient whose page put on the transfer's channel what no page does (pump.ts), as its status says it. */
const REFUSED_TEXT = 'stopped: its page sent what no page sends';

/** A recipient that asked for the file over again more often than a dropping link makes a page ask. */
const RESTARTED_TEXT = 'stopped: it asked for the file over and over';
/**
 * Channels started for one recipient of a file, at most: the first and the receiver's
 * MAX_TRANSFER_RESUMES, twice over, since a drop may bring its ask twice (its resume, and its
 * answer to the offer said again when the link is back, if the channel closed meanwhile).
 */
const MAX_STARTS = 2 * (1 + MAX_TRANSFER_RESUMES);

export interface RecipientsOptions {
  offers: Pick<Offers, 'ended' | 'tellCancel'>;
  channels: Pick<Channels, 'open' | 'close'>;
  /** Shows where the record stands (sending.ts). */
  refresh(record: Sent): void;
}

export function createRecipients(options: RecipientsOptions) {
  const { offers, channels } = options;

  /** Its pump and channel stop, and its wait for a return (away), if any. */
  function halt(recipient: Recipient): void {
    if (recipient.awayTimer !== null) clearTimeout(recipient.awayTimer);
    recipient.awayTimer = null;
    channels.close(recipient);
  }

  function end(record: Sent, recipient: Recipient, state: FileState): void {
    if (isFinal(recipient.state)) return;
    recipient.state = state;
    halt(recipient);
    offers.ended(recipient.member, record.id);
    options.refresh(record);
  }

  /** The recipient's page accepted from byte `from`: a channel of its own goes (again) from there. */
  function start(record: Sent, recipient: Recipient, from: number): void {
    recipient.held = null;
    if (++recipient.starts > MAX_STARTS) {
      recipient.note = RESTARTED_TEXT;
      offers.tellCancel(recipient.member, record.id, 'cancelled');
      end(record, recipient, 'cancelled');
      return;
    }
    recipient.state = 'transferring';
    recipient.waitsFor = null;
    channels.open(record, recipient, from);
    options.refresh(record);
  }

  /**
   * Stopped from this side, `note` saying why after its name: its page is told (`reason`),
   * unless nothing went to it yet ('waiting'), now or once the link is back.
   */
  function stop(record: Sent, recipient: Recipient, note: string, reason: SenderCancelReason = 'cancelled'): void {
    if (recipient.state !== 'waiting') offers.tellCancel(recipient.member, record.id, reason);
    recipient.note = note;
    end(record, recipient, 'cancelled');
  }

  /**
   * Stopped from this side, every recipient that does not have the file yet (Cancel, Stop
   * sharing while a newcomer's transfer runs, or the file unreadable): said of what became of
   * the file for each, not "Bob cancelled": they did nothing. Their pages are told `reason`.
   */
  function stopUnfinished(record: Sent, reason: SenderCancelReason = 'cancelled'): void {
    for (const recipient of record.recipients.values()) {
      if (isFinal(recipient.state)) continue;
      stop(record, recipient, recipient.state === 'transferring' ? 'stopped partway' : 'not sent', reason);
    }
  }

  /** It left before the file was over for it: held for its return (AWAY_MS), then over. */
  function goAway(record: Sent, recipient: Recipient): void {
    halt(recipient);
    recipient.state = 'away';
    recipient.awayTimer = setTimeout(() => {
      recipient.awayTimer = null;
      recipient.note = 'left';
      end(record, recipient, 'cancelled');
    }, AWAY_MS);
    options.refresh(record);
  }

  return {
    end,
    start,
    goAway,
    stop,
    stopUnfinished,
    /** Its page put on the transfer's channel what no page does (pump.ts): it gets nothing more. */
    refused(record: Sent, recipient: Recipient): void {
      recipient.note = REFUSED_TEXT;
      offers.tellCancel(recipient.member, record.id, 'cancelled');
      end(record, recipient, 'cancelled');
    },
    /**
     * The file could not be read while it went (moved, deleted or changed on its disk since it
     * was hashed): it goes to nobody more. Every recipient without it is stopped, its page told
     * why, and it is shared no more; the line says so (sending-line.ts). Each recipient said
     * "cancelled" before, as if they had, and newcomers went on being offered it.
     */
    unreadable(record: Sent): void {
      if (record.unreadable) return;
      record.unreadable = true;
      record.shared = false;
      stopUnfinished(record, 'unreadable');
      options.refresh(record);
    },
    /**
     * The member opened a link under the peer id of one of the record's recipients, on another
     * handle: if that recipient left before it had the file (away, or gone while it waited),
     * it becomes this member, waiting to be offered the file again (its page accepts it from
     * the byte it has). True when it did.
     */
    back(record: Sent, member: MemberHandle): boolean {
      const recipient = record.recipients.get(member.id);
      if (!recipient || record.cancelled || recipient.member === member) return false;
      const back = recipient.state === 'away' || (recipient.state === 'waiting' && recipient.member.disposed);
      if (!back) return false;
      halt(recipient);
      recipient.member = member;
      recipient.state = 'waiting';
      recipient.waitsFor = null;
      recipient.held = null;
      recipient.acked = 0;
      recipient.arrived = 0;
      recipient.from = 0;
      recipient.speed = 0;
      return true;
    },
  };
}

export type Recipients = ReturnType<typeof createRecipients>;
