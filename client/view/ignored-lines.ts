// The chat lines of members we ignore (ignored.ts), collapsed: the line stays in its place,
// so that replies to it still make sense, but its words, quote, reactions and buttons give
// way to "Message from an ignored member" and a Show button that reveals that one line. A
// view state only (the class `ignored` on the line, hiding the rest in the CSS, and the note
// inside it): nothing is dropped, so stopping shows every line as it was, edits made
// meanwhile included. It covers every line kept, off the page too (lines.ts kept()), which
// come back as they were left; a line made later is collapsed as it is shown (show-line.ts).
// A line shown again is told to those who wait for it to be seen (show-line.ts: its read receipt).
// R on a collapsed line shows it too, before the reply starts (wiring/line-views.ts).
import type { Ignored } from '../ignored.ts';
import { el } from './dom.ts';

export const IGNORED_WORDS = 'Message from an ignored member';

export interface IgnoredLines {
  /** Collapses the line if its author is ignored: for each chat line as it is made. */
  mark(item: HTMLElement): void;
  /** Calls `listener` with each collapsed line shown again (Show, or its member no longer ignored). */
  opened(listener: (item: HTMLElement) => void): void;
  /** Shows the line if it is collapsed, as its Show does; else nothing. */
  show(item: HTMLElement): void;
}

export interface IgnoredLinesOptions {
  ignored: Pick<Ignored, 'has' | 'changed'>;
  /** Every line kept, off the page too (lines.ts). */
  kept(): Iterable<Element>;
}

/**
 * The members whose words a chat line is: its author, and the member that relayed it where only
 * that member's word stands for it (line-marks.ts, data-vouched-by). Ignoring that member
 * collapses the line too: shown "relayed by Mallory" before, it stayed open after.
 */
function wordsOf(item: HTMLElement): string[] {
  if (item.dataset.kind !== 'chat') return [];
  const { from, vouchedBy } = item.dataset;
  return [from, vouchedBy].filter((id): id is string => id !== undefined);
}

/** Whether the line is shown collapsed now (line-about.ts says it so). */
export const isCollapsed = (item: Element): boolean => item.classList.contains('ignored');

export function createIgnoredLines({ ignored, kept }: IgnoredLinesOptions): IgnoredLines {
  const listeners: Array<(item: HTMLElement) => void> = [];

  function collapse(item: HTMLElement): void {
    if (isCollapsed(item)) return;
    item.classList.add('ignored');
    const note = el('span', { className: 'ignored-note', testId: 'ignored-note' });
    const words = el('span', { className: 'ignored-words', text: IGNORED_WORDS });
    const show = el('button', { className: 'ignored-show', text: 'Show', testId: 'ignored-show' });
    show.type = 'button';
    // The button goes with the note; the keyboard on it stays on the line (roving-list.ts).
    show.addEventListener('click', () => expand(item));
    note.append(words, ' ', show);
    item.append(note);
  }

  function expand(item: HTMLElement): void {
    item.classList.remove('ignored');
    item.querySelector('.ignored-note')?.remove();
    for (const listener of listeners) listener(item);
  }

  ignored.changed((peerId, on) => {
    for (const item of kept()) {
      if (!(item instanceof HTMLElement) || !wordsOf(item).includes(peerId)) continue;
      if (on) collapse(item);
      else if (!wordsOf(item).some((id) => ignored.has(id))) expand(item);
    }
  });

  return {
    mark(item) {
      if (wordsOf(item).some((id) => ignored.has(id))) collapse(item);
    },
    opened(listener) {
      listeners.push(listener);
    },
    show(item) {
      if (isCollapsed(item)) expand(item);
    },
  };
}
