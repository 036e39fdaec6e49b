// When the page reads its links' paths and round trips (the member list's "direct · 12 ms",
// the relay's choice of route, a call's "relayed" flag). Each read is a getStats() per link:
// in an idle room of eight, reading every 2 s was about a fifth of a page's CPU (2026-12-04:
// 17.2 ms a second per page, 13.9 without the reads). While the page is hidden nobody sees
// the list, so it reads five times less often (the relay's round trips then lag by up to
// three reads, 20–30 s, which only the choice between two relays feels), and reads at once
// when it is shown again, if the last read is 2 s old or more.

/** Between reads while the page is visible. */
export const VISIBLE_READ_MS = 2_000;
/** Between reads while it is hidden. */
export const HIDDEN_READ_MS = 10_000;

export interface PathPollOptions {
  /** Reads every link's path (mesh.refreshPaths). */
  read(): Promise<void>;
  hidden(): boolean;
  now?: () => number;
}

export interface PathPolls {
  /** The page was shown or hidden (visibilitychange). */
  visibilityChanged(): void;
  stop(): void;
}

export function startPathPolls(options: PathPollOptions): PathPolls {
  const now = options.now ?? (() => performance.now());
  let lastRead = now();
  let timer: ReturnType<typeof setTimeout> | null = null;
  /** One read at a time: a getStats() slowed by a busy machine does not pile up behind itself. */
  let reading = false;
  let stopped = false;

  const interval = (): number => (options.hidden() ? HIDDEN_READ_MS : VISIBLE_READ_MS);

  function cancel(): void {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  }

  function schedule(): void {
    cancel();
    if (stopped || reading) return;
    timer = setTimeout(read, Math.max(0, lastRead + interval() - now()));
  }

  function read(): void {
    // Also called at once (shown again): the pending timer goes, or two chains of reads run.
    cancel();
    if (stopped || reading) return;
    reading = true;
    lastRead = now();
    void options
      .read()
      .catch((error: unknown) => reportError(error)) // to the console, as if uncaught; the polls go on
      .finally(() => {
        reading = false;
        schedule();
      });
  }

  schedule();
  return {
    visibilityChanged() {
      if (stopped) return;
      // Shown again: what comes into view should not be ten seconds old.
      if (!options.hidden() && now() - lastRead >= VISIBLE_READ_MS) read();
      else schedule();
    },
    stop() {
      stopped = true;
      cancel();
    },
  };
}
