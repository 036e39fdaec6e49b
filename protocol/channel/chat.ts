// Chat lines and their acknowledgements. Ids are the sender's; the receiver acks every copy
// it gets, so the sender can forget a line only once it has surely arrived.
//
// Lines are signed by their author with the per-join key it announced in its hello (see
// client/identity.ts), so that a member who relays them later (history) cannot alter them.
import * as z from 'zod/mini';
import { MAX_CHAT_LENGTH, PEER_ID_PATTERN } from '../limits.ts';

/** Acks are batched: one message acknowledges up to this many chat messages. */
export const MAX_ACK_IDS = 512;

/** Message ids: nanoid, 21 characters. */
export const MESSAGE_ID_PATTERN = /^[A-Za-z0-9_-]{10,32}$/;

/** ECDSA P-256 signatures (IEEE P1363, 64 bytes) in base64url: 86 characters. */
export const SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

export const messageIdSchema = z.string().check(z.regex(MESSAGE_ID_PATTERN));
export const peerIdSchema = z.string().check(z.regex(PEER_ID_PATTERN));
export const signatureSchema = z.string().check(z.regex(SIGNATURE_PATTERN));
/** Sender time, ms since epoch. Bounded so that no date function ever throws on it. */
export const lineTimeSchema = z.number().check(z.gte(0), z.lte(8.64e15));
export const chatTextSchema = z.string().check(z.minLength(1), z.maxLength(MAX_CHAT_LENGTH));

export const chatSchemas = [
  /**
   * A chat line. ts is the sender's clock (ms since epoch). `to` makes it private: it went
   * only to that member. `sig` is the author's signature (absent when the author's browser
   * cannot sign: no WebCrypto outside a secure context).
   */
  z.strictObject({
    t: z.literal('chat'),
    id: messageIdSchema,
    ts: lineTimeSchema,
    text: chatTextSchema,
    to: z.optional(peerIdSchema),
    sig: z.optional(signatureSchema),
  }),
  /** The receiver has the chat messages with these ids; the sender may forget them. */
  z.strictObject({
    t: z.literal('ack'),
    ids: z.array(messageIdSchema).check(z.minLength(1), z.maxLength(MAX_ACK_IDS)),
  }),
] as const;

export type ChatProtocolMessage = z.infer<(typeof chatSchemas)[number]>;
