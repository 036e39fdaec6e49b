// Whether the chat follows its newest line. It does while the reader is at the bottom, and it
// stops only when the reader scrolls up. The list growing below the view is not the reader
// leaving: in a busy room lines come between our scroll to the newest one and that scroll's
// event, and a line grows once it is laid out or gets a preview. Judged by the distance to
// the bottom alone, any of those made the chat stop following.
//
// A wheel turned up (a finger drawn down, a key that goes up) says the reader is leaving
// before any scroll event does: the browser animates a wheel's scroll over several frames,
// and its first steps are still within the slack of the bottom. A line that came or grew in
// those frames scrolled the chat back down and cancelled the reader's scroll (seen in an e2e
// run: a wheel of 1,500 px left the chat at the bottom).

/** This close to the bottom is at it, whichever way the list last moved. */
const AT_BOTTOM_PX = 1;

export interface Follow {
  readonly following: boolean;
  /** Our own scroll to the newest line left the list at this offset. */
  followed(top: number): void;
  /**
   * Lines above the view went off the page: the browser moves the offset down by their height
   * (scroll anchoring), and lines that came with them may be below the view, not scrolled to
   * yet. The next scroll event's offset is where the list now is, not the reader leaving.
   */
  shifted(): void;
  /**
   * The list's own height changed (a phone's keyboard, a window) and we moved its offset to
   * keep the line at the bottom of the view in place: the next scroll event is that move, not
   * the reader's (call it only when the offset did change, so that an event comes).
   */
  kept(): void;
  /**
   * A scroll event, with the list's offset and a way to measure how far its bottom is below
   * the view (measured only when needed: it makes the browser lay the page out).
   */
  scrolled(top: number, gapBelow: () => number): void;
  /**
   * The reader asked to go up (a wheel turned up, a finger drawn down, a key) where the list
   * can: it stops following now, and scrolling up within the slack does not start it again;
   * only coming back down to the bottom does.
   */
  leaving(): void;
}

/** `slackPx`: this close to the bottom counts as at the newest line. */
export function createFollow(slackPx: number): Follow {
  let following = true;
  /** Where our last scroll to the newest line left the list. */
  let followedTop = 0;
  /** The next scroll event comes from lines going off the top (shifted). */
  let shiftPending = false;
  /** The next scroll event is our move keeping the bottom line in place (kept). */
  let keptPending = false;
  /** The offset at the last scroll event or our last scroll, to tell up from down. */
  let lastTop = 0;
  return {
    get following() {
      return following;
    },
    followed(top) {
      following = true;
      followedTop = top;
      lastTop = top;
    },
    shifted() {
      shiftPending = following;
    },
    kept() {
      keptPending = true;
    },
    scrolled(top, gapBelow) {
      const up = top < lastTop;
      lastTop = top;
      if (keptPending) {
        keptPending = false;
        return;
      }
      if (shiftPending) {
        shiftPending = false;
        followedTop = Math.min(followedTop, top);
        return;
      }
      // Not above where we put it: our own scroll, or the list grew below the view.
      if (following && top >= followedTop) return;
      const gap = gapBelow();
      // A reader going up, however near the bottom, is not back at it, unless at the very
      // bottom (a list grown taller, a keyboard closing, clamps the offset down there).
      following = !following && up ? gap <= AT_BOTTOM_PX : gap < slackPx;
      if (following) followedTop = top;
    },
    leaving() {
      following = false;
    },
  };
}
