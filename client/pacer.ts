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
import { type Bucket, refill } from './budget.ts';

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

/** One of the receiver's buckets as we pace against it: our share of its rate. */
interface Share {
  readonly bucket: Bucket;
  readonly limit: { readonly perSecond: number; readonly burst: number };
  /** What one message of `size` characters costs in this bucket. */
  cost(size: number): number;
}

export function createPacer(rate: ChannelRate, now: () => number = () => performance.now()): Pacer {
  const start = now();
  const share = (limit: { perSecond: number; burst: number }, cost: (size: number) => number): Share => ({
    bucket: { tokens: limit.burst * BURST_SHARE, at: start },
    limit: { perSecond: limit.perSecond * RATE_SHARE, burst: limit.burst * BURST_SHARE },
    cost,
  });
  const shares = [share(rate, () => 1), ...(rate.chars ? [share(rate.chars, (size) => size)] : [])];

  return {
    take(size) {
      const t = now();
      let wait = 0;
      for (const { bucket, limit, cost } of shares) {
        refill(bucket, limit, t);
        // A message bigger than our whole share goes once the share is full (the receiver's
        // full burst takes it): never a wait that cannot end.
        const missing = Math.min(cost(size), limit.burst) - bucket.tokens;
        if (missing > 0) wait = Math.max(wait, (missing / limit.perSecond) * 1000);
      }
      if (wait > 0) return Math.ceil(wait);
      for (const { bucket, cost } of shares) bucket.tokens -= cost(size);
      return 0;
    },
  };
}

/**
 * Senders that stopped for their pacer, one per member at most: each goes on by itself once
 * its wait is over (chat's lines, history's answers).
 */
export interface PacedSenders<M> {
  /** Whether `member`'s sending waits for its pacer (its sender then does nothing). */
  waiting(member: M): boolean;
  /** Calls `resume(member)` in `ms`. */
  resumeAfter(member: M, ms: number, resume: (member: M) => void): void;
  /** A member gone: its wait ends without a resume. */
  cancel(member: M): void;
}

export function createPacedSenders<M>(): PacedSenders<M> {
  const timers = new Map<M, ReturnType<typeof setTimeout>>();
  return {
    waiting: (member) => timers.has(member),
    resumeAfter(member, ms, resume) {
      timers.set(
        member,
        setTimeout(() => {
          timers.delete(member);
          resume(member);
        }, ms),
      );
    },
    cancel(member) {
      clearTimeout(timers.get(member));
      timers.delete(member);
    },
  };
}
