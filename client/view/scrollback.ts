// The chat's older lines, kept in order off the page. Every frame that adds a line costs the
// browser work in proportion to the lines on the page (layout, pre-paint and paint walk them
// all; content-visibility, which lines had then, checked each one): traced at 2,000 lines, a
// frame took ~22 ms of main thread, against ~4 ms at 150. So while the reader follows the newest line, the page
// holds PAGE_LINES; the older ones wait in a fragment, siblings still (a history line can be
// placed among them), and come back a batch at a time as the reader scrolls near the top.

/** Lines on the page while the reader follows the newest one. */
export const PAGE_LINES = 300;
/** Lines taken off, or brought back, at a time. */
export const MOVE_LINES = 100;

export interface ScrollbackCounts {
  /** Lines on the page. */
  readonly onPage: number;
  /** Lines off the page, older than all of those on it. */
  readonly earlier: number;
}

/** What to do after lines went on the page. */
export interface Trim {
  /** The oldest lines off the page that go for good. */
  readonly dropEarlier: number;
  /** The oldest lines on the page that go for good (when there is nothing earlier left). */
  readonly dropOnPage: number;
  /** The oldest lines on the page that go off it, into the earlier ones. */
  readonly takeOff: number;
}

/**
 * `maxLines` bounds the lines kept, on the page and off it. Lines go off the page only while
 * the reader follows: one reading back keeps every line they may scroll to, and the page is
 * trimmed once they are back at the bottom. Moves come in batches (the page may hold up to
 * PAGE_LINES + MOVE_LINES) so that most lines move nothing.
 */
export function planTrim(counts: ScrollbackCounts, following: boolean, maxLines: number): Trim {
  let { onPage, earlier } = counts;
  const excess = Math.max(0, onPage + earlier - maxLines);
  const dropEarlier = Math.min(earlier, excess);
  const dropOnPage = excess - dropEarlier;
  earlier -= dropEarlier;
  onPage -= dropOnPage;
  const takeOff = following && onPage > PAGE_LINES + MOVE_LINES ? onPage - PAGE_LINES : 0;
  return { dropEarlier, dropOnPage, takeOff };
}

/** How many earlier lines come back when the reader nears the top of the page. */
export function planBringBack(counts: ScrollbackCounts): number {
  return Math.min(counts.earlier, MOVE_LINES);
}

export interface Scrollback {
  /** Lines on the page and off it. */
  counts(): ScrollbackCounts;
  /**
   * After lines went on the page: keeps at most `maxLines`, and the page short while following.
   * Returns whether lines left the page (the view then moves: follow.ts `shifted`).
   */
  trim(following: boolean): boolean;
  /**
   * On a scroll near the top: puts the next earlier lines back above the ones shown, and keeps
   * the view on the line that was at its top.
   */
  bringBack(): void;
  /** Whether a line off the page, waiting to come back, is one that `match` picks. */
  holds(match: (line: Element) => boolean): boolean;
  /** The lines off the page, waiting to come back, oldest first: to redraw what they show. */
  offPage(): Element[];
}

export interface ScrollbackHandlers {
  /** After lines went off the page or came back (the view's button shows the count). */
  changed(counts: ScrollbackCounts): void;
  /**
   * A line went for good: what was kept for it can go too (lines.ts `whenDropped`). Not for
   * a line that only went off the page: it may come back.
   */
  dropped(line: Element): void;
}

export function createScrollback(list: HTMLElement, maxLines: number, handlers: ScrollbackHandlers): Scrollback {
  const earlier = document.createDocumentFragment();
  const counts = (): ScrollbackCounts => ({ onPage: list.childElementCount, earlier: earlier.childElementCount });

  function removeFirst(parent: ParentNode, count: number): void {
    for (let left = count; left > 0; left--) {
      const line = parent.firstElementChild;
      if (!line) return;
      line.remove();
      handlers.dropped(line);
    }
  }

  return {
    counts,
    trim(following) {
      const plan = planTrim(counts(), following, maxLines);
      removeFirst(earlier, plan.dropEarlier);
      removeFirst(list, plan.dropOnPage);
      if (plan.takeOff > 0) {
        const range = document.createRange();
        range.setStartBefore(list.firstElementChild as Element);
        range.setEndAfter(list.children[plan.takeOff - 1] as Element);
        earlier.append(range.extractContents());
      }
      if (plan.takeOff > 0 || plan.dropEarlier > 0) handlers.changed(counts());
      return plan.takeOff > 0 || plan.dropOnPage > 0;
    },
    bringBack() {
      const count = planBringBack(counts());
      if (count === 0) return;
      const first = list.firstElementChild;
      const topBefore = first?.getBoundingClientRect().top ?? 0;
      const range = document.createRange();
      range.setStartBefore(earlier.children[earlier.childElementCount - count] as Element);
      range.setEndAfter(earlier.lastElementChild as Element);
      // Lines coming back are not news: the list is no live region (announcer.ts), and nothing
      // here tells the announcer, so they are not read out again.
      list.prepend(range.extractContents());
      handlers.changed(counts());
      // The browser's scroll anchoring keeps the view in place, except at offset 0 (where it
      // does not anchor): the view moves down by what the line at its top moved, if at all.
      if (first) list.scrollTop += first.getBoundingClientRect().top - topBefore;
    },
    holds: (match) => Array.prototype.some.call(earlier.children, match) as boolean,
    offPage: () => [...earlier.children],
  };
}
