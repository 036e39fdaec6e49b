// Reaction states dropped as forged, or taken on a relaying member's word, counted: the
// parts that check states (reactions-received.ts, reactions-answers.ts) add to the one
// record createReactions owns, and the page hands out a copy (window.roomlink.reactions():
// the end-to-end tests read it). Its own module so the parts can name the record without
// importing reactions.ts, which imports them.

export interface ReactionCounts {
  /** Reaction states dropped because their signature did not check against the reactor's key. */
  forged: number;
  /** History reaction states taken on the relaying member's word (reactor's key unknown). */
  relayed: number;
}

export const createReactionCounts = (): ReactionCounts => ({ forged: 0, relayed: 0 });
