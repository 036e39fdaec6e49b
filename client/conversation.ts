// When the room last talked: a line shown (ours or a member's), a keystroke in our message
// box, or a member starting to type (wiring/files.ts also counts a member as talking for as long as
// it is shown typing: its refreshes do not come here). Bulk traffic asks before it fills the links:
// a file transfer keeps less on the way while people talk, so their lines do not wait behind
// it (client/files/pump.ts). A keystroke counts so that the queue has drained by the time the
// line it starts is sent. A member we ignore does not count: we do not see its lines, so a
// transfer of ours has no reason to hold back for them (client/ignored.ts).

/** People are talking while their last line or keystroke is at most this old. */
export const TALKING_FOR_MS = 3_000;

export interface Conversation {
  /** Someone wrote a line or typed: a member by its id, or, without one, we or members already sifted (typing.ts leaves out those we ignore). */
  spoke(peerId?: string): void;
  /** Someone spoke within TALKING_FOR_MS. */
  talking(): boolean;
}

export function createConversation(
  ignored: (peerId: string) => boolean,
  now: () => number = () => performance.now(),
): Conversation {
  let last = Number.NEGATIVE_INFINITY;
  return {
    spoke(peerId) {
      if (peerId !== undefined && ignored(peerId)) return;
      last = now();
    },
    talking() {
      return now() - last <= TALKING_FOR_MS;
    },
  };
}
