// A store written a moment after a change, with whatever else changed meanwhile, rather than
// at each change: what a tab keeps for its next load (receipts, private lines) changes in
// bursts (a line's acks and reads come together; a member may send private lines quickly),
// and each write is the whole record. `now` writes at once what waits (the page going).

export interface WriteSoon {
  /** Something changed: written `delayMs` after the first change not yet written. */
  soon(): void;
  /** Writes now, if a change waits (pagehide); nothing otherwise. */
  now(): void;
}

export function writeSoon(delayMs: number, write: () => void): WriteSoon {
  let timer: ReturnType<typeof setTimeout> | undefined;
  function now(): void {
    if (timer === undefined) return;
    clearTimeout(timer);
    timer = undefined;
    write();
  }
  return {
    soon() {
      timer ??= setTimeout(now, delayMs);
    },
    now,
  };
}
