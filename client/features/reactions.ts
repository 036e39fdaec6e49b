// Emoji reactions on chat lines: who reacted with what, ours included, for the lines this
// page shows. A reaction to a line we do not show is dropped, and so is anything over the
// per-member cap. Names are kept as they were when the reaction came, so a reaction stays
// readable after its member left.
//
// Reactions are part of history: a history answer carries each line's reactions, and a
// newcomer takes them once the line is shown (reactions-history.ts says whose word counts).
// Our own changes are kept (the newest MAX_REACTION_SYNC) and sent again whenever a link
// opens (react:sync), so a reaction lost with a dropped link arrives after the repair.
import {
  type HistoryReaction,
  MAX_REACTION_SYNC,
  type MessageOf,
  REACTION_CAP_PER_SECOND,
  REACTION_EMOJI,
  type ReactionEmoji,
} from '../../protocol/index.ts';
import { createSlot, defineFeature, type MemberHandle } from '../feature.ts';
import { createRateCap, type RateCap } from '../rate-cap.ts';
import { createPendingReactions, trustedHistoryReactions } from './reactions-history.ts';

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

type ReactionChange = MessageOf<'react:sync'>['reactions'][number];

export interface ReactionsOptions {
  selfId(): string;
  /** Our name as others know it (our reactions in the history we relay carry it). */
  selfName(): string;
  members(): Iterable<MemberHandle>;
  changed(author: string, id: string, summary: readonly ReactionSummary[]): void;
  now?: () => number;
}

const lineKey = (author: string, id: string): string => `${author}/${id}`;

export function createReactions({
  selfId,
  selfName,
  members,
  changed,
  now = () => performance.now(),
}: ReactionsOptions) {
  const reactionSlot = createSlot<{ cap: RateCap }>('reactions', () => ({
    cap: createRateCap(REACTION_CAP_PER_SECOND, 1_000, now),
  }));
  /** Every line shown that can take reactions, with its reactions (most recent last). */
  const lines = new Map<string, LineReactions>();
  /** Our own latest change per (line, emoji), oldest first: what react:sync sends. */
  const ours = new Map<string, ReactionChange>();
  /** Reactions from history answers for lines not shown yet. */
  const pending = createPendingReactions();

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

  /** Whether apply() would change anything: the line is shown and the reaction differs. */
  function wouldChange(author: string, id: string, emoji: ReactionEmoji, reactor: string, on: boolean): boolean {
    const reactions = lines.get(lineKey(author, id));
    if (!reactions) return false;
    return (reactions.get(emoji)?.has(reactor) ?? false) !== on;
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

  function remember(change: ReactionChange): void {
    const key = `${lineKey(change.author, change.id)}/${change.emoji}`;
    ours.delete(key); // re-inserted as the newest
    ours.set(key, change);
    if (ours.size > MAX_REACTION_SYNC) {
      const oldest = ours.keys().next();
      if (!oldest.done) ours.delete(oldest.value);
    }
  }

  const feature = defineFeature({
    name: 'reactions',
    types: ['react', 'react:sync'],
    receive(member, message) {
      const { cap } = member.slot(reactionSlot);
      if (message.t === 'react') {
        if (cap.allow()) apply(message.author, message.id, message.emoji, member.id, member.name, message.on);
        return;
      }
      // A sync repeats what we mostly have already: only the changes it makes count against
      // the cap, each as a reaction, so up to MAX_REACTION_SYNC at a time cannot pass it.
      for (const { author, id, emoji, on } of message.reactions) {
        if (!wouldChange(author, id, emoji, member.id, on)) continue;
        if (!cap.allow()) return;
        apply(author, id, emoji, member.id, member.name, on);
      }
    },
    opened(member) {
      if (ours.size > 0) member.send({ t: 'react:sync', reactions: [...ours.values()] });
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
      for (const reaction of pending.take(key)) apply(author, id, reaction.emoji, reaction.by, reaction.name, true);
    },
    /**
     * Reactions a history answer carries for a line (shown now or later). Only those the
     * relaying member may vouch for are taken: its own, and those of members no longer here.
     */
    fromHistory(relayer: MemberHandle, author: string, id: string, reactions: readonly HistoryReaction[]): void {
      const present = new Set([...members()].filter((member) => !member.disposed).map((member) => member.id));
      const trusted = trustedHistoryReactions(reactions, relayer.id, relayer.name, selfId(), present);
      const key = lineKey(author, id);
      if (!lines.has(key)) {
        pending.add(key, trusted);
        return;
      }
      for (const reaction of trusted) apply(author, id, reaction.emoji, reaction.by, reaction.name, true);
    },
    /** A line's reactions as our history answer carries them. */
    forHistory(author: string, id: string): HistoryReaction[] {
      const reactions = lines.get(lineKey(author, id));
      if (!reactions) return [];
      const self = selfId();
      const result: HistoryReaction[] = [];
      for (const [emoji, who] of reactions) {
        for (const [by, name] of who) result.push({ emoji, by, name: by === self ? selfName() : name });
      }
      return result;
    },
    /** Our click on an emoji of a line: adds our reaction, or takes it back. */
    toggle(author: string, id: string, emoji: ReactionEmoji): void {
      const self = selfId();
      const mine = lines.get(lineKey(author, id))?.get(emoji)?.has(self) ?? false;
      if (!apply(author, id, emoji, self, 'You', !mine)) return;
      remember({ author, id, emoji, on: !mine });
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
