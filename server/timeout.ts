// Waiting on something that may never answer (another node, a Redis that is away) for at
// most a bounded time.
//
// A deadline is judged by the event loop, not only by the clock. Node runs the timers that
// are due before it reads the sockets: after a stall (one long loop iteration while a storm's
// signals are relayed, 4-6 s measured at 10k sockets on two nodes; a long GC), a timer due
// during it fires before the answer that came meanwhile is read, and the answer is taken for
// none (for membership: a join decided from this node's members alone, and a room to write
// back later). So a deadline that has passed waits for one more look at the sockets
// (setImmediate runs after the loop's poll for I/O) before it says "late". That look takes
// in a reply that is there; an answer that needs another round trip (a script Redis has to
// load first) is still late.

/** A wait that ended because its deadline passed. */
export class DeadlineError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'DeadlineError';
  }
}

/**
 * Calls `onLate` once `ms` have passed and the event loop has since looked for I/O; returns
 * a function that cancels it.
 */
export function afterDeadline(ms: number, onLate: () => void): () => void {
  let immediate: NodeJS.Immediate | undefined;
  const timer = setTimeout(() => {
    immediate = setImmediate(onLate);
  }, ms);
  return () => {
    clearTimeout(timer);
    if (immediate !== undefined) clearImmediate(immediate);
  };
}

/** The promise's outcome, or a DeadlineError if it has none within `ms` (see above). */
export function deadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cancel = afterDeadline(ms, () => reject(new DeadlineError(ms)));
    promise.then(
      (value) => {
        cancel();
        resolve(value);
      },
      (error: unknown) => {
        cancel();
        reject(error);
      },
    );
  });
}

/** The promise's value, or undefined if it fails or has no answer within `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return deadline(promise, ms).catch(() => undefined);
}
