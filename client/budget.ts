// What one member may send us: a token bucket per channel message type (rates from
// protocol/channel/*, CHANNEL_RATES). A member over budget on any type is muted — everything
// it sends is ignored for MUTE_MS — and has its link cut if it goes on: by another burst's
// worth while muted (a flood: every message still costs this page a parse), or by going over
// budget again soon after the mute. What it sends while muted is still charged, so it comes
// back only once its debt is paid; a member that merely had a burst (a resend after a long
// reconnect) comes back, one that keeps flooding does not.
import type { ChannelMessageType, ChannelRate, ChargedKind } from '../protocol/index.ts';

/** How long a member over budget is not listened to. */
export const MUTE_MS = 5_000;
/** An offence is forgotten after this long without another. */
const OFFENCE_MEMORY_MS = 60_000;

/**
 * pass: handle the message. ignore: drop it unread (the member is muted or cut).
 * mute: over budget now; drop it and show the member muted. cut: over budget again; drop
 * the link.
 */
export type Verdict = 'pass' | 'ignore' | 'mute' | 'cut';

export interface Budget<K extends string = ChargedKind> {
  /** Charges one message of this type and size (characters, as received), or one of what else it charges. */
  admit(type: K, size: number): Verdict;
}

export interface Bucket {
  tokens: number;
  /** When tokens was last brought up to date (ms, the clock's). */
  at: number;
}

/** Adds the tokens earned since the bucket was last brought up to date, up to the burst. */
export function refill(bucket: Bucket, rate: { perSecond: number; burst: number }, at: number): void {
  bucket.tokens = Math.min(rate.burst, bucket.tokens + ((at - bucket.at) / 1000) * rate.perSecond);
  bucket.at = at;
}

/** A message type's buckets: its count, and its characters where they count. */
interface TypeBuckets {
  count: Bucket;
  chars: Bucket;
}

/** The type's buckets in `all`, made full on its first message. */
function bucketsOf<K extends string>(all: Map<K, TypeBuckets>, type: K, rate: ChannelRate, at: number) {
  let buckets = all.get(type);
  if (!buckets) {
    buckets = { count: { tokens: rate.burst, at }, chars: { tokens: rate.chars?.burst ?? 0, at } };
    all.set(type, buckets);
  }
  return buckets;
}

/**
 * Refills the bucket for the time passed and takes `cost` from it, into debt if need be.
 * True when it held enough.
 */
function take(bucket: Bucket, rate: { perSecond: number; burst: number }, cost: number, at: number): boolean {
  refill(bucket, rate, at);
  const enough = bucket.tokens >= cost;
  bucket.tokens -= cost;
  return enough;
}

/**
 * What one member's messages may cost us when another member passes them on (relay.ts): the
 * same rates, kept per author and relay, and nobody muted or cut. When they came is the
 * relay's doing, not the author's: a relay that held back an author's genuine messages and
 * delivers them at once must not get the author ignored. The excess is dropped; the chat
 * resends what was not acknowledged.
 */
export interface Quota {
  /** Takes one message of this type and size when the type's buckets hold enough; else false. */
  take(type: ChannelMessageType, size: number): boolean;
}

export function createQuota(
  rates: Readonly<Record<ChannelMessageType, ChannelRate>>,
  now: () => number = () => performance.now(),
): Quota {
  const buckets = new Map<ChannelMessageType, TypeBuckets>();
  return {
    take(type, size) {
      const rate = rates[type];
      const at = now();
      const bucket = bucketsOf(buckets, type, rate, at);
      refill(bucket.count, rate, at);
      if (rate.chars !== undefined) refill(bucket.chars, rate.chars, at);
      if (bucket.count.tokens < 1 || (rate.chars !== undefined && bucket.chars.tokens < size)) return false;
      bucket.count.tokens -= 1;
      if (rate.chars !== undefined) bucket.chars.tokens -= size;
      return true;
    },
  };
}

/** A whole burst's worth in debt: the member went on flooding while over budget. */
const sunk = (bucket: Bucket, rate: { burst: number }): boolean => bucket.tokens < -rate.burst;

export function createBudget<K extends string>(
  rates: Readonly<Record<K, ChannelRate>>,
  now: () => number = () => performance.now(),
): Budget<K> {
  const buckets = new Map<K, TypeBuckets>();
  let mutedUntil = Number.NEGATIVE_INFINITY;
  let lastOffence = Number.NEGATIVE_INFINITY;
  let cut = false;

  /**
   * Takes one message (and its characters, where they count) from the type's buckets.
   * 'ok' when they held enough, 'over' when not, 'sunk' when a burst's worth in debt.
   */
  function charge(type: K, size: number, at: number): 'ok' | 'over' | 'sunk' {
    const rate = rates[type];
    const bucket = bucketsOf(buckets, type, rate, at);
    let enough = take(bucket.count, rate, 1, at);
    if (rate.chars !== undefined) enough = take(bucket.chars, rate.chars, size, at) && enough;
    if (sunk(bucket.count, rate) || (rate.chars !== undefined && sunk(bucket.chars, rate.chars))) return 'sunk';
    return enough ? 'ok' : 'over';
  }

  return {
    admit(type, size) {
      if (cut) return 'ignore';
      const at = now();
      const charged = charge(type, size, at);
      if (charged === 'sunk') {
        cut = true;
        return 'cut';
      }
      if (at < mutedUntil) return 'ignore';
      if (charged === 'ok') return 'pass';
      if (at - lastOffence < OFFENCE_MEMORY_MS) {
        cut = true;
        return 'cut';
      }
      lastOffence = at;
      mutedUntil = at + MUTE_MS;
      return 'mute';
    },
  };
}
