// History for late joiners, peer to peer. A newcomer asks each member that was in the room
// before it (`history:req`); each answers with the public lines it holds (at most
// MAX_HISTORY_LINES, oldest first), in chunks that fit a channel message, the last one
// marked `done`. A link that drops mid-answer is asked again, and the answer starts over.
// Every line keeps its author's id and signature, so the newcomer checks it against the
// author's key and not against the word of the member who relays it.
//
// Since channel protocol 3 (limits.ts) a request may carry a number `n`, and every chunk of
// its answer echoes it: the newcomer takes only the answer to its latest request, not what
// was left of an earlier one. A member whose hello said an older version gets no `n` (its
// strict schema would refuse the request) and answers without one, as before.
import * as z from 'zod/mini';
import { NAME_MAX_LENGTH } from '../limits.ts';
import { chatTextSchema, lineTimeSchema, messageIdSchema, peerIdSchema, replySchema, signatureSchema } from './chat.ts';
import { counterSchema } from './core.ts';
import type { ChannelRate } from './rates.ts';
import { historyReactionSchema, MAX_HISTORY_LINE_REACTIONS } from './reactions.ts';

/** A member keeps, sends and accepts at most this many history lines (per sender per join). */
export const MAX_HISTORY_LINES = 200;
/** Lines per history chunk (a chunk must also fit MAX_CHANNEL_MESSAGE_LENGTH). */
export const MAX_HISTORY_CHUNK_LINES = 50;
/** The first channel protocol version (a member's hello says its own) that takes a request's `n`. */
export const HISTORY_REQUEST_NUMBER_VERSION = 3;

const historyLineSchema = z
  .strictObject({
    /** The author's peer id. */
    from: peerIdSchema,
    /** The author's name as the relaying member knew it (shown only for authors who left). */
    name: z.string().check(z.minLength(1), z.maxLength(NAME_MAX_LENGTH)),
    id: messageIdSchema,
    ts: lineTimeSchema,
    /** Absent only for a deleted line. */
    text: z.optional(chatTextSchema),
    /** The line it answers (since REPLY_VERSION, chat.ts): a member on an older version gets no such line. */
    re: z.optional(replySchema),
    /**
     * Since EDIT_VERSION (edits.ts), when its author last edited it (the author's clock): `text`
     * is the edited text and `sig` the author's signature over the edit. A member on an older
     * version gets no edited or deleted line.
     */
    edited: z.optional(lineTimeSchema),
    /** Since EDIT_VERSION, when its author deleted it: no text, and `sig` signs the deletion. */
    deleted: z.optional(lineTimeSchema),
    sig: z.optional(signatureSchema),
    /** Reactions to the line, as the relaying member knows them (absent: none). */
    reactions: z.optional(z.array(historyReactionSchema).check(z.maxLength(MAX_HISTORY_LINE_REACTIONS))),
  })
  .check(
    // A deleted line has no text and nothing else does; it is not also edited.
    z.refine(
      (line) =>
        (line.deleted === undefined) === (line.text !== undefined) &&
        !(line.deleted !== undefined && line.edited !== undefined),
    ),
  );

export const historySchemas = [
  /** Please send me the recent public lines you hold; `n` numbers the request (fresh each time). */
  z.strictObject({ t: z.literal('history:req'), n: z.optional(counterSchema) }),
  /**
   * Part of the answer; `done` on the last part (an empty answer is one part, done). `n` is
   * the request's, on every part, when the request had one.
   */
  z.strictObject({
    t: z.literal('history:lines'),
    n: z.optional(counterSchema),
    lines: z.array(historyLineSchema).check(z.maxLength(MAX_HISTORY_CHUNK_LINES)),
    done: z.boolean(),
  }),
] as const;

export type HistoryMessage = z.infer<(typeof historySchemas)[number]>;
export type HistoryLine = z.infer<typeof historyLineSchema>;

/**
 * A newcomer asks once per link (again after a reload). An answer of short lines is
 * MAX_HISTORY_LINES / MAX_HISTORY_CHUNK_LINES chunks and comes at once; one of long lines is
 * tens of chunks, each up to a channel message long (~800 K characters in all), which the
 * answerer paces within this budget (features/history.ts): over it, its page would be muted.
 */
export const historyRates = {
  'history:req': { perSecond: 1, burst: 3 },
  'history:lines': { perSecond: 8, burst: 8, chars: { perSecond: 400_000, burst: 1_000_000 } },
} as const satisfies Record<HistoryMessage['t'], ChannelRate>;
