// Relaying through a member: when A and B cannot link directly and C links to both, A's
// channel messages to B travel A → C → B. One hop only: a relay forwards a `relay:fwd` it
// received on a direct link, never a `relay:deliver`, and what it carries is sealed: A
// encrypts each message to B's per-join ECDH key (announced with B's join, see
// protocol/signaling-keys.ts), AES-GCM with A's and B's peer ids as associated data. C sees
// only sizes; it cannot read, alter, forge or redirect what it carries, and B refuses a
// replay (each sealed message carries its sender time and is opened at most once).
import * as z from 'zod/mini';
import { MAX_SEALED_LENGTH, PEER_ID_PATTERN } from '../limits.ts';
import type { ChannelRate } from './rates.ts';

/** Members advertised in one relay:links (a room holds at most a few dozen). */
export const MAX_ADVERTISED_LINKS = 64;
/** base64url of a 12-byte IV, the AES-GCM ciphertext and its 16-byte tag. */
const SEALED_PATTERN = /^[A-Za-z0-9_-]+$/;
/** The largest round trip a member may advertise (ms). */
const MAX_ADVERTISED_RTT_MS = 60_000;
/** The largest per-pair relay rate a member may advertise (messages a second). */
export const MAX_RELAY_RATE = 1_000;

const peerId = z.string().check(z.regex(PEER_ID_PATTERN));
const sealed = z.string().check(z.minLength(40), z.maxLength(MAX_SEALED_LENGTH), z.regex(SEALED_PATTERN));

export const relaySchemas = [
  /**
   * The members the sender links to directly right now and would relay to, with the
   * round-trip time (ms) of each link; an empty list when the sender does not relay. `rate`:
   * the messages a second it passes on per pair (its setting), so that senders through it
   * pace themselves to that instead of having the excess dropped on the way.
   */
  z.strictObject({
    t: z.literal('relay:links'),
    rate: z.optional(z.number().check(z.gte(1), z.lte(MAX_RELAY_RATE))),
    peers: z
      .array(
        z.strictObject({
          id: peerId,
          rtt: z.nullable(z.number().check(z.gte(0), z.lte(MAX_ADVERTISED_RTT_MS))),
        }),
      )
      .check(z.maxLength(MAX_ADVERTISED_LINKS)),
  }),
  /** To the relay: please pass this sealed message on to `to`. */
  z.strictObject({ t: z.literal('relay:fwd'), to: peerId, sealed }),
  /** From the relay: `from` sent you this through me. */
  z.strictObject({ t: z.literal('relay:deliver'), from: peerId, sealed }),
] as const;

export type RelayMessage = z.infer<(typeof relaySchemas)[number]>;

/**
 * Message types that may travel through a relay: what chat needs end to end (lines, their edits, acks,
 * typing, read receipts, reactions and their resync when a route opens, history). Link-level
 * messages (hello, heartbeat, goodbye), relay messages themselves (one hop only), files and
 * calls (direct links only) never do.
 */
export const RELAYABLE_TYPES: ReadonlySet<string> = new Set([
  'chat',
  'chat:sig',
  'chat:edit',
  'ack',
  'typing',
  'receipt:read',
  'react',
  'react:sync',
  'history:req',
  'history:lines',
  // Sent only to a member whose hello said ROOM_NAME_VERSION (features/room-name.ts), which
  // takes it through a relay too: a member cut off from the setter's link learns a rename.
  'room:name',
]);

/**
 * Link-level budgets (client/budget.ts). A relay passes on at most 50 messages a second per
 * pair by default (a page setting); a member sends `relay:fwd` for every member it cannot
 * reach and receives `relay:deliver` from every one behind the relay, and a reconnect
 * resends a backlog, so both allow many pairs' worth. What is inside is charged again to
 * its author's own budget once opened.
 */
export const relayRates = {
  'relay:links': { perSecond: 2, burst: 20 },
  'relay:fwd': { perSecond: 800, burst: 2_000, chars: { perSecond: 2_000_000, burst: 4_000_000 } },
  'relay:deliver': { perSecond: 800, burst: 2_000, chars: { perSecond: 2_000_000, burst: 4_000_000 } },
} as const satisfies Record<RelayMessage['t'], ChannelRate>;
