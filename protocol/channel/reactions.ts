// Emoji reactions to a chat line. A line is named by its author and id (ids are the
// author's, so only the pair is unique); only the picker's emoji are accepted.
import * as z from 'zod/mini';
import { NAME_MAX_LENGTH, PEER_ID_PATTERN } from '../limits.ts';
import { MESSAGE_ID_PATTERN } from './chat.ts';
import type { ChannelRate } from './rates.ts';

/** The picker: every reaction is one of these. */
export const REACTION_EMOJI = ['👍', '❤️', '😂', '😮', '😢', '🎉'] as const;
export type ReactionEmoji = (typeof REACTION_EMOJI)[number];

/** The receiver accepts at most this many reactions per member per second (issue 11's cap). */
export const REACTION_CAP_PER_SECOND = 10;

/** Our own reaction changes a member is sent again when its link reopens (react:sync), at most. */
export const MAX_REACTION_SYNC = 200;
/** Reactions a history line carries, at most (a full room reacting with every emoji fits). */
export const MAX_HISTORY_LINE_REACTIONS = 96;

const lineRef = {
  author: z.string().check(z.regex(PEER_ID_PATTERN)),
  id: z.string().check(z.regex(MESSAGE_ID_PATTERN)),
  emoji: z.enum(REACTION_EMOJI),
};

/**
 * One reaction to a history line, as the member relaying the line knows it: who reacted
 * (peer id) and the name they had. A newcomer takes the relaying member's word only for its
 * own reactions and for members no longer in the room (see client/features/reactions.ts).
 */
export const historyReactionSchema = z.strictObject({
  emoji: z.enum(REACTION_EMOJI),
  by: z.string().check(z.regex(PEER_ID_PATTERN)),
  name: z.string().check(z.minLength(1), z.maxLength(NAME_MAX_LENGTH)),
});
export type HistoryReaction = z.infer<typeof historyReactionSchema>;

export const reactionSchemas = [
  /** The sender added (on) or took back (!on) its reaction to the line `author`/`id`. */
  z.strictObject({ t: z.literal('react'), ...lineRef, on: z.boolean() }),
  /**
   * Sent when a link (re)opens: the sender's latest reaction changes, so one lost with a
   * dropped link is not lost for good. Each item is applied like a `react` (idempotent).
   */
  z.strictObject({
    t: z.literal('react:sync'),
    reactions: z
      .array(z.strictObject({ ...lineRef, on: z.boolean() }))
      .check(z.minLength(1), z.maxLength(MAX_REACTION_SYNC)),
  }),
] as const;

export type ReactionMessage = z.infer<(typeof reactionSchemas)[number]>;

/**
 * The link-level budget (client/budget.ts): twice the feature's own cap of
 * REACTION_CAP_PER_SECOND, which ignores the excess; a member far beyond it is muted.
 */
export const reactionRates = {
  react: { perSecond: 2 * REACTION_CAP_PER_SECOND, burst: 60 },
  // One per link opening.
  'react:sync': { perSecond: 1, burst: 4 },
} as const satisfies Record<ReactionMessage['t'], ChannelRate>;
