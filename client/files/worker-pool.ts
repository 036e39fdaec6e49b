// Workers of one script, kept for the next file once one is done with its own: starting a
// worker costs a page tens to hundreds of milliseconds (its module fetched, parsed and run),
// which a set of small files paid once per file on each side: 64 files of a few bytes took
// 7.1 s from Alice to Bob, ~110 ms a file, most of it new hash and store workers. A worker
// is handed back only in a state to serve another file (its file over, its answer given);
// idle ones are stopped after a while, so a page that sent files once holds none for good.

/** Idle workers are stopped after this long unused. */
export const WORKER_IDLE_MS = 30_000;

export interface WorkerPool {
  /** An idle worker of the script, or a new one; null where workers are unavailable. */
  take(): Worker | null;
  /**
   * Done with it: its file is over and its last answer came. Its onmessage and onerror are
   * cleared (users set those, never addEventListener, so nothing of theirs stays on it), and
   * it is kept for the next take, or stopped when `keep` are idle already.
   */
  give(worker: Worker): void;
  /** Not fit to serve another file (it failed, or its file stopped midway): cleared and stopped. */
  drop(worker: Worker): void;
}

export function createWorkerPool(url: string, keep: number, idleMs = WORKER_IDLE_MS): WorkerPool {
  const idle: { worker: Worker; timer: ReturnType<typeof setTimeout> }[] = [];
  const drop = (worker: Worker): void => {
    worker.onmessage = null;
    worker.onerror = null;
    worker.terminate();
  };
  return {
    take() {
      const kept = idle.pop();
      if (kept !== undefined) {
        clearTimeout(kept.timer);
        return kept.worker;
      }
      if (typeof Worker === 'undefined') return null;
      try {
        return new Worker(url, { type: 'module' });
      } catch {
        return null;
      }
    },
    give(worker) {
      if (idle.length >= keep) return drop(worker);
      worker.onmessage = null;
      worker.onerror = null;
      const entry = {
        worker,
        timer: setTimeout(() => {
          const at = idle.indexOf(entry);
          if (at >= 0) idle.splice(at, 1);
          worker.terminate();
        }, idleMs),
      };
      idle.push(entry);
    },
    drop,
  };
}
