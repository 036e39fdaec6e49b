// A per-member cap on how often a kind of channel message is obeyed. A member over the cap
// is ignored, not obeyed, and not punished otherwise: honest senders stay under it.

export interface RateCap {
  /** True when one more event fits in the cap now (and counts it); false when over it. */
  allow(): boolean;
}

/**
 * At most `max` events in any window of `periodMs` — a sliding log, not a fixed window or a
 * bucket, so no burst at a window's edge gets twice the cap. The log is the last `max`
 * accepted times in a ring; its oldest entry decides.
 */
export function createRateCap(max: number, periodMs: number, now: () => number = () => performance.now()): RateCap {
  if (!Number.isInteger(max) || max < 1) throw new Error(`rate cap needs max >= 1, got ${max}`);
  const accepted = new Array<number>(max).fill(Number.NEGATIVE_INFINITY);
  let oldest = 0;
  return {
    allow() {
      const time = now();
      if (time - (accepted[oldest] ?? Number.NEGATIVE_INFINITY) < periodMs) return false;
      accepted[oldest] = time;
      oldest = (oldest + 1) % max;
      return true;
    },
  };
}
