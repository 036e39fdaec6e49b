// When our page comes back from an outage of its own (its socket back after a drop, or its
// network back after the page said it seemed offline), it asks the members here for the
// lines it missed, as chat apps fetch what came since they last saw the conversation: the
// chat's resend covers what each sender still holds for us, but not a line whose sender gave
// up on us (it dropped us as a member past the server's grace, or left) or whose link was
// replaced. This decides when to ask and from when; history.ts asks and shows.
//
// Bounded for a network that flaps: one catch-up at most every MIN_GAP_MS; a return within
// the gap is caught up once the gap is over, from the start of the earliest outage not yet
// covered, so nothing is left out and nothing is asked twice in a row.
import { MAX_CLOCK_SKEW_MS } from '../../protocol/index.ts';

/** At most one catch-up this often, however often the network comes and goes. */
export const CATCH_UP_MIN_GAP_MS = 30_000;
/**
 * How far before the outage was noticed a line may have been written and missed: the outage
 * is noticed late (a silent link after 3.5 s, a socket after up to 45 s of the server's
 * heartbeat), and lines carry their authors' clocks, which may be behind ours. Lines are
 * taken from this far back; any of them already shown are dropped as copies.
 */
export const CATCH_UP_MARGIN_MS = MAX_CLOCK_SKEW_MS;

/** A catch-up to run: ask for lines written since `since` (ms, Date.now() clock), after `afterMs`. */
export interface CatchUp {
  since: number;
  afterMs: number;
}

export interface CatchUpClock {
  /** Wall time (ms): when an outage began, as lines' times are told. */
  wall(): number;
  /** Monotonic time (ms): for the gap between catch-ups. */
  now(): number;
}

const systemClock: CatchUpClock = { wall: () => Date.now(), now: () => performance.now() };

export function createCatchUpDecision(clock: CatchUpClock = systemClock) {
  /** When the earliest outage not yet caught up began (wall clock), or null: none. */
  let awaySince: number | null = null;
  /** When the last catch-up ran (monotonic), or null. */
  let lastRun: number | null = null;
  /** A catch-up is scheduled already (its since is awaySince when it runs). */
  let scheduled = false;
  /** Our page is away now (between wentAway and cameBack). */
  let away = false;

  return {
    /** Our page lost the room (its socket dropped, or it seems offline). */
    wentAway(): void {
      away = true;
      awaySince ??= clock.wall();
    },
    /**
     * Our page is back in the room. The catch-up to schedule, or null: nothing to catch up
     * (no outage since the last one), or one is scheduled already and will cover this one.
     */
    cameBack(): CatchUp | null {
      away = false;
      if (awaySince === null || scheduled) return null;
      scheduled = true;
      const now = clock.now();
      const afterMs = lastRun === null ? 0 : Math.max(0, lastRun + CATCH_UP_MIN_GAP_MS - now);
      return { since: awaySince - CATCH_UP_MARGIN_MS, afterMs };
    },
    /**
     * The scheduled catch-up runs now: from when (the earliest outage it covers, less the
     * margin). What is missed from now on is the next catch-up's: from now, if the page is
     * away again as it runs (the network flapped meanwhile), once it is back.
     */
    run(): number | null {
      if (!scheduled || awaySince === null) return null;
      scheduled = false;
      const since = awaySince - CATCH_UP_MARGIN_MS;
      awaySince = away ? clock.wall() : null;
      lastRun = clock.now();
      return since;
    },
  };
}

export type CatchUpDecision = ReturnType<typeof createCatchUpDecision>;
