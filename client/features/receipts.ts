// Delivery and read receipts. For our own lines: who was meant to get each line, who has it
// (the chat's acks) and who saw it on a visible screen (their read receipts). For the lines
// of others: which ones we saw, sent back to each author in batches.
import { MAX_READ_IDS } from '../../protocol/index.ts';
import { createSlot, defineFeature, type MemberHandle } from '../feature.ts';
import { createRateCap, type RateCap } from '../rate-cap.ts';

/** Receipts kept for this many of our latest lines; older lines keep what they show. */
const MAX_TRACKED_LINES = 2_000;
/** Lines seen together (scrolling, a burst) are reported together. */
const READ_BATCH_DELAY_MS = 150;
/** Read receipts obeyed per member per second: an honest reader sends a few. */
const READ_CAP_PER_SECOND = 20;

export type ReceiptState = 'sent' | 'delivered-some' | 'delivered-all' | 'read';

export interface Receipt {
  state: ReceiptState;
  /** Members the line was written to (minus those that left without getting it). */
  recipients: number;
  delivered: number;
  read: number;
}

interface OwnLine {
  recipients: Set<string>;
  delivered: Set<string>;
  read: Set<string>;
}

export function receiptOf(line: OwnLine): Receipt {
  const recipients = line.recipients.size;
  const delivered = line.delivered.size;
  const read = line.read.size;
  let state: ReceiptState = 'sent';
  if (read > 0) state = 'read';
  else if (recipients > 0 && delivered >= recipients) state = 'delivered-all';
  else if (delivered > 0) state = 'delivered-some';
  return { state, recipients, delivered, read };
}

export function receiptText(receipt: Receipt): string {
  switch (receipt.state) {
    case 'sent':
      return 'sent';
    case 'delivered-some':
      return `delivered to ${receipt.delivered} of ${receipt.recipients}`;
    case 'delivered-all':
      return 'delivered to all';
    case 'read':
      return `read by ${receipt.read}`;
  }
}

interface ReceiptPeerState {
  cap: RateCap;
  /** Lines of this member we saw and have not reported yet. */
  readDue: string[];
}

export interface ReceiptsOptions {
  member(id: string): MemberHandle | undefined;
  changed(lineId: string, receipt: Receipt): void;
  now?: () => number;
}

export function createReceipts({ member: memberById, changed, now = () => performance.now() }: ReceiptsOptions) {
  const receiptSlot = createSlot<ReceiptPeerState>('receipts', () => ({
    cap: createRateCap(READ_CAP_PER_SECOND, 1_000, now),
    readDue: [],
  }));
  const own = new Map<string, OwnLine>();
  const readTimers = new Map<MemberHandle, ReturnType<typeof setTimeout>>();

  const report = (lineId: string, line: OwnLine) => changed(lineId, receiptOf(line));

  function sendReads(member: MemberHandle): void {
    // Also run at once when the channel opens: the batch's timer then has nothing left to do.
    clearTimeout(readTimers.get(member));
    readTimers.delete(member);
    if (member.disposed) return;
    const due = member.slot(receiptSlot).readDue;
    while (due.length > 0) {
      const ids = due.slice(0, MAX_READ_IDS);
      // Not open now: kept, and sent when the channel opens again.
      if (!member.send({ t: 'receipt:read', ids })) return;
      due.splice(0, ids.length);
    }
  }

  const feature = defineFeature({
    name: 'receipts',
    types: ['receipt:read'],
    receive(member, message) {
      if (!member.slot(receiptSlot).cap.allow()) return;
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
      if (member.slot(receiptSlot).readDue.length > 0) sendReads(member);
    },
    removed(member) {
      const timer = readTimers.get(member);
      if (timer !== undefined) clearTimeout(timer);
      readTimers.delete(member);
      // It left without our line: "delivered to all" means all who are still here.
      for (const [id, line] of own) {
        if (line.recipients.has(member.id) && !line.delivered.has(member.id)) {
          line.recipients.delete(member.id);
          report(id, line);
        }
      }
    },
  });

  return {
    feature,
    /** We wrote a line to these members. */
    sent(lineId: string, recipients: Iterable<string>): void {
      const line: OwnLine = { recipients: new Set(recipients), delivered: new Set(), read: new Set() };
      own.set(lineId, line);
      if (own.size > MAX_TRACKED_LINES) {
        const oldest = own.keys().next();
        if (!oldest.done) own.delete(oldest.value);
      }
      report(lineId, line);
    },
    /** The chat's ack: this member has our line. */
    delivered(lineId: string, member: MemberHandle): void {
      const line = own.get(lineId);
      if (!line?.recipients.has(member.id) || line.delivered.has(member.id)) return;
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
    /** The receipt of one of our lines (tests, debug handle). */
    receipt(lineId: string): Receipt | null {
      const line = own.get(lineId);
      return line ? receiptOf(line) : null;
    },
  };
}

export type Receipts = ReturnType<typeof createReceipts>;
