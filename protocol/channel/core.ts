// The link's own messages: the handshake, the heartbeat and a clean goodbye. Every feature
// rides on a link that has said hello; none of these carries anything a user typed.
import * as z from 'zod/mini';
import { signatureSchema } from './chat.ts';
import type { ChannelRate } from './rates.ts';

/** Both peers create the chat channel with this id (negotiated: no in-band announcement). */
export const CHAT_CHANNEL_ID = 0;
export const CHAT_CHANNEL_LABEL = 'roomlink';

/** Room-key proofs are base64url HMAC-SHA256: 43 characters. */
const PROOF_MAX_LENGTH = 128;
/** Signing keys: a raw P-256 public key (65 bytes) in base64url is 87 characters. */
export const SIGNING_KEY_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;
/**
 * The first channel protocol version (a member's hello says its own) that takes `key:held`:
 * sent only to members that said 7, once their hello came, for an older page's schema would
 * refuse the message.
 */
export const KEY_HOLD_VERSION = 7;
/** A count or sequence number: a non-negative safe integer (pings, history requests). */
export const counterSchema = z.int().check(z.gte(0), z.lte(Number.MAX_SAFE_INTEGER));

export const coreSchemas = [
  /**
   * First message on an open channel: the protocol version, the sender's per-join public
   * signing key (its lines are signed with it), and proof that the sender holds the room
   * key — the proof covers the signing key too, so nobody in between can swap it. No name:
   * the name shown for a member is the one the server accepted.
   */
  z.strictObject({
    t: z.literal('hello'),
    v: z.int().check(z.gte(1)),
    proof: z.optional(z.string().check(z.maxLength(PROOF_MAX_LENGTH))),
    key: z.optional(z.string().check(z.regex(SIGNING_KEY_PATTERN))),
  }),
  /**
   * Heartbeat, sent by each side once a second and not answered: hearing anything at all
   * is what keeps a member alive, and each side hears the other's pings. (Answering them
   * doubled an idle room's channel traffic for nothing.)
   */
  z.strictObject({ t: z.literal('ping'), n: counterSchema }),
  /**
   * The sender holds the private half of the key its hello announced: its signature over the
   * link's two DTLS fingerprints, its own first (client/identity.ts KeyHold). The hello's
   * proof binds the key to the link, but any member could announce another's public key.
   */
  z.strictObject({ t: z.literal('key:held'), sig: signatureSchema }),
  /** Clean goodbye: the sender is leaving the room. */
  z.strictObject({ t: z.literal('bye') }),
] as const;

export type CoreMessage = z.infer<(typeof coreSchemas)[number]>;
export type HelloMessage = Extract<CoreMessage, { t: 'hello' }>;
export type KeyHeldMessage = Extract<CoreMessage, { t: 'key:held' }>;

/**
 * A hello comes once per channel (and once more per replaced link); pings once a second,
 * but a tab that was frozen for a while gets a minute of them in one go.
 */
export const coreRates = {
  hello: { perSecond: 0.5, burst: 5 },
  'key:held': { perSecond: 0.5, burst: 5 },
  ping: { perSecond: 4, burst: 60 },
  bye: { perSecond: 0.5, burst: 2 },
} as const satisfies Record<CoreMessage['t'], ChannelRate>;
