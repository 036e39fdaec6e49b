// How a link's round trip is read for the member list and the relay, and when a new reading
// counts as a change. Chromium's currentRoundTripTime is its latest STUN check alone: in an
// idle room of eight on one machine, readings of 1 ms jumped to 4–15 ms for one poll and
// back, and each jump redrew the member list twice. So a link reports the median of its last
// three readings (one odd reading never shows; a real change shows from the second), and a
// reported round trip is kept until it moves by more than RTT_STILL_MS or RTT_STILL_SHARE.

/** Readings the median is taken over. */
const RTT_WINDOW = 3;
/** A round trip within this many ms of the one kept counts as the same… */
const RTT_STILL_MS = 2;
/** …or within this share of it, whichever is larger. */
const RTT_STILL_SHARE = 0.1;

export function sameRoundTrip(kept: number | null, read: number | null): boolean {
  if (kept === null || read === null) return kept === read;
  return Math.abs(read - kept) <= Math.max(RTT_STILL_MS, kept * RTT_STILL_SHARE);
}

export interface RoundTripFilter {
  /**
   * A new reading (ms, or null when the stats have none) on the candidate pair named `pair`
   * (readings of another pair, before an ICE restart or a switch, are not mixed in). Returns
   * the median of the pair's last RTT_WINDOW readings, or null when it has none yet.
   */
  add(ms: number | null, pair: string): number | null;
}

export function createRoundTripFilter(): RoundTripFilter {
  let readings: number[] = [];
  let onPair = '';
  return {
    add(ms, pair) {
      if (pair !== onPair) {
        onPair = pair;
        readings = [];
      }
      // A reading without a round trip (the stats had none this once) changes nothing shown.
      if (ms !== null) readings.push(ms);
      if (readings.length > RTT_WINDOW) readings.shift();
      const sorted = [...readings].sort((a, b) => a - b);
      // Of two readings, the lower: a first spike waits for a second reading to show.
      return sorted[Math.floor((sorted.length - 1) / 2)] ?? null;
    },
  };
}
