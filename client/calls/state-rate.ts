// A per-member bound on call-state messages: a member that floods them is ignored beyond the
// bound until the window passes. A person clicks a few times a second at most; every state
// message carries the whole state, so the feature keeps only the latest refused one and
// applies it when the window ends: a flood costs one timer, and the last word still counts.

/** At most this many call-state messages per member per window. */
export const MAX_CALL_STATES_PER_WINDOW = 10;
export const CALL_STATE_WINDOW_MS = 1_000;
/** What we send a window at most: half what a member takes, whatever its clock. */
export const SENT_CALL_STATES_PER_WINDOW = 5;

export interface WindowCounter {
  /** True if one more message fits in the current window. */
  take(): boolean;
  /** Milliseconds until the current window ends. */
  untilNextWindow(): number;
}

export function createWindowCounter(
  limit = MAX_CALL_STATES_PER_WINDOW,
  windowMs = CALL_STATE_WINDOW_MS,
  now: () => number = () => performance.now(),
): WindowCounter {
  let started = now();
  let used = 0;
  return {
    take() {
      const t = now();
      if (t - started >= windowMs) {
        started = t;
        used = 0;
      }
      if (used >= limit) return false;
      used++;
      return true;
    },
    untilNextWindow: () => Math.max(0, started + windowMs - now()),
  };
}
