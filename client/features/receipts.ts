// Delivery and read receipts. For our own lines: who was meant to get each line, who has it
// (the chat's acks) and who saw it on a visible screen (their read receipts). For the lines
// of others: which ones we saw, sent back to each author in batches.
//
// Nothing acknowledges a read receipt. On a direct channel it arrives unless the channel closes
// under it (what was not sent yet goes when it opens again; what was in its buffer is lost, as
// before: rare, and not worth a resend on every link). A relay can drop one
// while our route through it stays up (over its rate, its link down, or on purpose), so what
// went through a relay is sent again: whenever the route (re)opens, and a few times while it
// stays, RELAYED_READ_RETRY_MS apart and doubling. The author counts each reader once, so a
// copy changes nothing. (An ack would be a new message type that members on the current
// version never send, and reached only through a relay a member's version is not known: the
// resends would be needed all the same.)
import { MAX_READ_IDS } from '../../protocol/index.ts';
import { dropOldest } from '../bounded.ts';
import { createSlot, defineFeature, GONE_FOR_GOOD, type MemberHandle } from '../feature.ts';
import { createRateCap, type RateCap } from '../rate-cap.ts';
import { createReceiptKeeping } from './receipts-keeping.ts';
import type { ReceiptStore } from './receipts-kept.ts';
import { type OwnLine, type Receipt, receiptOf } from './receipts-line.ts';
import { createReceiptNames } from './receipts-names.ts';

export { KEEP_DELAY_MS } from './receipts-keeping.ts';
export { type Receipt, type ReceiptState, receiptOf, receiptText } from './receipts-line.ts';

/** Receipts kept for this many of our latest lines; older lines keep what they show. */
const MAX_TRACKED_LINES = 2_000;
/** Lines seen together (scrolling, a burst) are reported together. */
const READ_BATCH_DELAY_MS = 150;
/** Read receipts obeyed per member per second: an honest reader sends a few. */
const READ_CAP_PER_SECOND = 20;
/** Read receipts sent through a relay go again this long after, then twice as long, … */
export const RELAYED_READ_RETRY_MS = 5_000;
/** … this many times while the route stays (each route that opens sends them once more). */
export const RELAYED_READ_RESENDS = 3;

interface ReceiptPeerState {
  cap: RateCap;
  /** Lines of this member we saw and have not reported yet. */
  readDue: string[];
  /** Reported through a relay, which may have dropped them: the newest MAX_READ_IDS. */
  unsure: string[];
  /** Resends of `unsure` so far on the current route, and the timer of the next one. */
  resends: number;
  retryTimer: ReturnType<typeof setTimeout> | null;
}

export interface ReceiptsOptions {
  member(id: string): MemberHandle | undefined;
  /** The line's receipt is now this; null: it has none any more (we deleted the line). */
  changed(lineId: string, receipt: Receipt | null): void;
  now?: () => number;
  /** Where our newest lines' receipts outlive a reload of the tab (receipts-kept.ts). */
  store?: ReceiptStore;
  /** Our peer id ('' until known): kept receipts are ours only under the same id. */
  selfId?(): string;
}

