// Chat lines and their acknowledgements. Ids are the sender's; the receiver acks every copy
// it gets, so the sender can forget a line only once it has surely arrived.
import * as z from 'zod/mini';
import { MAX_CHAT_LENGTH } from '../limits.ts';

/** Acks are batched: one message acknowledges up to this many chat messages. */
export const MAX_ACK_IDS = 512;

/** Message ids: nanoid, 21 characters. */
export const MESSAGE_ID_PATTERN = /^[A-Za-z0-9_-]{10,32}$/;

const messageId = z.string().check(z.regex(MESSAGE_ID_PATTERN));

export const chatSchemas = [
  /** A chat line. ts is the sender's clock (ms since epoch). */
  z.strictObject({
    t: z.literal('chat'),
    id: messageId,
    ts: z.number().check(z.gte(0)),
    text: z.string().check(z.minLength(1), z.maxLength(MAX_CHAT_LENGTH)),
  }),
  /** The receiver has the chat messages with these ids; the sender may forget them. */
  z.strictObject({
    t: z.literal('ack'),
    ids: z.array(messageId).check(z.minLength(1), z.maxLength(MAX_ACK_IDS)),
  }),
] as const;

export type ChatProtocolMessage = z.infer<(typeof chatSchemas)[number]>;
