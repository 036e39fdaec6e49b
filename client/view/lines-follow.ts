// Following the newest line: whether the reader does is judged by follow.ts on the list's
// scroll events and the reader's wish to go up; this scrolls a following reader to the newest
// line once what came is laid out, when it grows, when the list's own size changes, and once
// history lines went in above the others. A new line taller than the view is shown from its
// top (its author and time), not its bottom. A reader who scrolled up keeps the line at the
// bottom of the view in place when the list's own size changes.
import { createFollow } from './follow.ts';
import { watchGoingUp } from './reader-intent.ts';

/** Within this many pixels of the bottom the chat counts as "at the newest message". */
const STICK_TO_BOTTOM_PX = 48;
/**
 * The newest lines, whose size the chat watches: when one is first laid out, or grows (a
 * file's preview, a reaction, a narrower window), the chat scrolls to the bottom if it
 * follows. More lines than fit on a tall screen, so that a line has left the view by the time
 * it is no longer watched.
 */
const WATCHED_LINES = 60;

export interface LinesFollow {
  /** Whether the view follows the newest line (the reader sees what comes). */
  following(): boolean;
  /** Scrolls to the newest line and follows from there. */
  toNewest(): void;
  /** The reader asks to go up (a key moving up from a line: list-focus.ts). */
  readerUp(): void;
  /**
   * These lines went on the page, oldest first: the newest are watched, and one of ours is
   * scrolled to even if the view was elsewhere. Returns whether the reader sees them come
   * (the view follows, or goes to ours).
   */
  placed(lines: readonly { item: HTMLLIElement; own: boolean }[]): boolean;
  /** Lines above the view went off the page (scrollback.ts trim): follow.ts `shifted`. */
  shifted(): void;
  /** A line is made that goes in above the newest (a history line, which history.ts places). */
  lineAbove(): void;
}

export interface LinesFollowHooks {
  /** The reader is at the newest line again (scrolled there, or taken there). */
  atNewest(): void;
  /** The reader scrolled within a screen of the top. */
  nearTop(): void;
}

