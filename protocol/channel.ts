// Messages on the RTCDataChannel between two browsers. The server never sees these.
// A peer is just as untrusted as a socket client: parseChannelMessage returns null for
// anything that is not exactly one of these shapes, and never throws.
import * as z from 'zod/mini';
import { MAX_CHANNEL_MESSAGE_LENGTH, MAX_CHAT_LENGTH, NAME_MAX_LENGTH } from './limits.ts';
import { normalizeName } from './name.ts';

/** The negotiated data channel both peers create with this id (no in-band announcement). */
export const CHAT_CHANNEL_ID = 0;
export const CHAT_CHANNEL_LABEL = 'roomlink';

export const CHANNEL_PROTOCOL_VERSION = 1;

/** Acks are batched: one message acknowledges up to this many chat messages. */
export const MAX_ACK_IDS = 512;

/** Message ids: nanoid, 21 characters. */
export const MESSAGE_ID_PATTERN = /^[A-Za-z0-9_-]{10,32}$/;

export type ChannelMessage =
  /** First message on an open channel: who I am, and proof that I hold the room key. */
  | { t: 'hello'; v: number; name: string; proof?: string }
  /** A chat line. ts is the sender's clock (ms since epoch). */
  | { t: 'chat'; id: string; ts: number; text: string }
  /** The receiver has the chat messages with these ids; the sender may forget them. */
  | { t: 'ack'; ids: string[] }
  /** Heartbeat. The other side answers ping with pong carrying the same n. */
  | { t: 'ping'; n: number }
  | { t: 'pong'; n: number }
  /** The sender changed its display name. */
  | { t: 'name'; name: string }
  /** Clean goodbye: the sender is leaving the room. */
  | { t: 'bye' };

const nameSchema = z.string().check(
  z.maxLength(NAME_MAX_LENGTH * 4),
  z.refine((n) => normalizeName(n).ok),
);
const idSchema = z.string().check(z.regex(MESSAGE_ID_PATTERN));
const counterSchema = z.int().check(z.gte(0), z.lte(Number.MAX_SAFE_INTEGER));

const channelMessageSchema = z.discriminatedUnion('t', [
  z.strictObject({
    t: z.literal('hello'),
    v: z.int().check(z.gte(1)),
    name: nameSchema,
    proof: z.optional(z.string().check(z.maxLength(128))),
  }),
  z.strictObject({
    t: z.literal('chat'),
    id: idSchema,
    ts: z.number().check(z.gte(0)),
    text: z.string().check(z.minLength(1), z.maxLength(MAX_CHAT_LENGTH)),
  }),
  z.strictObject({ t: z.literal('ack'), ids: z.array(idSchema).check(z.minLength(1), z.maxLength(MAX_ACK_IDS)) }),
  z.strictObject({ t: z.literal('ping'), n: counterSchema }),
  z.strictObject({ t: z.literal('pong'), n: counterSchema }),
  z.strictObject({ t: z.literal('name'), name: nameSchema }),
  z.strictObject({ t: z.literal('bye') }),
]);

export function parseChannelMessage(raw: unknown): ChannelMessage | null {
  if (typeof raw !== 'string' || raw.length > MAX_CHANNEL_MESSAGE_LENGTH) return null;
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = channelMessageSchema.safeParse(data);
  if (!parsed.success) return null;
  const message = parsed.data;
  if (message.t === 'hello') {
    const hello: ChannelMessage = { t: 'hello', v: message.v, name: message.name.trim() };
    if (message.proof !== undefined) hello.proof = message.proof;
    return hello;
  }
  if (message.t === 'name') return { t: 'name', name: message.name.trim() };
  return message;
}

export function encodeChannelMessage(message: ChannelMessage): string {
  return JSON.stringify(message);
}
