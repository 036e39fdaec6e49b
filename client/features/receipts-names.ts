// The name of each member our lines went to, as we last knew it: the note's detail names
// who read a line, or went without it, after they left (and after a reload, kept with the
// receipts). Without it, a reader who had left read as "someone who left" once anything
// about the line changed, and on every line after a reload.
import { dropOldest } from '../bounded.ts';
import type { MemberHandle } from '../feature.ts';
import { KEPT_NAMES } from './receipts-kept.ts';

export interface ReceiptNames {
  /** The name this member goes by now (none: nothing to learn). */
  learn(member: MemberHandle | undefined): void;
  /**
   * The names an earlier page of this tab kept, under the names we knew since, if any (a
   * member renamed after the earlier page kept them).
   */
  takeKept(kept: ReadonlyMap<string, string>): void;
  /** The name a member had when we last knew it (here or gone), if we did. */
  of(peerId: string): string | undefined;
}

export function createReceiptNames(): ReceiptNames {
  const names = new Map<string, string>();
  return {
    learn(member) {
      if (!member) return;
      names.delete(member.id); // the newest last: the oldest go first
      names.set(member.id, member.name);
      dropOldest(names, KEPT_NAMES);
    },
    takeKept(kept) {
      for (const [id, name] of kept) if (!names.has(id)) names.set(id, name);
    },
    of: (peerId) => names.get(peerId),
  };
}
