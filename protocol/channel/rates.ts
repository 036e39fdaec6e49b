// How often a member may send each kind of channel message: a token bucket per member and
// type (client/budget.ts). Each feature's protocol file declares the rates of its own
// types next to their schemas; index.ts assembles them into CHANNEL_RATES, typed so that a
// message type without a rate does not compile.

export interface ChannelRate {
  /** Messages per second: the sustained rate an honest member stays under. */
  readonly perSecond: number;
  /** How many may arrive at once (a resend after a reconnect, a burst). */
  readonly burst: number;
  /**
   * For types whose size varies: the same in characters (as received), since what a message
   * costs the page (parsing, and laying out text) grows with its length.
   */
  readonly chars?: { readonly perSecond: number; readonly burst: number };
}
