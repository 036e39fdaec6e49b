// A per-member cap on how often a kind of channel message is obeyed. A member over the cap
// is ignored, not obeyed, and not punished otherwise: honest senders stay under it.

export interface RateCap {
  /** True when one more event fits in the cap now (and counts it); false when over it. */
  allow(): boolean;
  /** How long until one more event fits (ms; 0: it fits now). Counts nothing. */
  waitMs(): number;
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
  const waitAt = (time: number): number =>
    Math.max(0, (accepted[oldest] ?? Number.NEGATIVE_INFINITY) + periodMs - time);
  return {
    waitMs: () => waitAt(now()),
    allow() {
      const time = now();
      if (waitAt(time) > 0) return false;
      accepted[oldest] = time;
      oldest = (oldest + 1) % max;
      return true;
    },
  };
}
