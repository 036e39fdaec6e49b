// Our lines a member left without acknowledging, kept for its return under the same peer id
// (its outbox, chat-outbox.ts, goes with the member): once it is back, they go to it first.
import type { MessageOf } from '../../protocol/index.ts';
import { dropOldest } from '../bounded.ts';
import { type DisposeReason, GONE_FOR_GOOD, type MemberHandle } from '../feature.ts';

type ChatMessage = MessageOf<'chat'>;

/**
 * Lines a member went without acknowledging are kept for its return under the same peer id
 * (a reload resumes it, and so does a page whose network was gone past the server's
 * heartbeat and the return grace), this long and this many. A private line is in no history;
 * and a page whose network dropped kept us as a member all along, so it does not ask for
 * history again: in the NAT lab, a phone back from an 80 s dead spot never got the 8 public
 * lines written to it meanwhile. The receiver drops the copies it has.
 */
const ORPHAN_KEEP_MS = 10 * 60_000;
const ORPHAN_LINES = 100;
const ORPHAN_MEMBERS = 64;

export interface ChatOrphans {
  /** A member came under this peer id: the lines kept for it, taken back, unless kept too long. */
  back(id: string): ChatMessage[] | null;
  /** The member went with these lines of ours not acknowledged: kept, if it may come back to them. */
  keep(member: MemberHandle, reason: DisposeReason, queue: readonly ChatMessage[]): void;
  /** Our line with this id was deleted: it is kept for no one any more. */
  withdraw(id: string): void;
}

export function createChatOrphans(clock: () => number): ChatOrphans {
  /** Per peer id: our lines it left without acknowledging (ORPHAN_KEEP_MS). */
  const orphans = new Map<string, { lines: ChatMessage[]; at: number }>();

  return {
    back(id) {
      const kept = orphans.get(id);
      if (!kept) return null;
      orphans.delete(id);
      return clock() - kept.at <= ORPHAN_KEEP_MS ? kept.lines : null;
    },
    keep(member, reason, queue) {
      const unacknowledged = queue.slice(-ORPHAN_LINES);
      if (unacknowledged.length === 0 || GONE_FOR_GOOD.has(reason) || member.shut) return;
      orphans.delete(member.id);
      orphans.set(member.id, { lines: unacknowledged, at: clock() });
      dropOldest(orphans, ORPHAN_MEMBERS);
    },
    withdraw(id) {
      for (const kept of orphans.values()) kept.lines = kept.lines.filter((message) => message.id !== id);
    },
  };
}
