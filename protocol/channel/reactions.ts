// Emoji reactions to a chat line. A line is named by its author and id (ids are the
// author's, so only the pair is unique); only the picker's emoji are accepted.
//
// Each reaction state is signed by its reactor, as lines are (client/identity.ts): the
// signature covers the reactor, the line, the emoji, on/off and the reactor's time `ts`, so
// no member relaying it (history, or a relay between two members) can invent, alter or
// turn one around, and the latest `ts` per (reactor, line, emoji) wins: an old signed "on"
// replayed after an "off" changes nothing.
import * as z from 'zod/mini';
import { NAME_MAX_LENGTH, PEER_ID_PATTERN } from '../limits.ts';
import { lineTimeSchema, MESSAGE_ID_PATTERN, signatureSchema } from './chat.ts';
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

/**
 * A reactor's signed state: on or off, at its time ts (ms since epoch, bounded as a line's),
 * and its signature (absent only when its browser cannot sign: no WebCrypto).
 */
const signedState = {
  on: z.boolean(),
  ts: lineTimeSchema,
  sig: z.optional(signatureSchema),
};

const change = {
  author: z.string().check(z.regex(PEER_ID_PATTERN)),
  id: z.string().check(z.regex(MESSAGE_ID_PATTERN)),
  emoji: z.enum(REACTION_EMOJI),
  ...signedState,
};

/**
 * One reaction state on a history line, as the member relaying the line holds it: who
 * (peer id), the name they had, and their signed state. A newcomer checks it against the
 * reactor's key when it knows one; it takes the relaying member's word only for members
 * who left before it could learn their key (see client/features/reactions-history.ts).
 */
export const historyReactionSchema = z.strictObject({
  emoji: z.enum(REACTION_EMOJI),
  by: z.string().check(z.regex(PEER_ID_PATTERN)),
  name: z.string().check(z.minLength(1), z.maxLength(NAME_MAX_LENGTH)),
  ...signedState,
});
export type HistoryReaction = z.infer<typeof historyReactionSchema>;

export const reactionSchemas = [
  /** The sender added (on) or took back (!on) its reaction to the line `author`/`id`. */
  z.strictObject({ t: z.literal('react'), ...change }),
  /**
   * Sent when a link (re)opens: the sender's latest reaction changes, so one lost with a
   * dropped link is not lost for good. Each item is applied like a `react` (idempotent).
   */
  z.strictObject({
    t: z.literal('react:sync'),
    reactions: z.array(z.strictObject(change)).check(z.minLength(1), z.maxLength(MAX_REACTION_SYNC)),
  }),
] as const;

export type ReactionMessage = z.infer<(typeof reactionSchemas)[number]>;

/**
 * The link-level budget (client/budget.ts): twice the feature's own cap of
 * REACTION_CAP_PER_SECOND, which ignores the excess; a member far beyond it is muted.
 */
export const reactionRates = {
  react: { perSecond: 2 * REACTION_CAP_PER_SECOND, burst: 60 },
  // One per link opening (two when a full sync of signed changes is split).
  'react:sync': { perSecond: 1, burst: 4 },
} as const satisfies Record<ReactionMessage['t'], ChannelRate>;
