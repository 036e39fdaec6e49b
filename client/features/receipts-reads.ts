// Our read receipts: the lines of others we saw on a visible screen, sent back to each author
// in batches. What went through a relay may go again (receipts-relayed.ts).
import { MAX_READ_IDS } from '../../protocol/index.ts';
import { createSlot, type MemberHandle } from '../feature.ts';
import type { RelayedReads } from './receipts-relayed.ts';
import { MAX_TRACKED_LINES } from './receipts-tracked.ts';

/** Lines seen together (scrolling, a burst) are reported together. */
const READ_BATCH_DELAY_MS = 150;

export interface ReadReceiptsOptions {
  member(id: string): MemberHandle | undefined;
  relayed: RelayedReads;
}

export function createReadReceipts({ member: memberById, relayed }: ReadReceiptsOptions) {
  /** Lines of this member we saw and have not reported yet. */
  const readDue = createSlot<string[]>('receipts:due', () => []);
  const readTimers = new Map<MemberHandle, ReturnType<typeof setTimeout>>();

  function sendReads(member: MemberHandle): void {
    // Also run at once when the channel opens: the batch's timer then has nothing left to do.
    clearTimeout(readTimers.get(member));
    readTimers.delete(member);
    if (member.disposed) return;
    const due = member.slot(readDue);
    while (due.length > 0) {
      const ids = due.slice(0, MAX_READ_IDS);
      // Not open now: kept, and sent when the channel opens again.
      if (!member.send({ t: 'receipt:read', ids })) return;
      due.splice(0, ids.length);
      if (member.relayed) relayed.unsure(member, ids);
    }
  }

  return {
    /** We saw a line of `authorId` on a visible screen: tell its author (once per line). */
    read(authorId: string, lineId: string): void {
      const author = memberById(authorId);
      if (!author || author.disposed) return;
      const due = author.slot(readDue);
      due.push(lineId);
      if (due.length > MAX_TRACKED_LINES) due.shift();
      if (!readTimers.has(author))
        readTimers.set(
          author,
          setTimeout(() => sendReads(author), READ_BATCH_DELAY_MS),
        );
    },
    /** A channel or route opened: what waits for it goes now. */
    opened(member: MemberHandle): void {
      const due = member.slot(readDue);
      const unsure = relayed.take(member);
      // A new route (or the direct link back): what a relay may have dropped goes on it,
      // first. Through a relay again, it stays unsure; on a direct channel it arrives.
      if (unsure.length > 0) due.unshift(...unsure);
      if (due.length > 0) sendReads(member);
    },
    /** The member is gone: its batch's timer stops. */
    removed(member: MemberHandle): void {
      const timer = readTimers.get(member);
      if (timer !== undefined) clearTimeout(timer);
      readTimers.delete(member);
    },
  };
}
