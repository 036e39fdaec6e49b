// A chat line of many rows (a pasted log, a list, a long paragraph, or a member's wall of empty
// lines) shows its first rows and a button for the rest, as chat apps do: one line does not
// fill the screen and push the conversation out of view. A line of many breaks is folded as it
// is made; one long enough to wrap to many rows is measured once laid out, since its rows
// depend on the list's width (a paragraph of 1,000 characters is 9 rows on a laptop and 26 on
// a phone), and folded then.
import { el } from './dom.ts';
import { formatText, shownRows } from './format.ts';

/** Lines of text past which a line is shown folded. */
export const FOLD_PAST_LINES = 15;
/** Lines a folded line shows (the stylesheet's max-height for .line-text.folded, in lh). */
export const FOLDED_LINES = 12;
/**
 * Characters past which a line of few breaks may still wrap to more than FOLD_PAST_LINES rows,
 * and is measured: a phone's row holds some 16 wide characters (CJK, capitals), so 240 can
 * fill 15 rows there, and anything shorter, or as wide as emoji (two characters each), cannot.
 */
export const MEASURE_PAST_CHARS = 180;
/**
 * Lines waiting to be measured, at most: one made and never put on the page (gone before its
 * turn) would otherwise be observed for good. The oldest past it is left unfolded.
 */
const MAX_MEASURING = 200;

/** Lines of text in a message (a trailing line break ends the last line, it adds none). */
export function textLines(text: string): number {
  let count = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < text.length - 1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** Folds `text` and returns the button that unfolds and folds it again. */
function fold(text: HTMLElement, lines: number, button = el('button', { className: 'line-unfold', testId: 'unfold' })) {
  text.classList.add('folded');
  button.type = 'button';
  button.hidden = false;
  button.textContent = `Show all ${lines} lines`;
  button.setAttribute('aria-expanded', 'false');
  button.onclick = () => {
    const unfold = text.classList.contains('folded');
    text.classList.toggle('folded', !unfold);
    button.setAttribute('aria-expanded', String(unfold));
    button.textContent = unfold ? 'Show less' : `Show all ${lines} lines`;
  };
  return button;
}

/** What each line measured waits to do with its rows, oldest first. */
const measuring = new Map<Element, (rows: number) => void>();
let observer: ResizeObserver | null = null;

/**
 * Calls `then` with the rows `text` takes once it is laid out (a size reported), once. Read
 * where the browser reports sizes, after its layout, so nothing is laid out twice; what `then`
 * changes waits for the next frame, since a size changed as sizes are reported would be
 * reported late, with an error (the list follows its newest line by the same reports).
 */
function measureRows(text: HTMLElement, then: (rows: number) => void): void {
  observer ??= new ResizeObserver((entries) => {
    const measured: Array<[(rows: number) => void, number]> = [];
    for (const entry of entries) {
      const done = measuring.get(entry.target);
      if (!done || entry.contentRect.height === 0) continue; // not on the page yet
      measuring.delete(entry.target);
      observer?.unobserve(entry.target);
      const row = Number.parseFloat(getComputedStyle(entry.target).lineHeight);
      if (row > 0) measured.push([done, Math.round(entry.target.scrollHeight / row)]);
    }
    if (measured.length === 0) return;
    requestAnimationFrame(() => {
      for (const [done, rows] of measured) done(rows);
    });
  });
  measuring.delete(text);
  measuring.set(text, then);
  observer.observe(text);
  for (const [oldest] of measuring) {
    if (measuring.size <= MAX_MEASURING) break;
    measuring.delete(oldest);
    observer.unobserve(oldest);
  }
}

/**
 * Folds `text` (a line's text element) when its message takes more than FOLD_PAST_LINES rows;
 * returns the button that unfolds and folds it again, to put after it, or null. A message of
 * few breaks but many characters gets its button hidden, shown once it measured that long.
 */
export function foldLongText(text: HTMLElement, message: string): HTMLButtonElement | null {
  if (textLines(message) > FOLD_PAST_LINES) {
    // As shown: a block of code's fences take no rows ("Show all 22 lines" for 20 was wrong).
    // Never more rows than typed, so most lines are not formatted twice.
    const lines = textLines(shownRows(formatText(message)));
    if (lines > FOLD_PAST_LINES) return fold(text, lines);
  }
  if (message.length <= MEASURE_PAST_CHARS) return null;
  const button = el('button', { className: 'line-unfold', testId: 'unfold' });
  button.hidden = true;
  measureRows(text, (rows) => {
    // Revised since (line-edits.ts took the button off): the new text has a button of its own.
    if (button.parentNode === null || rows <= FOLD_PAST_LINES) return;
    fold(text, rows, button);
  });
  return button;
}
