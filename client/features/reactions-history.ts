// Reactions that come with history lines. Reactions are not signed, so a member relaying
// history may vouch only for what it saw itself being done: its own reactions (the link
// proves who it is, and its name is the server's), and those of members who have left (no
// one else can tell us about them). A member still in the room tells its own reactions in
// its own answer; what others claim for it, or for us, is ignored.
import { type HistoryReaction, MAX_HISTORY_LINE_REACTIONS } from '../../protocol/index.ts';

/** Lines whose history reactions wait for the line to be shown, at most (oldest dropped). */
const MAX_PENDING_LINES = 1_000;

export function trustedHistoryReactions(
  reactions: readonly HistoryReaction[],
  relayerId: string,
  relayerName: string,
  selfId: string,
  present: ReadonlySet<string>,
): HistoryReaction[] {
  const trusted: HistoryReaction[] = [];
  for (const reaction of reactions) {
    if (reaction.by === relayerId) trusted.push({ ...reaction, name: relayerName });
    else if (reaction.by !== selfId && !present.has(reaction.by)) trusted.push(reaction);
  }
  return trusted;
}

/** History reactions for lines not on the page yet (a line waits for its author's key). */
export function createPendingReactions() {
  const waiting = new Map<string, HistoryReaction[]>();
  return {
    add(lineKey: string, reactions: readonly HistoryReaction[]): void {
      if (reactions.length === 0) return;
      const list = waiting.get(lineKey) ?? [];
      for (const reaction of reactions) {
        const known = list.some((r) => r.by === reaction.by && r.emoji === reaction.emoji);
        if (!known && list.length < MAX_HISTORY_LINE_REACTIONS) list.push(reaction);
      }
      waiting.set(lineKey, list);
      if (waiting.size > MAX_PENDING_LINES) {
        const oldest = waiting.keys().next();
        if (!oldest.done) waiting.delete(oldest.value);
      }
    },
    /** The reactions waiting for this line, removed. */
    take(lineKey: string): HistoryReaction[] {
      const found = waiting.get(lineKey) ?? [];
      waiting.delete(lineKey);
      return found;
    },
  };
}
