// A chat line of many rows (a pasted log, a list, or a member's wall of empty lines) shows
// its first rows and a button for the rest, as chat apps do: one line does not fill the
// screen and push the conversation out of view. Counted in line breaks: a line without them
// is at most 4,000 characters, laid out as wide as the list.
import { el } from './dom.ts';
import { formatText, shownRows } from './format.ts';

/** Lines of text past which a line is shown folded. */
export const FOLD_PAST_LINES = 15;
/** Lines a folded line shows (the stylesheet's max-height for .line-text.folded, in lh). */
export const FOLDED_LINES = 12;

/** Lines of text in a message (a trailing line break ends the last line, it adds none). */
export function textLines(text: string): number {
  let count = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < text.length - 1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/**
 * Folds `text` (a line's text element) when its message has more than FOLD_PAST_LINES lines;
 * returns the button that unfolds and folds it again, to put after it, or null.
 */
export function foldLongText(text: HTMLElement, message: string): HTMLButtonElement | null {
  // As shown: a block of code's fences take no rows ("Show all 22 lines" for 20 was wrong).
  // Never more rows than typed, so most lines are not formatted twice.
  if (textLines(message) <= FOLD_PAST_LINES) return null;
  const lines = textLines(shownRows(formatText(message)));
  if (lines <= FOLD_PAST_LINES) return null;
  text.classList.add('folded');
  const button = el('button', { className: 'line-unfold', text: `Show all ${lines} lines`, testId: 'unfold' });
  button.type = 'button';
  button.setAttribute('aria-expanded', 'false');
  button.addEventListener('click', () => {
    const unfold = text.classList.contains('folded');
    text.classList.toggle('folded', !unfold);
    button.setAttribute('aria-expanded', String(unfold));
    button.textContent = unfold ? 'Show less' : `Show all ${lines} lines`;
  });
  return button;
}
