// Emoji reactions to a chat line. A line is named by its author and id (ids are the
// author's, so only the pair is unique); only the picker's emoji are accepted.
import * as z from 'zod/mini';
import { PEER_ID_PATTERN } from '../limits.ts';
import { MESSAGE_ID_PATTERN } from './chat.ts';
import type { ChannelRate } from './rates.ts';

/** The picker: every reaction is one of these. */
export const REACTION_EMOJI = ['👍', '❤️', '😂', '😮', '😢', '🎉'] as const;
export type ReactionEmoji = (typeof REACTION_EMOJI)[number];

/** The receiver accepts at most this many reactions per member per second (issue 11's cap). */
export const REACTION_CAP_PER_SECOND = 10;

export const reactionSchemas = [
  /** The sender added (on) or took back (!on) its reaction to the line `author`/`id`. */
  z.strictObject({
    t: z.literal('react'),
    author: z.string().check(z.regex(PEER_ID_PATTERN)),
    id: z.string().check(z.regex(MESSAGE_ID_PATTERN)),
    emoji: z.enum(REACTION_EMOJI),
    on: z.boolean(),
  }),
] as const;

export type ReactionMessage = z.infer<(typeof reactionSchemas)[number]>;

/**
 * The link-level budget (client/budget.ts): twice the feature's own cap of
 * REACTION_CAP_PER_SECOND, which ignores the excess; a member far beyond it is muted.
 */
export const reactionRates = {
  react: { perSecond: 2 * REACTION_CAP_PER_SECOND, burst: 60 },
} as const satisfies Record<ReactionMessage['t'], ChannelRate>;