/** Follows the newest line of `messages`, the chat's list. */
export function createLinesFollow(messages: HTMLElement, { atNewest, nearTop }: LinesFollowHooks): LinesFollow {
  /** The newest lines on the page, oldest first: at most WATCHED_LINES, watched by `sized`. */
  const watched: HTMLLIElement[] = [];
  // Whether the view follows the newest line (follow.ts), judged on scroll events only,
  // never as lines arrive: a layout read per line made a 2,000-line burst take seconds.
  const follow = createFollow(STICK_TO_BOTTOM_PX);
  /** A line of ours went on the page: the next scroll goes to it even if the view was elsewhere. */
  let toOwnLine = false;
  /** Lines placed whose first size the observer has not reported yet: new to the reader. */
  const unsized = new WeakSet<Element>();
  /**
   * The newest line, new and taller than the view, and the offset that shows its top: the
   * view stays there while the reader follows, until the reader scrolls or another line comes.
   * Scrolled to its bottom, a phone with its keyboard up (a list of ~250 px) showed the end of
   * a long line, its author and time above the view (an exploratory pass).
   */
  let tallNewest: { item: Element; top: number } | null = null;
  /** Scrolls to `top` (the bottom by default) and follows from there. */
  function followFrom(top = messages.scrollHeight): void {
    messages.scrollTop = top;
    follow.followed(messages.scrollTop);
    atNewest();
  }
  /** Scrolls to the newest line and follows from there. */
  const toNewest = (): void => {
    tallNewest = null;
    followFrom();
  };
  /**
   * The offset that shows `item`'s top as the list's first line is shown (below its padding),
   * if the bottom would not: null when the line fits above the bottom of the view.
   */
  function topOf(item: Element): number | null {
    const padding = Number.parseFloat(getComputedStyle(messages).paddingTop) || 0;
    const top = messages.scrollTop + item.getBoundingClientRect().top - messages.getBoundingClientRect().top - padding;
    return top < messages.scrollHeight - messages.clientHeight ? top : null;
  }
  /** Where a following reader is kept: the top of a tall new line, or the bottom. */
  function keepNewest(): void {
    const top = tallNewest?.item.isConnected ? topOf(tallNewest.item) : null;
    if (tallNewest === null || top === null) {
      toNewest();
      return;
    }
    followFrom(top);
    tallNewest.top = messages.scrollTop;
  }
  messages.addEventListener(
    'scroll',
    () => {
      const top = messages.scrollTop;
      // The reader moved from the top of a tall line: it is no longer held there.
      if (tallNewest !== null && Math.abs(top - tallNewest.top) > 1) tallNewest = null;
      follow.scrolled(top, () => messages.scrollHeight - top - messages.clientHeight);
      if (follow.following) atNewest();
      // Within a screen of the top: the earlier lines, if any, come back above.
      if (top < messages.clientHeight) nearTop();
    },
    { passive: true },
  );
  // The reader's wish to go up is known before the scroll it causes (follow.ts, leaving):
  // a wheel, a finger (reader-intent.ts), or a key moving up from a line (list-focus.ts).
  const canGoUp = (): boolean => messages.scrollTop > 0;
  function readerUp(): void {
    if (canGoUp()) follow.leaving();
  }
  watchGoingUp(messages, canGoUp, readerUp);
  // The scroll to the newest line comes when a watched line changes size: when it is first laid
  // out, and when it grows (its text wraps anew, a preview comes). The browser reports that
  // after laying the page out, once a frame at most, so the scroll reads a layout that is
  // already done, with the real heights.
  /** The list's own height when last observed (its content box), null before the first look. */
  let listHeight: number | null = null;
  const sized = new ResizeObserver((entries) => {
    const previousHeight = listHeight;
    /** The newest line, laid out for the first time in this frame. */
    let newest: Element | null = null;
    for (const entry of entries) {
      if (entry.target === messages) listHeight = entry.contentRect.height;
      else if (unsized.delete(entry.target) && entry.target === messages.lastElementChild) newest = entry.target;
    }
    if (follow.following || toOwnLine) {
      toOwnLine = false;
      if (newest !== null) {
        const top = topOf(newest);
        tallNewest = top === null ? null : { item: newest, top };
      }
      keepNewest();
      return;
    }
    // A reader who scrolled up and whose list got shorter or taller (a phone's keyboard
    // opening or closing, a bar coming above or below it) keeps the line at the bottom of the
    // view where it was, as its newest lines stay put for one who follows: the list kept its
    // top, and the keyboard took the lines being read at the bottom (an exploratory pass).
    if (previousHeight === null || listHeight === null || listHeight === previousHeight) return;
    const before = messages.scrollTop;
    messages.scrollTop = before + previousHeight - listHeight;
    if (messages.scrollTop !== before) follow.kept();
  });
  // The list itself too: a smaller window, a phone's keyboard or a call's tiles above it leave
  // a following reader at the bottom.
  sized.observe(messages);

  /** Lines went on the page above the newest this frame (history): the scroll to it is queued. */
  let aboveQueued = false;
  return {
    following: () => follow.following,
    toNewest,
    readerUp,
    placed(lines) {
      for (const { item, own } of lines) {
        watched.push(item);
        unsized.add(item);
        toOwnLine ||= own;
      }
      const seen = follow.following || toOwnLine;
      for (const { item } of lines) sized.observe(item);
      for (const settled of watched.splice(0, Math.max(0, watched.length - WATCHED_LINES))) sized.unobserve(settled);
      return seen;
    },
    shifted: () => follow.shifted(),
    lineAbove() {
      // A history line goes in above the others (history.ts places it), where no watched line
      // changes size: a following reader was left where the list began, the newest lines
      // below the fold and nothing saying so (a late joiner on a phone, whose lines wrap to
      // the width they had already). Once this frame's lines are in, it goes to the newest.
      if (follow.following && !aboveQueued) {
        aboveQueued = true;
        requestAnimationFrame(() => {
          aboveQueued = false;
          if (follow.following) keepNewest();
        });
      }
    },
  };
}