export function createReceipts({
  member: memberById,
  changed,
  now = () => performance.now(),
  store,
  selfId = () => '',
}: ReceiptsOptions) {
  const receiptSlot = createSlot<ReceiptPeerState>('receipts', () => ({
    cap: createRateCap(READ_CAP_PER_SECOND, 1_000, now),
    readDue: [],
    unsure: [],
    resends: 0,
    retryTimer: null,
  }));
  const own = new Map<string, OwnLine>();
  const readTimers = new Map<MemberHandle, ReturnType<typeof setTimeout>>();

  const names = createReceiptNames();
  const keeping = createReceiptKeeping({ store, selfId, names, tracked: () => own });
  const keepSoon = keeping.soon;

  const report = (lineId: string, line: OwnLine) => {
    changed(lineId, receiptOf(line));
    keepSoon();
  };

  function sendReads(member: MemberHandle): void {
    // Also run at once when the channel opens: the batch's timer then has nothing left to do.
    clearTimeout(readTimers.get(member));
    readTimers.delete(member);
    if (member.disposed) return;
    const state = member.slot(receiptSlot);
    const due = state.readDue;
    while (due.length > 0) {
      const ids = due.slice(0, MAX_READ_IDS);
      // Not open now: kept, and sent when the channel opens again.
      if (!member.send({ t: 'receipt:read', ids })) return;
      due.splice(0, ids.length);
      if (member.relayed) unsure(member, state, ids);
    }
  }

  /** These ids went through a relay: sent again later, in case it dropped them. */
  function unsure(member: MemberHandle, state: ReceiptPeerState, ids: readonly string[]): void {
    state.unsure.push(...ids);
    if (state.unsure.length > MAX_READ_IDS) state.unsure.splice(0, state.unsure.length - MAX_READ_IDS);
    state.resends = 0;
    if (state.retryTimer !== null) clearTimeout(state.retryTimer);
    state.retryTimer = setTimeout(() => resendUnsure(member), RELAYED_READ_RETRY_MS);
  }

  function resendUnsure(member: MemberHandle): void {
    if (member.disposed) return;
    const state = member.slot(receiptSlot);
    state.retryTimer = null;
    // No route now: `opened` sends them when there is one again.
    if (!member.relayed || state.unsure.length === 0) return;
    if (state.resends >= RELAYED_READ_RESENDS) {
      state.unsure = [];
      return;
    }
    // Kept when it cannot go now (the relay's queue is full): the next try, or `opened`.
    member.send({ t: 'receipt:read', ids: [...state.unsure] });
    state.resends += 1;
    state.retryTimer = setTimeout(() => resendUnsure(member), RELAYED_READ_RETRY_MS * 2 ** state.resends);
  }

  /** Our lines it did not get stop counting it (and, unless `privateToo`, not private ones). */
  function notRecipient(member: MemberHandle, privateToo: boolean): void {
    for (const [id, line] of own) {
      if (!line.recipients.has(member.id) || line.delivered.has(member.id)) continue;
      if (line.privately && !privateToo) continue;
      line.recipients.delete(member.id);
      line.missed.add(member.id);
      report(id, line);
    }
  }

  const feature = defineFeature({
    name: 'receipts',
    types: ['receipt:read'],
    receive(member, message) {
      if (!member.slot(receiptSlot).cap.allow()) return;
      names.learn(member);
      for (const id of message.ids) {
        const line = own.get(id);
        // Only a member we wrote the line to can have read it; anything else is ignored.
        if (!line?.recipients.has(member.id) || line.read.has(member.id)) continue;
        line.read.add(member.id);
        line.delivered.add(member.id);
        report(id, line);
      }
    },
    opened(member) {
      const state = member.slot(receiptSlot);
      if (state.unsure.length > 0) {
        // A new route (or the direct link back): what a relay may have dropped goes on it,
        // first. Through a relay again, it stays unsure; on a direct channel it arrives.
        state.readDue.unshift(...state.unsure);
        state.unsure = [];
      }
      if (state.readDue.length > 0) sendReads(member);
    },
    shut(member) {
      // It will get nothing more from us: "delivered to all" means all we still send to.
      notRecipient(member, true);
    },
    removed(member, reason) {
      const timer = readTimers.get(member);
      if (timer !== undefined) clearTimeout(timer);
      readTimers.delete(member);
      const { retryTimer } = member.slot(receiptSlot);
      if (retryTimer !== null) clearTimeout(retryTimer);
      names.learn(member); // the name it left under
      // It left without our line: "delivered to all" means all who are still here. A private
      // line waits for its one recipient to come back (chat-orphans.ts keeps it for a reload),
      // unless it cannot come back to it: we got a new id (the chat drops the line then).
      notRecipient(member, member.shut || GONE_FOR_GOOD.has(reason));
    },
  });

  return {
    feature,
    /**
     * We wrote a line to these members (`privately`: a private line, to one member; `queued`:
     * while we seemed offline).
     */
    sent(lineId: string, recipients: Iterable<string>, privately = false, queued = false): void {
      const line: OwnLine = {
        recipients: new Set(recipients),
        delivered: new Set(),
        read: new Set(),
        missed: new Set(),
        privately,
        queued,
        at: Date.now(),
      };
      for (const id of line.recipients) names.learn(memberById(id));
      own.set(lineId, line);
      dropOldest(own, MAX_TRACKED_LINES);
      report(lineId, line);
    },
    /** We are back from seeming offline: lines written meanwhile are on their way now. */
    back(): void {
      for (const [lineId, line] of own) {
        if (!line.queued) continue;
        line.queued = false;
        report(lineId, line);
      }
    },
    /**
     * We deleted our line: it goes to nobody any more (chat.ts withdraw), so a member still
     * without it would be waited for for good ("delivered to 2 of 3" for ever). It stops
     * counting and carries no receipt: what reached whom says nothing of a line that is gone.
     */
    withdrawn(lineId: string): void {
      keeping.drop(lineId);
      if (!own.delete(lineId)) return;
      keepSoon();
      changed(lineId, null);
    },
    /** The chat's ack: this member has our line. */
    delivered(lineId: string, member: MemberHandle): void {
      const line = own.get(lineId);
      if (!line?.recipients.has(member.id) || line.delivered.has(member.id)) return;
      names.learn(member);
      line.delivered.add(member.id);
      report(lineId, line);
    },
    /** We saw a line of `authorId` on a visible screen: tell its author (once per line). */
    read(authorId: string, lineId: string): void {
      const author = memberById(authorId);
      if (!author || author.disposed) return;
      const due = author.slot(receiptSlot).readDue;
      due.push(lineId);
      if (due.length > MAX_TRACKED_LINES) due.shift();
      if (!readTimers.has(author))
        readTimers.set(
          author,
          setTimeout(() => sendReads(author), READ_BATCH_DELAY_MS),
        );
    },
    /**
     * Our line came back with history after a reload of the tab: its receipt is as the earlier
     * page kept it, if it kept one (false: none), and it counts from here on. A member it was
     * written to that is no longer here and did not get it went without it meanwhile.
     */
    restore(lineId: string, at: number): boolean {
      // Shown again (a better copy replaced the first): the receipt it has, for its new note.
      const known = own.get(lineId);
      if (known) {
        report(lineId, known);
        return true;
      }
      const saved = keeping.take(lineId);
      if (!saved) return false;
      const line: OwnLine = {
        recipients: new Set(saved.to),
        delivered: new Set(saved.got),
        read: new Set(saved.read),
        missed: new Set(saved.missed),
        privately: saved.privately === true,
        at,
      };
      for (const id of saved.to) {
        const member = memberById(id);
        if (line.delivered.has(id) || (member && !member.disposed && !member.shut)) continue;
        line.recipients.delete(id);
        line.missed.add(id);
      }
      own.set(lineId, line);
      dropOldest(own, MAX_TRACKED_LINES);
      report(lineId, line);
      return true;
    },
    /** Keeps what the receipts say now, before the page goes (pagehide): not KEEP_DELAY_MS later. */
    keep: keeping.now,
    /** The name a member our lines went to had when we last knew it (here or gone), if we did. */
    nameOf: names.of,
    /** The receipt of one of our lines (tests, debug handle). */
    receipt(lineId: string): Receipt | null {
      const line = own.get(lineId);
      return line ? receiptOf(line) : null;
    },
  };
}

export type Receipts = ReturnType<typeof createReceipts>;
