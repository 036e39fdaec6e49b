// The link's own messages: the handshake, the heartbeat and a clean goodbye. Every feature
// rides on a link that has said hello; none of these carries anything a user typed.
import * as z from 'zod/mini';

/** Both peers create the chat channel with this id (negotiated: no in-band announcement). */
export const CHAT_CHANNEL_ID = 0;
export const CHAT_CHANNEL_LABEL = 'roomlink';

export const CHANNEL_PROTOCOL_VERSION = 2;

/** Room-key proofs are base64url HMAC-SHA256: 43 characters. */
const PROOF_MAX_LENGTH = 128;
const counter = z.int().check(z.gte(0), z.lte(Number.MAX_SAFE_INTEGER));

export const coreSchemas = [
  /**
   * First message on an open channel: the protocol version and proof that the sender holds
   * the room key. No name: the name shown for a member is the one the server accepted.
   */
  z.strictObject({
    t: z.literal('hello'),
    v: z.int().check(z.gte(1)),
    proof: z.optional(z.string().check(z.maxLength(PROOF_MAX_LENGTH))),
  }),
  /** Heartbeat. The other side answers ping with pong carrying the same n. */
  z.strictObject({ t: z.literal('ping'), n: counter }),
  z.strictObject({ t: z.literal('pong'), n: counter }),
  /** Clean goodbye: the sender is leaving the room. */
  z.strictObject({ t: z.literal('bye') }),
] as const;

export type CoreMessage = z.infer<(typeof coreSchemas)[number]>;
export type HelloMessage = Extract<CoreMessage, { t: 'hello' }>;
