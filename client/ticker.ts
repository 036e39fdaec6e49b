// One timer a page for each period, shared by everything that runs on it: every link's
// heartbeat (1 s) and silence check (250 ms). With a timer of their own per link, a page in a
// room of eight woke 35 times a second doing nothing else; with one per period, 5 times.

export interface Ticker {
  /** Runs `run` every `ms` with everything else on that period; returns how to stop it. */
  every(ms: number, run: () => void): () => void;
}

export function createTicker(): Ticker {
  /** Each registration its own entry: the same function twice runs twice, and stops apart. */
  const periods = new Map<number, { runs: Set<{ run: () => void }>; timer: ReturnType<typeof setInterval> }>();
  return {
    every(ms, run) {
      let period = periods.get(ms);
      if (!period) {
        const runs = new Set<{ run: () => void }>();
        const timer = setInterval(() => {
          for (const each of [...runs]) {
            // Stopped by an earlier run of this tick: not run again.
            if (!runs.has(each)) continue;
            try {
              each.run();
            } catch (error) {
              reportError(error); // to the console, as if uncaught: the others still run
            }
          }
        }, ms);
        period = { runs, timer };
        periods.set(ms, period);
      }
      const registration = { run };
      const joined = period;
      joined.runs.add(registration);
      return () => {
        // The period this was added to, not whichever holds `ms` now: a stop called late
        // touches nothing of a later registration.
        if (!joined.runs.delete(registration) || joined.runs.size > 0) return;
        clearInterval(joined.timer);
        if (periods.get(ms) === joined) periods.delete(ms);
      };
    },
  };
}

/** The page's ticker. */
export const pageTicker = createTicker();
