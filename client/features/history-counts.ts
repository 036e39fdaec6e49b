// What history did on this page, counted: every part of it (asking, merging, checking,
// showing) adds to the one record createHistory owns, and the page hands out a copy
// (window.roomlink.history(): the end-to-end tests and the benchmarks read it). Its own
// module so the parts can name the record without importing history.ts, which imports them.

export interface HistoryCounts {
  /** Members asked, and members whose answer is complete. */
  asked: number;
  answered: number;
  /** History lines received, and shown as 'true', 'false', 'relayed'. */
  received: number;
  verified: number;
  forged: number;
  relayed: number;
  /** Lines ignored: duplicates, over the cap, unsolicited or answering an earlier request. */
  duplicate: number;
  ignored: number;
  /**
   * Lines received and checked, then dropped: not checked by their author's key and passing
   * for someone here or us (history-show.ts), or not a live line we missed.
   */
  dropped: number;
  /** Catch-ups after an outage of ours, and the missed lines they showed. */
  catchUps: number;
  missed: number;
}

export const createHistoryCounts = (): HistoryCounts => ({
  asked: 0,
  answered: 0,
  received: 0,
  verified: 0,
  forged: 0,
  relayed: 0,
  duplicate: 0,
  ignored: 0,
  dropped: 0,
  catchUps: 0,
  missed: 0,
});
