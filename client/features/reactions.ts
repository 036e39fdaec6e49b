// Emoji reactions on chat lines: who reacted with what, ours included, for the lines this
// page shows. A reaction to a line we do not show is dropped, and so is anything over the
// per-member cap. Names are kept as they were when the reaction came, so a reaction stays
// readable after its member left.
import { REACTION_CAP_PER_SECOND, REACTION_EMOJI, type ReactionEmoji } from '../../protocol/index.ts';
import { createSlot, defineFeature, type MemberHandle } from '../feature.ts';
import { createRateCap, type RateCap } from '../rate-cap.ts';

/** Reactions are kept for this many of the latest lines shown. */
const MAX_REACTABLE_LINES = 5_000;

export interface ReactionSummary {
  emoji: ReactionEmoji;
  count: number;
  /** Who reacted, in the order they did ("You" for us). */
  names: string[];
  mine: boolean;
}

/** Reactors of one line: emoji → reactor id → name. */
type LineReactions = Map<ReactionEmoji, Map<string, string>>;

export interface ReactionsOptions {
  selfId(): string;
  members(): Iterable<MemberHandle>;
  changed(author: string, id: string, summary: readonly ReactionSummary[]): void;
  now?: () => number;
}

const lineKey = (author: string, id: string): string => `${author}/${id}`;

export function createReactions({ selfId, members, changed, now = () => performance.now() }: ReactionsOptions) {
  const reactionSlot = createSlot<{ cap: RateCap }>('reactions', () => ({
    cap: createRateCap(REACTION_CAP_PER_SECOND, 1_000, now),
  }));
  /** Every line shown that can take reactions, with its reactions (most recent last). */
  const lines = new Map<string, LineReactions>();

  function summary(reactions: LineReactions): ReactionSummary[] {
    const self = selfId();
    const result: ReactionSummary[] = [];
    for (const emoji of REACTION_EMOJI) {
      const who = reactions.get(emoji);
      if (!who || who.size === 0) continue;
      result.push({ emoji, count: who.size, names: [...who.values()], mine: who.has(self) });
    }
    return result;
  }

  /** Sets or clears one reaction; false when the line is unknown or nothing changed. */
  function apply(
    author: string,
    id: string,
    emoji: ReactionEmoji,
    reactor: string,
    name: string,
    on: boolean,
  ): boolean {
    const reactions = lines.get(lineKey(author, id));
    if (!reactions) return false;
    const who = reactions.get(emoji) ?? new Map<string, string>();
    if (on) {
      if (who.has(reactor)) return false;
      who.set(reactor, name);
      reactions.set(emoji, who);
    } else if (!who.delete(reactor)) {
      return false;
    }
    changed(author, id, summary(reactions));
    return true;
  }

  const feature = defineFeature({
    name: 'reactions',
    types: ['react'],
    receive(member, message) {
      if (!member.slot(reactionSlot).cap.allow()) return;
      apply(message.author, message.id, message.emoji, member.id, member.name, message.on);
    },
  });

  return {
    feature,
    /** A chat line is on the page: it can take reactions from now on. */
    shown(author: string, id: string): void {
      const key = lineKey(author, id);
      if (lines.has(key)) return;
      lines.set(key, new Map());
      if (lines.size > MAX_REACTABLE_LINES) {
        const oldest = lines.keys().next();
        if (!oldest.done) lines.delete(oldest.value);
      }
    },
    /** Our click on an emoji of a line: adds our reaction, or takes it back. */
    toggle(author: string, id: string, emoji: ReactionEmoji): void {
      const self = selfId();
      const mine = lines.get(lineKey(author, id))?.get(emoji)?.has(self) ?? false;
      if (!apply(author, id, emoji, self, 'You', !mine)) return;
      for (const member of members()) {
        if (!member.disposed) member.send({ t: 'react', author, id, emoji, on: !mine });
      }
    },
    /** The reactions a line shows now (tests). */
    of(author: string, id: string): ReactionSummary[] {
      const reactions = lines.get(lineKey(author, id));
      return reactions ? summary(reactions) : [];
    },
  };
}

export type Reactions = ReturnType<typeof createReactions>;
