// Chat lines and their acknowledgements. Ids are the sender's; the receiver acks every copy
// it gets, so the sender can forget a line only once it has surely arrived.
import * as z from 'zod/mini';
import { MAX_CHAT_LENGTH } from '../limits.ts';
import type { ChannelRate } from './rates.ts';

/** Acks are batched: one message acknowledges up to this many chat messages. */
export const MAX_ACK_IDS = 512;

/** Message ids: nanoid, 21 characters. */
export const MESSAGE_ID_PATTERN = /^[A-Za-z0-9_-]{10,32}$/;

const messageId = z.string().check(z.regex(MESSAGE_ID_PATTERN));

/** The latest instant a Date can hold: a ts beyond it cannot even be formatted. */
export const MAX_TIMESTAMP_MS = 8.64e15;

export const chatSchemas = [
  /** A chat line. ts is the sender's clock (ms since epoch). */
  z.strictObject({
    t: z.literal('chat'),
    id: messageId,
    ts: z.number().check(z.gte(0), z.lte(MAX_TIMESTAMP_MS)),
    text: z.string().check(z.minLength(1), z.maxLength(MAX_CHAT_LENGTH)),
  }),
  /** The receiver has the chat messages with these ids; the sender may forget them. */
  z.strictObject({
    t: z.literal('ack'),
    ids: z.array(messageId).check(z.minLength(1), z.maxLength(MAX_ACK_IDS)),
  }),
] as const;

export type ChatProtocolMessage = z.infer<(typeof chatSchemas)[number]>;

/**
 * A person types a line a second at most, but the outbox resends every unacknowledged line
 * at once after a reconnect, and a burst of 2,000 short lines (the benchmark's) must get
 * through. Long lines are what costs: laying out one of 4,000 characters takes several ms,
 * so their characters have a budget of their own (50 such lines at once, 12 a second).
 * Acks travel in batches every 40 ms.
 */
export const chatRates = {
  chat: { perSecond: 200, burst: 2_500, chars: { perSecond: 50_000, burst: 200_000 } },
  ack: { perSecond: 50, burst: 250 },
} as const satisfies Record<ChatProtocolMessage['t'], ChannelRate>;
