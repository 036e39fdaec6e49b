// Files other members send us: one record per offer, kept in the sender's member slot (so it
// goes with the member) while the transfer is offered or running, and dropped once it is over
// (its line on the page says how it ended). Small files are taken at once until a member's
// budget of them is spent, larger ones (and any past the budget) wait for accept. Taken is
// not started: at most `concurrent` from one member run at a time, and the rest wait their
// turn on this page, in order of offer, each accepted as one before it ends (turns.ts); up to
// MAX_PENDING_OFFERS offered or running from one member, any more refused with a reason. The
// bytes arrive on the channel the sender opens for the transfer; a cut channel is asked to
// resume from the last byte received, and a reload of the tab goes on from the last byte
// stored, once the sender offers the file again (unfinished.ts).
// This module is the handle the files feature uses, its parts wired together; each part is in
// a module of its own:
//   receiving-record.ts       a file a member sends us, and the member's slot of them;
//   receiving-offers.ts       an offer: known already, refused, or a new record and its line;
//   receiving-auto-accept.ts  which offers are taken without a click (the member's budget, the page's);
//   receiving-turns.ts        when each taken file starts, `concurrent` at a time, in order of offer;
//   receiving-channel.ts      the channel that brings its bytes: asked for, taken, resumed;
//   receiving-states.ts       where it stands, how it ends, and what its sender was told.
import {
  MAX_RUNNING_TRANSFERS,
  type MessageOf,
  reasonFromSender,
  type SenderCancelReason,
} from '../../protocol/index.ts';
import type { MemberHandle } from '../feature.ts';
import type { KeptFiles } from './kept.ts';
import type { ShowFileLine } from './line.ts';
import { type AutoAcceptOptions, createAutoAccept } from './receiving-auto-accept.ts';
import { createChannels } from './receiving-channel.ts';
import { createOffers } from './receiving-offers.ts';
import { receiveSlot } from './receiving-record.ts';
import { createStates } from './receiving-states.ts';
import { createTurns } from './receiving-turns.ts';
import type { StoreOpener } from './store.ts';
import type { UnfinishedFiles } from './unfinished.ts';

/** Transfers from one member running at a time, by default. */
export const DEFAULT_CONCURRENT_TRANSFERS = MAX_RUNNING_TRANSFERS;

/**
 * What a received file's line says when its sender stopped it, by the sender's name: for want
 * of the file, or "cancelled by Bob". Only a sender's reasons: one only a receiver gives (our
 * storage failed) is the sender cancelling.
 */
const SENDER_STOPPED: Record<SenderCancelReason, (name: string) => string> = {
  cancelled: (name) => `cancelled by ${name}`,
  // Its page was reloaded (the file went with it), or, on a page older than
  // FILE_UNREADABLE_VERSION, could no longer read it.
  unavailable: (name) => `cancelled: ${name} no longer has the file`,
  unreadable: (name) => `cancelled: ${name} could no longer read the file`,
};

/**
 * Besides these, acceptLimit and autoAcceptBudget: which offers are taken without a click
 * (receiving-auto-accept.ts).
 */
export interface ReceivingOptions extends AutoAcceptOptions {
  selfId(): string;
  showLine: ShowFileLine;
  openStore: StoreOpener;
  /** Files received to disk, listed for this tab's next load (kept.ts); none: not listed. */
  kept?: Pick<KeptFiles, 'add' | 'forget' | 'has'>;
  /** Files taken and not over, listed for this tab's next load to go on with (unfinished.ts); none: not listed. */
  unfinished?: UnfinishedFiles;
  concurrent?: number;
  /** A line in the chat about a member (refused offers). */
  notice(member: MemberHandle, text: string): void;
  /** The offers' clock (receiving-offers.ts; tests); performance.now by default. */
  now?: () => number;
}

export function createReceiving(options: ReceivingOptions) {
  const concurrent = options.concurrent ?? DEFAULT_CONCURRENT_TRANSFERS;
  const unfinished = options.unfinished ? { unfinished: options.unfinished } : {};
  /** The page is going (pagehide): what is under way stays as it stands, for the tab's next load. */
  let leaving = false;
  /** Which offers are taken without a click, against each member's budget and the page's (receiving-auto-accept.ts). */
  const autoAccept = createAutoAccept(options);
  /** The channels that bring each transfer's bytes: asked for, taken, resumed (receiving-channel.ts). */
  const channels = createChannels({
    stop: (member, record, status, tell) => states.stop(member, record, status, tell),
  });
  /** Where each transfer stands, how it ends, and what the sender was told of it (receiving-states.ts). */
  const states = createStates({
    ...(options.kept ? { kept: options.kept } : {}),
    ...unfinished,
    channels,
    ended: (member) => turns.next(member),
  });
  /** When each taken file starts, in order of offer, `concurrent` at a time (receiving-turns.ts). */
  const turns = createTurns({ concurrent, openStore: options.openStore, states, channels, ...unfinished });
  /** The offers' clock, and when a member's chat channel first opened by it. */
  const clock = options.now ?? (() => performance.now());
  /** An offer from a member: known already, refused, or a new transfer's record and line (receiving-offers.ts). */
  const offer = createOffers({
    selfId: options.selfId,
    showLine: options.showLine,
    notice: options.notice,
    ...(options.kept ? { kept: options.kept } : {}),
    ...unfinished,
    autoAccept,
    turns,
    states,
    channels,
    now: clock,
  });

  return {
    receive(member: MemberHandle, message: MessageOf<'file:offer' | 'file:cancel'>): void {
      if (message.t === 'file:offer') {
        offer(member, message);
        return;
      }
      const record = member.slot(receiveSlot).transfers.get(message.id);
      const why = SENDER_STOPPED[reasonFromSender(message.reason)](member.name);
      if (record) states.stop(member, record, why, null);
    },
    take: channels.take,
    /**
     * The chat channel is open (the first time, or again): our answers that found it down go,
     * and transfers cut with it continue where they stopped.
     */
    opened(member: MemberHandle): void {
      // The first time: files sent to the room before we joined are offered now (receiving-offers.ts).
      member.slot(receiveSlot).openedAt ??= clock();
      states.opened(member);
      channels.opened(member);
    },
    /** The member is shut out (held, or without the room key): nothing more is taken from it. */
    shut(member: MemberHandle): void {
      for (const record of [...member.slot(receiveSlot).transfers.values()]) {
        states.stop(member, record, `cancelled: this page hears nothing more from ${member.name}`, 'cancelled');
      }
    },
    /**
     * The page goes (pagehide), its links closing: transfers under way are not cancelled with
     * them (their members removed), but left as they stand, their bytes on disk and listed
     * (unfinished.ts), for the tab's next load to go on with if it is a reload.
     */
    leave(): void {
      leaving = true;
    },
    removed(member: MemberHandle): void {
      if (leaving) return;
      for (const record of [...member.slot(receiveSlot).transfers.values()]) {
        states.stop(member, record, `cancelled: ${member.name} left`, null);
      }
    },
    /** Transfers from this member still offered or running (tests). */
    held(member: MemberHandle): number {
      return member.slot(receiveSlot).transfers.size;
    },
  };
}
