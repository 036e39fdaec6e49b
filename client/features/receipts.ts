// Delivery and read receipts. For our own lines: who was meant to get each line, who has it
// (the chat's acks) and who saw it on a visible screen (their read receipts). For the lines
// of others: which ones we saw, sent back to each author in batches.
// This module is the feature and the handle the page uses; its parts, each in a module of its own:
//   receipts-line.ts      one of our lines as the receipts see it, and the receipt it has, in words;
//   receipts-tracked.ts   our lines and how far each got: written to, delivered, read, missed;
//   receipts-names.ts     the name of each member our lines went to, as we last knew it;
//   receipts-keeping.ts   our lines' receipts written for the tab's next load, and taken back;
//   receipts-kept.ts      what is kept across a reload of the tab, and read back;
//   receipts-reads.ts     our read receipts for others' lines, batched per author;
//   receipts-relayed.ts   those that went through a relay, sent again in case it dropped them.
import { createSlot, defineFeature, GONE_FOR_GOOD, type MemberHandle } from '../feature.ts';
import { createRateCap } from '../rate-cap.ts';
import { createReceiptKeeping } from './receipts-keeping.ts';
import type { ReceiptStore } from './receipts-kept.ts';
import type { Receipt } from './receipts-line.ts';
import { createReceiptNames } from './receipts-names.ts';
import { createReadReceipts } from './receipts-reads.ts';
import { createRelayedReads } from './receipts-relayed.ts';
import { createTrackedLines } from './receipts-tracked.ts';

export { KEEP_DELAY_MS } from './receipts-keeping.ts';
export { type Receipt, type ReceiptState, receiptOf, receiptText } from './receipts-line.ts';
export { RELAYED_READ_RESENDS, RELAYED_READ_RETRY_MS } from './receipts-relayed.ts';

/** Read receipts obeyed per member per second: an honest reader sends a few. */
const READ_CAP_PER_SECOND = 20;

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
  const capSlot = createSlot('receipts:cap', () => createRateCap(READ_CAP_PER_SECOND, 1_000, now));
  const names = createReceiptNames();
  const keeping = createReceiptKeeping({ store, selfId, names, tracked: () => tracked.all() });
  const tracked = createTrackedLines({ member: memberById, changed, names, keeping });
  const relayed = createRelayedReads();
  const reads = createReadReceipts({ member: memberById, relayed });

  const feature = defineFeature({
    name: 'receipts',
    types: ['receipt:read'],
    receive(member, message) {
      if (!member.slot(capSlot).allow()) return;
      names.learn(member);
      tracked.readBy(member, message.ids);
    },
    opened: reads.opened,
    shut(member) {
      // It will get nothing more from us: "delivered to all" means all we still send to.
      tracked.notRecipient(member, true);
    },
    removed(member, reason) {
      reads.removed(member);
      relayed.removed(member);
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
    /** We saw a line of `authorId` on a visible screen: tell its author, in a batch (receipts-reads.ts). */
    read: reads.read,
    /** Keeps what the receipts say now, before the page goes (pagehide): not KEEP_DELAY_MS later. */
    keep: keeping.now,
    /** The name a member our lines went to had when we last knew it (here or gone), if we did. */
    nameOf: names.of,
  };
}

export type Receipts = ReturnType<typeof createReceipts>;
