// One log line for a burst of like warnings. When a node loses thousands of clients at once
// (its network blinks, a proxy in front of it restarts), every leave waits for Redis behind
// the others, and each that misses its deadline used to log its own "served locally": 2,591
// lines in about two seconds from one node in the 10k benchmark's teardown. The first of a
// burst is logged at once, with its details; the rest are counted and logged as one line
// per window (`more`: how many), with the same message so that a search finds them all.
import type { Logger } from './logger.ts';

export interface BurstLog {
  /** Logs this warning now, or counts it when one was logged less than a window ago. */
  warn(details: Record<string, unknown>): void;
  /** Logs what is still counted, and stops the window's timer. */
  close(): void;
}

export function burstLog(log: Logger, message: string, windowMs: number): BurstLog {
  let counted = 0;
  let window: NodeJS.Timeout | null = null;
  /** Logs how many were counted, if any, and starts counting again; true if there were. */
  const logCounted = (): boolean => {
    if (counted === 0) return false;
    log.warn({ more: counted, withinMs: windowMs }, message);
    counted = 0;
    return true;
  };
  const flush = () => {
    window = null;
    // Still coming: the next ones are counted into a new window.
    if (logCounted()) open();
  };
  const open = () => {
    window = setTimeout(flush, windowMs);
    window.unref();
  };
  return {
    warn(details) {
      if (window !== null) {
        counted++;
        return;
      }
      log.warn(details, message);
      open();
    },
    close() {
      if (window !== null) clearTimeout(window);
      window = null;
      logCounted();
    },
  };
}

/** After the first, a Redis connection's errors already logged are counted and logged this often. */
const CONNECTION_ERRORS_WINDOW_MS = 60_000;
/** Distinct errors logged in full per burst, at most: past them, only counted. */
const DISTINCT_ERRORS_PER_BURST = 10;
/** A node's address in an error's message ("connect ECONNREFUSED 10.0.0.1:6379"). */
const ADDRESS = /[^\s,;()]+:\d+/g;

export interface ConnectionErrors {
  /** A connection's 'error' event. */
  error(error: unknown): void;
  /** The connection is up: its next error is logged in full, whatever came before. */
  ready(): void;
  close(): void;
}

/**
 * A Redis connection's 'error' events, logged. One like the last is not logged again (a
 * Redis away fails the same way each second it is tried again). Another is logged in full
 * the first time its kind comes in a burst (its message, the node's address aside), up to
 * DISTINCT_ERRORS_PER_BURST kinds; the others are counted and logged as a line a minute,
 * naming the last: a Cluster client looking for its Cluster names each node it tried, so no
 * error is like the one before, and with every node down each connection logged seven lines
 * a second. A burst ends with a minute that counted none. Until 2026-12-08 any other error
 * within the minute was only counted: ECONNREFUSED and then WRONGPASS every second logged the
 * ECONNREFUSED and `more: 1`, never the password to fix.
 */
export function connectionErrors(log: Logger, message: string): ConnectionErrors {
  let last = '';
  /** The kinds logged in full in this burst. */
  const logged = new Set<string>();
  let counted = 0;
  let lastCounted = '';
  let window: NodeJS.Timeout | null = null;
  const open = (): void => {
    window = setTimeout(flush, CONNECTION_ERRORS_WINDOW_MS);
    window.unref();
  };
  /** Logs what was counted; a window that counted nothing ends the burst. */
  const logCounted = (): boolean => {
    if (counted === 0) {
      logged.clear();
      return false;
    }
    log.warn({ more: counted, withinMs: CONNECTION_ERRORS_WINDOW_MS, last: lastCounted }, message);
    counted = 0;
    return true;
  };
  const flush = (): void => {
    window = null;
    if (logCounted()) open();
  };
  return {
    error(error) {
      const text = error instanceof Error ? error.message : String(error);
      if (text === last) return;
      last = text;
      const kind = text.replace(ADDRESS, '<address>');
      if (!logged.has(kind) && logged.size < DISTINCT_ERRORS_PER_BURST) {
        logged.add(kind);
        log.warn({ err: error }, message);
      } else {
        counted++;
        lastCounted = text;
      }
      if (window === null) open();
    },
    ready() {
      last = '';
      logged.clear();
    },
    close() {
      if (window !== null) clearTimeout(window);
      window = null;
      logCounted();
    },
  };
}
