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
import { createSlot, defineFeature, GONE_FOR_GOOD, type MemberHandle } from '../feature.ts';
import { createRateCap, type RateCap } from '../rate-cap.ts';
import { createReceiptKeeping } from './receipts-keeping.ts';
import type { ReceiptStore } from './receipts-kept.ts';
import type { Receipt } from './receipts-line.ts';
import { createReceiptNames } from './receipts-names.ts';
import { createTrackedLines, MAX_TRACKED_LINES } from './receipts-tracked.ts';

export { KEEP_DELAY_MS } from './receipts-keeping.ts';
export { type Receipt, type ReceiptState, receiptOf, receiptText } from './receipts-line.ts';

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
  const readTimers = new Map<MemberHandle, ReturnType<typeof setTimeout>>();

  const names = createReceiptNames();
  const keeping = createReceiptKeeping({ store, selfId, names, tracked: () => tracked.all() });
  const tracked = createTrackedLines({ member: memberById, changed, names, keeping });

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

  const feature = defineFeature({
    name: 'receipts',
    types: ['receipt:read'],
    receive(member, message) {
      if (!member.slot(receiptSlot).cap.allow()) return;
      names.learn(member);
      tracked.readBy(member, message.ids);
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
      tracked.notRecipient(member, true);
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
      tracked.notRecipient(member, member.shut || GONE_FOR_GOOD.has(reason));
    },
  });

  return {
    feature,
    // Our lines and how far each got (receipts-tracked.ts).
    sent: tracked.sent,
    back: tracked.back,
    withdrawn: tracked.withdrawn,
    delivered: tracked.delivered,
    restore: tracked.restore,
    receipt: tracked.receipt,
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
    /** Keeps what the receipts say now, before the page goes (pagehide): not KEEP_DELAY_MS later. */
    keep: keeping.now,
    /** The name a member our lines went to had when we last knew it (here or gone), if we did. */
    nameOf: names.of,
  };
}

export type Receipts = ReturnType<typeof createReceipts>;
