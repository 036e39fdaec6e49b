// Is the member at the other end of a link silent? It is when nothing has been heard from it
// for `timeoutMs` of the time this page was running. A tick of the check that comes late by
// far (a frozen or backgrounded tab, a suspended machine, a CPU starved by video encoders)
// means this page was not running: whatever the member sent meanwhile may still be queued
// behind the tick, so the pause is not counted against the member. Without that, a page
// that stalled for a few seconds took every member for silent at once and restarted ICE on
// every link (seen in the calls bench: four video members on two cores).

/** A tick later than this past its period is a stall of our own page, not the member's silence. */
export const STALL_SLACK_MS = 1_000;

export interface SilenceWatch {
  /** Something arrived from the member. */
  heard(now: number): void;
  /** When the member was last heard (or the watch started), moved on by each stall of our page. */
  readonly lastHeard: number;
  /** The periodic check: true when the member has been silent past the timeout. */
  silent(now: number): boolean;
}

export interface SilenceWatchOptions {
  timeoutMs: number;
  /** How often silent() is called. */
  checkMs: number;
  /** Told of each stall of our own page (ms it lasted beyond the period). */
  stalled?(ms: number): void;
}

export function createSilenceWatch(start: number, options: SilenceWatchOptions): SilenceWatch {
  let lastHeard = start;
  let lastCheck = start;
  return {
    heard(now) {
      lastHeard = now;
    },
    get lastHeard() {
      return lastHeard;
    },
    silent(now) {
      const late = now - lastCheck - options.checkMs;
      lastCheck = now;
      if (late > STALL_SLACK_MS) {
        // The member gets back the time we were away.
        lastHeard = Math.min(now, lastHeard + late);
        options.stalled?.(late);
      }
      return now - lastHeard > options.timeoutMs;
    },
  };
}
