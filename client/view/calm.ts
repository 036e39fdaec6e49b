// Views that can wait a moment, drawn together at most once every CALM_MS. The member list and
// the receipts on our own lines change many times in a burst (a room of eight forming: each
// link joins, connects, is verified, finds its path; one line: "delivered" and "read" from
// each member), every change in a task of its own. Drawn one by one, each change cost the page
// a frame: style, layout, paint, and the compositor's and the GPU process's share, ~10 ms of
// CPU on the 2-core bench machine, with seven other pages forming beside it. The first change
// after a quiet quarter second is drawn at once (whoever joins shows up straight away); those
// that follow within the quarter second are drawn together when it ends. A quarter second is
// below what anyone notices here; a change that must show as it happens (a member muted or
// cut off) is drawn by its caller at once, and taken out of the lane.

export const CALM_MS = 250;

export interface CalmLane {
  /** Asks for a draw with the next batch; the same draw asked for twice runs once. */
  (draw: () => void): void;
  /** Takes a draw out of the batch (its caller drew it already). */
  cancel(draw: () => void): void;
}

export function createCalmLane(intervalMs = CALM_MS, now: () => number = () => performance.now()): CalmLane {
  const waiting = new Set<() => void>();
  let scheduled = false;
  let lastBatch = Number.NEGATIVE_INFINITY;
  const flush = () => {
    scheduled = false;
    lastBatch = now();
    const draws = [...waiting];
    waiting.clear();
    for (const draw of draws) {
      try {
        draw();
      } catch (error) {
        reportError(error); // to the console, as if uncaught: one view's failure costs the others nothing
      }
    }
  };
  const ask = (draw: () => void) => {
    waiting.add(draw);
    if (scheduled) return;
    scheduled = true;
    // A task of its own even when due at once: the caller is in the middle of a change.
    setTimeout(flush, Math.max(0, lastBatch + intervalMs - now()));
  };
  return Object.assign(ask, { cancel: (draw: () => void) => void waiting.delete(draw) });
}
