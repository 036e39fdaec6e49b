// An offer of a file from a member, if it is ours (not meant for another member). One we know
// already was sent again after a reconnect: what we said of it is said again, and a channel
// asked for and lost is asked for again. Up to MAX_PENDING_OFFERS from one member are offered
// or running at once; any more are refused with a reason, and a notice in the chat now and
// then. A new one gets its record and its line, and is taken without a click
// (receiving-auto-accept.ts) or waits for accept, its line and its sender told so; one this tab
// took before it was reloaded, and was still receiving, is taken again without a click (its
// bytes go on from those kept: unfinished.ts, receiving-turns.ts). One sent to
// the room before we joined (its offer says when: `at`) is taken by the same rules; only its
// line goes elsewhere, among the earlier lines by that time, if it comes as the link to its
// sender opens, when such offers are made (EARLIER_OFFERS_MS). One sent as a reply (`re`,
// checked by the parser as a chat line's is) shows its quote as a chat line does, and keeps it
// for a reload.
import { type FileOffer, MAX_PENDING_OFFERS, sanitizeFileName } from '../../protocol/index.ts';
import type { MemberHandle } from '../feature.ts';
import type { KeptFiles } from './kept.ts';
import type { ShowFileLine } from './line.ts';
import { createProgressMeter } from './progress.ts';
import type { AutoAccept } from './receiving-auto-accept.ts';
import type { Channels } from './receiving-channel.ts';
import { type Received, receiveSlot } from './receiving-record.ts';
import type { States } from './receiving-states.ts';
import { offered, type Turns } from './receiving-turns.ts';
import type { UnfinishedFiles } from './unfinished.ts';

/** One "refused" notice per member in this interval, however many offers it floods. */
const REFUSED_NOTICE_MS = 10_000;
/**
 * A sender offers the files it shares to a newcomer as its chat channel to it opens
 * (sending-shared.ts), all at once: an offer that says it was sent before we joined (`at`)
 * later than this after that channel first opened on this page is taken as sent now, its line
 * the newest and told as any. Believed at any time, a member could slip a file's line among
 * the earlier lines whenever it liked, dated as it liked and told to nobody; or, once those
 * lines went for good, put it nowhere, its file still taken.
 */
export const EARLIER_OFFERS_MS = 60_000;

export interface OffersOptions {
  selfId(): string;
  showLine: ShowFileLine;
  /** Files received before this tab was reloaded (kept.ts): an offer of one is answered, not taken. */
  kept?: Pick<KeptFiles, 'has'>;
  /** Files taken before this tab was reloaded, and not over (unfinished.ts): an offer of one is taken again without asking. */
  unfinished?: Pick<UnfinishedFiles, 'find'>;
  /** A line in the chat about a member (refused offers). */
  notice(member: MemberHandle, text: string): void;
  autoAccept: Pick<AutoAccept, 'take'>;
  turns: Pick<Turns, 'accept' | 'sayWaiting'>;
  states: Pick<States, 'decline' | 'stop'>;
  channels: Pick<Channels, 'ask'>;
  /** The clock of the notices' interval and of EARLIER_OFFERS_MS (tests); performance.now by default. */
  now?: () => number;
}

export function createOffers(options: OffersOptions) {
  const { autoAccept, turns, states, channels, now: clock = () => performance.now() } = options;

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
      const now = clock();
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
    const now = Date.now();
    // Sent to the room before we joined (sending-shared.ts): its line goes among the earlier
    // lines by that time, and so does the kept one after a reload. A time in our future was
    // never when it was sent (a clock far off, or a lie): taken as now, the end of the earlier
    // lines, where history places such a line. A past one is believed, as history's are; but
    // only as the link opens (EARLIER_OFFERS_MS), and only from a member that was here before
    // us: one that joined after us shared nothing with the room before we were in it.
    slot.openedAt ??= clock();
    const { at } = message;
    const earlier = at !== undefined && !member.cameAfterUs && clock() - slot.openedAt <= EARLIER_OFFERS_MS;
    const sharedAt = earlier ? Math.min(at, now) : null;
    const re = message.re === undefined ? {} : { re: message.re };
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
        at: sharedAt ?? now,
        ...re,
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
          ...(sharedAt === null ? {} : { sharedAt }),
          ...re,
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
    // Taken before the reload (with a click, or counted against the old page's budget then).
    const before = options.unfinished?.find(offered(member, record)) ?? null;
    const why = before === null ? autoAccept.take(member, message.size) : null;
    if (why === null) {
      turns.accept(member, record);
      return;
    }
    record.line.state('offered', `waiting for you to accept${why}`);
    record.line.ask(true);
    turns.sayWaiting(member, record);
  }

  return offer;
}
