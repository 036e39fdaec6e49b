// Chat lines and their acknowledgements. Ids are the sender's; the receiver acks every copy
// it gets, so the sender can forget a line only once it has surely arrived.
//
// Lines are signed by their author with the per-join key it announced in its hello (see
// client/identity.ts), so that a member who relays them later (history) cannot alter them.
// On the author's own link a public line goes out before its signature is made, and the
// signature follows as `chat:sig`: the link already says who wrote it, and the line need not
// wait for WebCrypto. Anything that goes through a relay or is sent again carries its
// signature inline.
//
// Since channel protocol 4 (limits.ts) a line may answer another: `re` names the line it
// answers (its author and id) with the author's name and the start of its text as the writer
// saw them, and the signature covers it, so nobody can forge a reply or move it to another
// line. A member whose hello said an older version would refuse the whole line (its schema is
// strict): it gets the line without `re`, signed without it (features/chat-send.ts).
import * as z from 'zod/mini';
import { MAX_CHAT_LENGTH, NAME_MAX_LENGTH, PEER_ID_PATTERN, SIGNATURE_PATTERN } from '../limits.ts';
import type { ChannelRate } from './rates.ts';

/** Acks are batched: one message acknowledges up to this many chat messages. */
export const MAX_ACK_IDS = 512;

/** Message ids: nanoid, 21 characters. */
export const MESSAGE_ID_PATTERN = /^[A-Za-z0-9_-]{10,32}$/;

export const messageIdSchema = z.string().check(z.regex(MESSAGE_ID_PATTERN));
export const peerIdSchema = z.string().check(z.regex(PEER_ID_PATTERN));
export const signatureSchema = z.string().check(z.regex(SIGNATURE_PATTERN));
/** The latest instant a Date can hold: a ts beyond it cannot even be formatted. */
export const MAX_TIMESTAMP_MS = 8.64e15;
/** Sender time, ms since epoch. Bounded so that no date function ever throws on it. */
export const lineTimeSchema = z.number().check(z.gte(0), z.lte(MAX_TIMESTAMP_MS));
export const chatTextSchema = z.string().check(z.minLength(1), z.maxLength(MAX_CHAT_LENGTH));

/** The first channel protocol version (a member's hello says its own) that takes a line's `re`. */
export const REPLY_VERSION = 4;
/** A reply's excerpt of the line it answers, as pages write it: its first characters. */
export const REPLY_EXCERPT_LENGTH = 120;
/**
 * An excerpt on the wire, at most: room for a page that cuts differently, not for a second
 * copy of the line (the page shows REPLY_EXCERPT_LENGTH of it whatever comes).
 */
export const MAX_REPLY_EXCERPT_LENGTH = 280;

/** What a reply says of the line it answers: its author, its id, its author's name and its start. */
export const replySchema = z.strictObject({
  from: peerIdSchema,
  id: messageIdSchema,
  name: z.string().check(z.minLength(1), z.maxLength(NAME_MAX_LENGTH)),
  text: z.string().check(z.minLength(1), z.maxLength(MAX_REPLY_EXCERPT_LENGTH)),
});
export type ReplyRef = z.infer<typeof replySchema>;

export const chatSchemas = [
  /**
   * A chat line. ts is the sender's clock (ms since epoch). `to` makes it private: it went
   * only to that member. `sig` is the author's signature (absent when the author's browser
   * cannot sign: no WebCrypto outside a secure context). `re`: the line it answers (since
   * REPLY_VERSION; the signature covers it).
   */
  z.strictObject({
    t: z.literal('chat'),
    id: messageIdSchema,
    ts: lineTimeSchema,
    text: chatTextSchema,
    to: z.optional(peerIdSchema),
    re: z.optional(replySchema),
    sig: z.optional(signatureSchema),
  }),
  /**
   * The signature of a public line sent just before on the same link without one. The
   * receiver keeps the line for newcomers (and acknowledges it) once this has come.
   */
  z.strictObject({ t: z.literal('chat:sig'), id: messageIdSchema, sig: signatureSchema }),
  /** The receiver has the chat messages with these ids; the sender may forget them. */
  z.strictObject({
    t: z.literal('ack'),
    ids: z.array(messageIdSchema).check(z.minLength(1), z.maxLength(MAX_ACK_IDS)),
  }),
] as const;

export type ChatProtocolMessage = z.infer<(typeof chatSchemas)[number]>;

/**
 * A person types a line a second at most, but the outbox resends every unacknowledged line
 * at once after a reconnect, and a burst of 2,000 short lines (the benchmark's) must get
 * through. Long lines are what costs: laying out one of 4,000 characters takes several ms,
 * so their characters have a budget of their own (50 such lines at once, 12 a second).
 * Acks travel in batches every 40 ms; a line's signature follows it (one each at most).
 */
export const chatRates = {
  chat: { perSecond: 200, burst: 2_500, chars: { perSecond: 50_000, burst: 200_000 } },
  'chat:sig': { perSecond: 200, burst: 2_500 },
  ack: { perSecond: 50, burst: 250 },
} as const satisfies Record<ChatProtocolMessage['t'], ChannelRate>;
