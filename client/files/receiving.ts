// Files other members send us: one record per offer, kept in the sender's member slot (so it
// goes with the member) while the transfer is offered or running, and dropped once it is over
// (its line on the page says how it ended). Small files are taken at once until a member's
// budget of them is spent, larger ones (and any past the budget) wait for accept. Taken is
// not started: at most `concurrent` from one member run at a time, and the rest wait their
// turn here, in order of offer, each accepted as one before it ends (turns.ts); up to
// MAX_PENDING_OFFERS offered or running from one member, any more refused with a reason. The
// bytes arrive on the channel the sender opens for the transfer; a cut channel is asked to
// resume from the last byte received.
import {
  type FileOffer,
  MAX_PENDING_OFFERS,
  MAX_RUNNING_TRANSFERS,
  type MessageOf,
  sanitizeFileName,
} from '../../protocol/index.ts';
import type { MemberHandle } from '../feature.ts';
import type { KeptFiles } from './kept.ts';
import type { ShowFileLine } from './line.ts';
import { createProgressMeter } from './progress.ts';
import { type AutoAcceptOptions, createAutoAccept } from './receiving-auto-accept.ts';
import { createChannels } from './receiving-channel.ts';
import { type Received, receiveSlot } from './receiving-record.ts';
import { createStates } from './receiving-states.ts';
import { createTurns } from './receiving-turns.ts';
import type { StoreOpener } from './store.ts';

/** Transfers from one member running at a time, by default. */
export const DEFAULT_CONCURRENT_TRANSFERS = MAX_RUNNING_TRANSFERS;
/** One "refused" notice per member in this interval, however many offers it floods. */
const REFUSED_NOTICE_MS = 10_000;
/** Besides these, acceptLimit and autoAcceptBudget: which offers are taken without a click (receiving-auto-accept.ts). */
export interface ReceivingOptions extends AutoAcceptOptions {
  selfId(): string;
  showLine: ShowFileLine;
  openStore: StoreOpener;
  /** Files received to disk, listed for this tab's next load (kept.ts); none: not listed. */
  kept?: Pick<KeptFiles, 'add' | 'forget' | 'has'>;
  concurrent?: number;
  /** A line in the chat about a member (refused offers). */
  notice(member: MemberHandle, text: string): void;
}

