// How late a benchmark process's event loop ran, and the longest its garbage collector stopped
// it, since the last read: a tail latency measured at a client or a node is only as good as
// the loop that timed it, so both the nodes and the bot processes report these.
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

/** The loop delay histogram's sampling period (ms): lateness is what goes past it. */
const LOOP_RESOLUTION_MS = 20;

export interface LoopReading {
  /** How late the loop ran at p99 and at most (ms). */
  readonly loopP99Ms: number;
  readonly loopMaxMs: number;
  /** The longest garbage-collection pause of the main thread (ms). */
  readonly gcMaxMs: number;
}

export interface LoopWatch {
  /** What happened since the previous read (or the start), and a fresh window from now. */
  read(): LoopReading;
}

export function watchLoop(): LoopWatch {
  const delay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  delay.enable();
  let gcMaxMs = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMaxMs = Math.max(gcMaxMs, entry.duration);
  }).observe({ entryTypes: ['gc'] });
  const lateness = (ns: number): number => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);
  return {
    read() {
      const reading: LoopReading = {
        loopP99Ms: delay.count > 0 ? lateness(delay.percentile(99)) : 0,
        loopMaxMs: delay.count > 0 ? lateness(delay.max) : 0,
        gcMaxMs,
      };
      delay.reset();
      gcMaxMs = 0;
      return reading;
    },
  };
}
