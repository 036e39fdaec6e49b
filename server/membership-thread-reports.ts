// Which of the heartbeat thread's reports (heartbeat.ts) count as this node's beats, for its
// liveness (membership-liveness.ts). Its beats do; when they fail (its own connection is
// down or finding a new master) the main thread beats instead, and its own results decide,
// after the first failure of the thread's. A thread that held its beats (the main thread
// silent too long) is said once.
import type { BeatResult } from './heartbeat.ts';
import type { Logger } from './logger.ts';

export interface ThreadReportsDeps {
  /** What a beat found, as this node's liveness counts it. */
  heard(result: BeatResult): void;
  log: Logger;
  /** How long the main thread may be silent before the thread holds its beats (logged). */
  mainSilenceLimitMs: number;
  /** The store was closed: a held thread is no longer worth an error. */
  closed(): boolean;
}

/** The listener for the heartbeat thread's results. */
export function createThreadReports(deps: ThreadReportsDeps): (result: BeatResult) => void {
  const { heard, log, mainSilenceLimitMs, closed } = deps;
  /** The heartbeat thread held its beats (the main thread silent too long): said once. */
  let held = false;
  /** The heartbeat thread's last result was a failure (its first one in a row counts). */
  let threadFailing = false;
  /** The heartbeat thread has beaten at least once (before that it is starting). */
  let threadBeatOnce = false;

  return (result) => {
    const wasHeld = held;
    held = result.type === 'held';
    const wasFailing = threadFailing;
    // Before its first beat the thread is only starting (connecting): not an outage.
    threadFailing = threadBeatOnce && (result.type === 'failed' || result.type === 'down');
    if (result.type === 'beat') {
      threadBeatOnce = true;
      heard(result);
    }
    // The first failure of an episode counts (an outage shorter than the main thread's wait
    // for live() would otherwise go unseen, and a Redis restarted meanwhile would look
    // steady); later ones do not, so that a thread whose connection alone is down does not
    // undo the main thread's good beats each interval.
    else if (threadFailing && !wasFailing) heard(result);
    else if (held && !wasHeld && !closed()) {
      // Read once this thread runs again: the thread's results queue up meanwhile.
      log.error(
        { mainSilenceLimitMs },
        'membership: the main thread has not run for too long; heartbeats stopped, so other nodes remove its members',
      );
    }
  };
}