export function createReceiving(options: ReceivingOptions) {
  const concurrent = options.concurrent ?? DEFAULT_CONCURRENT_TRANSFERS;
  /** Which offers are taken without a click, against each member's budget and the page's (receiving-auto-accept.ts). */
  const autoAccept = createAutoAccept(options);
  /** The channels that bring each transfer's bytes: asked for, taken, resumed (receiving-channel.ts). */
  const channels = createChannels({
    stop: (member, record, status, tell) => states.stop(member, record, status, tell),
  });
  /** Where each transfer stands, how it ends, and what the sender was told of it (receiving-states.ts). */
  const states = createStates({
    ...(options.kept ? { kept: options.kept } : {}),
    channels,
    ended: (member) => turns.next(member),
  });
  /** When each taken file starts, in order of offer, `concurrent` at a time (receiving-turns.ts). */
  const turns = createTurns({ concurrent, openStore: options.openStore, states, channels });

  function offer(member: MemberHandle, message: FileOffer): void {
    if (message.to !== undefined && message.to !== options.selfId()) return; // not ours
    const slot = member.slot(receiveSlot);
    const known = slot.transfers.get(message.id);
    if (known) {
      // Sent again after a reconnect: our answer is to come; or we asked for a channel that
      // has not come (our ask, or the channel, may have been lost with the link): ask again.
      // A transfer whose channel is here, or whose resume is on its way (askToResume, in
      // receiving-channel.ts), goes on.
      if (known.asked !== null && known.channel === null) channels.ask(member, known, known.asked.from);
      // Still waiting for a click, or its turn: say so again, in case that was lost with the link.
      turns.sayWaiting(member, known);
      return;
    }
    if (options.kept?.has(member.id, message.id)) {
      // Received before this tab was reloaded (its line is back: kept.ts), our answer lost
      // with the old page: the sender offers it again. Said again, not taken again.
      member.send({ t: 'file:done', id: message.id, result: 'verified' });
      return;
    }
    if (slot.ended.has(message.id)) {
      // Sent again after a reconnect, for a transfer that is over here: say again how it
      // ended, in case that was lost with the link (the sender would wait for it for good).
      const said = slot.ended.get(message.id);
      if (said) member.send(said);
      return;
    }
    if (slot.transfers.size >= MAX_PENDING_OFFERS) {
      member.send({ t: 'file:decline', id: message.id, reason: 'busy' });
      const now = performance.now();
      if (now - slot.lastRefusedNotice >= REFUSED_NOTICE_MS) {
        slot.lastRefusedNotice = now;
        options.notice(
          member,
          `${member.name} offered more than ${MAX_PENDING_OFFERS} files at once; the rest were refused (try again when these finish)`,
        );
      }
      return;
    }
    const { name, changed } = sanitizeFileName(message.name);
    const { size, sha256, type } = message;
    const record: Received = {
      id: message.id,
      offer: { size, sha256, type },
      name,
      state: 'offered',
      taken: false,
      incoming: null,
      channel: null,
      asked: null,
      meter: createProgressMeter(message.size, {
        trailing: (snapshot) => {
          if (record.state === 'transferring' && !record.incoming?.finished) record.line.progress(snapshot);
        },
      }),
      resumes: 0,
      answer: null,
      keep: {
        id: message.id,
        from: member.id,
        senderName: member.name,
        name,
        size,
        type,
        privateWith: message.to === undefined ? null : member.name,
        at: Date.now(),
      },
      line: options.showLine(
        {
          id: message.id,
          from: member.id,
          own: false,
          senderName: member.name,
          name,
          size: message.size,
          type: message.type,
          nameChanged: changed,
          privateWith: message.to === undefined ? null : member.name,
          privateWithId: message.to === undefined ? null : member.id,
        },
        {
          accept: () => turns.accept(member, record),
          decline: () => states.decline(member, record),
          cancel: () => states.stop(member, record, 'cancelled by you', 'cancelled'),
          gone() {
            if (record.state === 'offered') states.decline(member, record);
            else if (record.state === 'transferring' && (record.incoming?.received ?? 0) < record.offer.size) {
              states.stop(member, record, 'cancelled: its line is gone', 'cancelled');
            }
          },
        },
      ),
    };
    slot.transfers.set(message.id, record);
    const why = autoAccept.take(member, message.size);
    if (why === null) {
      turns.accept(member, record);
      return;
    }
    record.line.state('offered', `waiting for you to accept${why}`);
    record.line.ask(true);
    turns.sayWaiting(member, record);
  }

  return {
    receive(member: MemberHandle, message: MessageOf<'file:offer' | 'file:cancel'>): void {
      if (message.t === 'file:offer') {
        offer(member, message);
        return;
      }
      const record = member.slot(receiveSlot).transfers.get(message.id);
      // 'unavailable': its page was reloaded (the file went with it), or can no longer read it.
      const why =
        message.reason === 'unavailable'
          ? `cancelled: ${member.name} no longer has the file`
          : `cancelled by ${member.name}`;
      if (record) states.stop(member, record, why, null);
    },
    take: channels.take,
    /**
     * The chat channel is open again: our answers that found it down go, and transfers cut
     * with it continue where they stopped.
     */
    opened(member: MemberHandle): void {
      states.opened(member);
      channels.opened(member);
    },
    /** The member is shut out (held, or without the room key): nothing more is taken from it. */
    shut(member: MemberHandle): void {
      for (const record of [...member.slot(receiveSlot).transfers.values()]) {
        states.stop(member, record, `cancelled: this page hears nothing more from ${member.name}`, 'cancelled');
      }
    },
    removed(member: MemberHandle): void {
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
