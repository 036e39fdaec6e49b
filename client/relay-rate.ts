// The per-pair rate relaying goes at, and the bursts allowed on top: the relay side's
// (relay-forward.ts) and a sender's own through a relay (relay-outbox.ts), a second less.

/** Messages a second a member relays for one pair of others, by default (a page setting). */
export const RELAY_RATE = 50;
/** A burst allowed on top (a resend after a reconnect), in seconds of the rate. */
const BURST_SECONDS = 2;
/**
 * A sender's own burst through a relay, in seconds of the rate: a second less than the
 * relay's, which leaves the relay's bucket a second of slack for what the network delivers
 * bunched (first messages held back, the next on time). With the same burst on both sides,
 * a sender that used its burst kept the relay's bucket empty, and any such bunching was
 * dropped there as over the rate (then resent by the chat, and shown out of order).
 */
export const SENDER_BURST_SECONDS = BURST_SECONDS - 1;

/** A bucket's rate at `perSecond`: its burst is `seconds` of it (BURST_SECONDS on the relay side). */
export const bucketRate = (perSecond: number, seconds = BURST_SECONDS) => ({
  perSecond,
  burst: Math.max(1, perSecond * seconds),
});
