// Work the page wants done, but not while it joins the room: run when the main thread is
// next idle (or after `timeoutMs` at the latest). Where a browser has no
// requestIdleCallback (Safari), after the tasks already queued.

/** What whenIdle needs of the page (the browser's own by default; tests pass a fake). */
export interface IdleScheduler {
  requestIdleCallback(callback: (deadline: IdleDeadline) => void, options: { timeout: number }): unknown;
  now(): number;
}

const browser = (): IdleScheduler | null =>
  typeof requestIdleCallback === 'function'
    ? {
        requestIdleCallback: (callback, options) => requestIdleCallback(callback, options),
        now: () => performance.now(),
      }
    : null;

export interface IdleOptions {
  /**
   * Run only in an idle period at least this long (ms; the browser gives at most 50). A
   * saturated page, a room of 8 forming on two cores, still has idle moments of a few ms
   * between its tasks: work longer than them, run there, held up the join's next steps.
   */
  minIdleMs?: number;
  scheduler?: IdleScheduler | null;
}

export function whenIdle(task: () => void, timeoutMs: number, options: IdleOptions = {}): void {
  const { minIdleMs = 0, scheduler = browser() } = options;
  if (scheduler === null) {
    setTimeout(task, 0);
    return;
  }
  const until = scheduler.now() + timeoutMs;
  const ask = (): void => {
    // A timeout of 0 would mean none at all: the bound stays at least 1 ms.
    const timeout = Math.max(1, until - scheduler.now());
    scheduler.requestIdleCallback(
      (deadline) => {
        if (deadline.didTimeout || deadline.timeRemaining() >= minIdleMs) task();
        else ask();
      },
      { timeout },
    );
  };
  ask();
}
