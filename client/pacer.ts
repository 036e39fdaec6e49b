// Sender-side pacing: what this page sends a member of one message type stays within the
// budget that member's page holds us to (budget.ts, the same CHANNEL_RATES). Over it, the
// receiver mutes us and drops what we send without a word, and cuts our link if we go on:
// an honest burst (2,000 lines in a loop, the outbox resent after a reconnect) must wait
// here instead of being lost there.
//
// The receiver refills its bucket on its own clock as messages reach its page, so messages
// sent evenly can arrive bunched (its page was busy, the network stalled). We keep a margin
// for that: half its burst and nine tenths of its rate, so a stall of a couple of seconds
// on its side still finds tokens.
import type { ChannelRate } from '../protocol/index.ts';

/** Share of the receiver's burst we use at once; the rest absorbs messages arriving bunched. */
const BURST_SHARE = 0.5;
/** Share of the receiver's sustained rate we send at. */
const RATE_SHARE = 0.9;

export interface Pacer {
  /**
   * Takes one message of `size` characters (as the receiver counts them) when the budget
   * allows it now and returns 0; otherwise takes nothing and returns how many ms to wait.
   */
  take(size: number): number;
}

interface Bucket {
  tokens: number;
  readonly perSecond: number;
  readonly burst: number;
  /** What one message of `size` characters costs in this bucket. */
  cost(size: number): number;
}

export function createPacer(rate: ChannelRate, now: () => number = () => performance.now()): Pacer {
  const bucket = (limit: { perSecond: number; burst: number }, cost: (size: number) => number): Bucket => ({
    tokens: limit.burst * BURST_SHARE,
    perSecond: limit.perSecond * RATE_SHARE,
    burst: limit.burst * BURST_SHARE,
    cost,
  });
  const buckets = [bucket(rate, () => 1), ...(rate.chars ? [bucket(rate.chars, (size) => size)] : [])];
  let at = now();

  return {
    take(size) {
      const t = now();
      for (const b of buckets) b.tokens = Math.min(b.burst, b.tokens + ((t - at) / 1000) * b.perSecond);
      at = t;
      let wait = 0;
      for (const b of buckets) {
        // A message bigger than our whole share goes once the share is full (the receiver's
        // full burst takes it): never a wait that cannot end.
        const missing = Math.min(b.cost(size), b.burst) - b.tokens;
        if (missing > 0) wait = Math.max(wait, (missing / b.perSecond) * 1000);
      }
      if (wait > 0) return Math.ceil(wait);
      for (const b of buckets) b.tokens -= b.cost(size);
      return 0;
    },
  };
}
