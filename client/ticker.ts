// One timer a page for each period, shared by everything that runs on it: every link's
// heartbeat (1 s) and silence check (250 ms). With a timer of their own per link, a page in a
// room of eight woke 35 times a second doing nothing else; with one per period, 5 times.

export interface Ticker {
  /** Runs `run` every `ms` with everything else on that period; returns how to stop it. */
  every(ms: number, run: () => void): () => void;
}

interface Period {
  /** Each registration its own entry: the same function added twice runs twice, and stops apart. */
  runs: Set<{ run: () => void }>;
  timer: ReturnType<typeof setInterval>;
}

export function createTicker(): Ticker {
  const periods = new Map<number, Period>();

  function periodOf(ms: number): Period {
    const existing = periods.get(ms);
    if (existing) return existing;
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
    const made = { runs, timer };
    periods.set(ms, made);
    return made;
  }

  return {
    every(ms, run) {
      const period = periodOf(ms);
      const registration = { run };
      period.runs.add(registration);
      return () => {
        // Stopped before, or late (its period gone and another made for `ms`): nothing of
        // anyone else's is touched. A period leaves the map only once empty, with its timer.
        if (!period.runs.delete(registration) || period.runs.size > 0) return;
        clearInterval(period.timer);
        periods.delete(ms);
      };
    },
  };
}

/** The page's ticker. */
export const pageTicker = createTicker();
