// Where you left off: the first message that came while the tab was hidden starts with a "New
// messages" divider, so that a reader coming back to a busy room finds the first line they
// have not seen (the title counted them meanwhile: attention.ts). One divider at a time: it
// stays after the reader comes back, until they write a line (they have caught up) or hide
// the tab again (a new one then marks what comes next). It is part of its line, first, so a
// screen reader reads it with the line and it goes with the line when the page lets it go.
import { el } from './dom.ts';

/** What the divider says. */
export const UNREAD_TEXT = 'New messages';

export interface UnreadMarkerOptions {
  /** Whether the tab is hidden now. */
  hidden?: () => boolean;
  /** Calls `listener` whenever the tab is hidden or shown. */
  onVisibility?: (listener: () => void) => void;
}

export interface UnreadMarker {
  /** A message from someone else went on the page in `item`. */
  incoming(item: HTMLElement): void;
  /** We wrote: whatever was new is seen. */
  seen(): void;
  /**
   * A message went on the page above these lines, written before them (near-order.ts): if one
   * has the divider and the tab is still hidden, the divider goes to it, the first unseen now.
   */
  placedAbove(item: HTMLElement, passed: readonly Element[]): void;
}

export function createUnreadMarker({
  hidden = () => document.visibilityState === 'hidden',
  onVisibility = (listener) => document.addEventListener('visibilitychange', listener),
}: UnreadMarkerOptions = {}): UnreadMarker {
  /** The line with the divider (it may have gone from the page since: then nothing holds it). */
  let marked: WeakRef<HTMLElement> | null = null;
  /** Hidden since the last message: the next one gets the divider. */
  let armed = hidden();

  function seen(): void {
    const item = marked?.deref();
    item?.querySelector('[data-testid=unread-divider]')?.remove();
    item?.classList.remove('line-first-new');
    marked = null;
  }

  onVisibility(() => {
    // Hidden again: what the reader came back to is seen; what comes now is new.
    if (hidden()) {
      seen();
      armed = true;
    } else armed = false;
  });

  function mark(item: HTMLElement): void {
    const made = el('div', { className: 'unread-divider', testId: 'unread-divider', text: UNREAD_TEXT });
    item.prepend(made);
    item.classList.add('line-first-new');
    marked = new WeakRef(item);
  }

  return {
    incoming(item) {
      if (!armed) return;
      armed = false;
      mark(item);
    },
    seen,
    placedAbove(item, passed) {
      const first = marked?.deref();
      if (first === undefined || !passed.includes(first) || !hidden()) return;
      seen();
      mark(item);
    },
  };
}
