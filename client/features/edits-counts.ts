// Edits taken, and why others were not, counted: the parts that take them (edits-lines.ts,
// edits-received.ts) add to the one record createEdits owns, which hands out a copy with what
// the store of lines not held pushed out (counts(): the tests, and the debug handle's
// window.roomlink.edits()). Its own module so the parts can name the record without importing
// edits.ts, which imports them.

/** Why an edit was not taken (counts, for tests and the debug handle). */
export interface EditCounts {
  applied: number;
  /** Its signature does not fit its author's key. */
  forged: number;
  /** It names a line not held, and was pushed out (edits-unheld.ts) before the line came. */
  unknown: number;
  /** Its line was deleted, or a later edit is held. */
  stale: number;
  /** Another time, recipient or quoted line than the line's own. */
  mismatched: number;
}

/** What the parts count themselves; `unknown` is the store of lines not held's (edits-unheld.ts). */
export type TakenCounts = Omit<EditCounts, 'unknown'>;

export const createEditCounts = (): TakenCounts => ({ applied: 0, forged: 0, stale: 0, mismatched: 0 });
