// The lines this page shows that can take reactions, and who reacted with what on each: the
// latest state of each (line, emoji, reactor) wins, and only a private line's two parties
// may react to it. A live change to a line not shown yet waits for the line (`early`).
import type { ReactionEmoji } from '../../protocol/index.ts';
import { dropOldest } from '../bounded.ts';
import { isNewer, type ReactorState } from './reactions-checks.ts';
import { createPendingReactions } from './reactions-history.ts';
import { type LineReactions, type ReactionSummary, summary } from './reactions-summary.ts';
import { lineKey } from './transcript.ts';

/** Reactions are kept for this many of the latest lines shown. */
const MAX_REACTABLE_LINES = 5_000;

/**
 * A line shown: its reactions (none until the first: most lines never get one, and a page
 * holds MAX_REACTABLE_LINES of them), and for a private line the one other member who has it.
 */
export interface ShownLine {
  reactions: LineReactions | undefined;
  privateWith: string | null;
}

export interface ReactionLinesOptions {
  selfId(): string;
  /** What a line's bar shows changed. */
  changed(author: string, id: string, summary: readonly ReactionSummary[]): void;
}

export function createReactionLines({ selfId, changed }: ReactionLinesOptions) {
  /** Every line shown that can take reactions, with its reactions (most recent last). */
  const lines = new Map<string, ShownLine>();
  /**
   * Checked live changes (each from its reactor) for lines not shown yet. Apart from history's
   * (reactions-answers.ts `pending`): those may only take a public line, these also a private
   * line's other party's.
   */
  const early = createPendingReactions<ReactorState>();

  const stateOf = (author: string, id: string, emoji: ReactionEmoji, by: string): ReactorState | undefined =>
    lines.get(lineKey(author, id))?.reactions?.get(emoji)?.get(by);

  /** The line, if shown and this member may react to it: anyone, or a private line's two parties. */
  function reactable(author: string, id: string, by: string): ShownLine | undefined {
    const line = lines.get(lineKey(author, id));
    if (line === undefined || line.privateWith === null) return line;
    return by === line.privateWith || by === selfId() ? line : undefined;
  }

  /** Takes one reactor's state if it is newer; false when the line is not reactable by it or it is not. */
  function apply(author: string, id: string, emoji: ReactionEmoji, by: string, next: ReactorState): boolean {
    const line = reactable(author, id, by);
    if (!line) return false;
    const reactions: LineReactions = line.reactions ?? new Map();
    const who = reactions.get(emoji) ?? new Map<string, ReactorState>();
    const before = who.get(by);
    if (!isNewer(before, next)) return false;
    // A reactor who turns its reaction on again goes to the end: names are in reaction order.
    if (next.on && !before?.on) who.delete(by);
    who.set(by, next);
    reactions.set(emoji, who);
    line.reactions = reactions;
    const visible = (before?.on ?? false) !== next.on || (next.on && before?.relayedBy !== next.relayedBy);
    if (visible) changed(author, id, summary(reactions, selfId()));
    return true;
  }

  return {
    /** The line, if shown: its reactions and its other party (not to be changed but through apply). */
    get: (author: string, id: string): Readonly<ShownLine> | undefined => lines.get(lineKey(author, id)),
    has: (author: string, id: string): boolean => lines.has(lineKey(author, id)),
    stateOf,
    /** Whether apply() would take this state: the line is reactable by `by` and the state is newer. */
    wouldChange(author: string, id: string, emoji: ReactionEmoji, by: string, next: ReactorState): boolean {
      return reactable(author, id, by) !== undefined && isNewer(stateOf(author, id, emoji, by), next);
    },
    apply,
    /** A checked live state (a reactor's own, or ours): taken now if its line is shown, else when it is. */
    applyWhenShown(author: string, id: string, emoji: ReactionEmoji, by: string, state: ReactorState): void {
      if (lines.has(lineKey(author, id))) apply(author, id, emoji, by, state);
      else early.add(lineKey(author, id), { by, emoji, state });
    },
    /**
     * A chat line is on the page; true when it is new here, with the live changes that waited
     * for it taken. Shown again (a new element with an empty bar): its reactions drawn again.
     */
    show(author: string, id: string, privateWith: string | null): boolean {
      const key = lineKey(author, id);
      const known = lines.get(key);
      if (known) {
        const now = summary(known.reactions, selfId());
        if (now.length > 0) changed(author, id, now);
        return false;
      }
      lines.set(key, { reactions: undefined, privateWith });
      dropOldest(lines, MAX_REACTABLE_LINES);
      // Live changes first: apply() keeps a private line's to its other party, and the
      // latest state of each reactor wins whichever store held it.
      for (const { by, emoji, state } of early.take(key)) apply(author, id, emoji, by, state);
      return true;
    },
    /**
     * Who reacted is said as they are known now: the member `peerId` is called `name` (renamed,
     * or back under its id under another name), and its reactions take that name, as the
     * member list does (a reaction is a state, not a line written under a name then). Not one
     * taken on a relaying member's word: its name is that member's claim.
     */
    renamed(peerId: string, name: string): void {
      if (peerId === selfId()) return; // ours are "You" whatever we are called
      for (const [key, line] of lines) {
        let shownAnew = false;
        for (const who of line.reactions?.values() ?? []) {
          const state = who.get(peerId);
          if (!state || state.relayedBy !== undefined || state.name === name) continue;
          who.set(peerId, { ...state, name }); // keeps its place: reaction order
          shownAnew ||= state.on;
        }
        const [author, id] = key.split(' ');
        if (shownAnew && line.reactions && author && id) changed(author, id, summary(line.reactions, selfId()));
      }
    },
    /** The reactions a line shows now. */
    of(author: string, id: string): ReactionSummary[] {
      const line = lines.get(lineKey(author, id));
      return line ? summary(line.reactions, selfId()) : [];
    },
  };
}

export type ReactionLines = ReturnType<typeof createReactionLines>;
