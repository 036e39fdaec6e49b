// Whether the chat follows its newest line. It does while the reader is at the bottom, and it
// stops only when the reader scrolls up. The list growing below the view is not the reader
// leaving: in a busy room lines come between our scroll to the newest one and that scroll's
// event, and a line grows once it is laid out or gets a preview. Judged by the distance to
// the bottom alone, any of those made the chat stop following.

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
   * A scroll event, with the list's offset and a way to measure how far its bottom is below
   * the view (measured only when needed: it makes the browser lay the page out).
   */
  scrolled(top: number, gapBelow: () => number): void;
}

/** `slackPx`: this close to the bottom counts as at the newest line. */
export function createFollow(slackPx: number): Follow {
  let following = true;
  /** Where our last scroll to the newest line left the list. */
  let followedTop = 0;
  /** The next scroll event comes from lines going off the top (shifted). */
  let shiftPending = false;
  return {
    get following() {
      return following;
    },
    followed(top) {
      following = true;
      followedTop = top;
    },
    shifted() {
      shiftPending = following;
    },
    scrolled(top, gapBelow) {
      if (shiftPending) {
        shiftPending = false;
        followedTop = Math.min(followedTop, top);
        return;
      }
      // Not above where we put it: our own scroll, or the list grew below the view.
      if (following && top >= followedTop) return;
      following = gapBelow() < slackPx;
      if (following) followedTop = top;
    },
  };
}
