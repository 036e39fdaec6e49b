// Searching the chat: every line the page keeps, off the page too, which the browser's
// find-in-page does not see (only the newest few hundred lines are on the page: scrollback.ts).
// The Search button, in the page's header (it takes no row from the chat), opens a bar above
// the list: a field, the count ("3 of 12"), Next, Previous and Close; pressed while the bar is
// open, it gives the field the keyboard again. Typing searches the lines' words
// (search-match.ts), once a frame at most; the newest match is current, Enter or Next goes to
// the next older one, Shift+Enter or Previous to the next newer (search-found.ts), and the
// current one is brought on the page, scrolled to and marked, with the query highlighted
// (search-marks.ts). Lines that come or go, or are edited, while the bar is open are searched
// again: the current match stays where it is, and is the list's current line (Tab into the
// list lands on it). The count, a status, says the current match's author, time and start to
// a screen reader ("4 of 5: Bob, 14:02: kiwi…"): the count alone told nothing of what was
// found. Escape or Close takes every mark off, leaves the view where it is, and gives the
// keyboard back to the Search button. Ctrl+F stays the browser's.
//
// A line's words are its shown text: a message's, a file's name. Not its author's name (a
// search for "bob" would find every line Bob wrote, not the ones that speak of him), not a
// quote of another line (that line is found itself), not the page's own lines ("Bob joined")
// nor a deleted line's "message deleted", nor an ignored member's line while it is collapsed
// (ignored-lines.ts: its words are hidden; one revealed with Show is searched).
import { byTestId, el, icon, setText } from './dom.ts';
import { perFrame } from './frame.ts';
import { isCollapsed } from './ignored-lines.ts';
import { lineAbout, lineParts } from './line-about.ts';
import type { LinesView } from './lines.ts';
import { excerptOf } from './reply-quote.ts';
import { countWords, type Found, foundAgain, foundAnew, NOTHING_FOUND, stepped } from './search-found.ts';
import { createSearchMarks } from './search-marks.ts';
import { foldText } from './search-match.ts';

const TEXT = '[data-testid=message-text]';
/**
 * Lines that come or go, and words edited, are searched again this often at most, not once a
 * frame: a search of 2,000 lines takes 5-14 ms here, and a burst changes the list every frame.
 * A burst of 300 lines with every line kept a match: searched each frame, 106-121 searches and
 * 1.0-1.1 s of the main thread; every 250 ms, 16 and 0.17 s.
 */
const CHANGES_MS = 250;
/** What the count says of the current match, at most (its author and time, then its words). */
const MATCH_SAID_CHARS = 160;

export interface Search {
  /** Opens the bar, the keyboard in its field. */
  open(): void;
  /** Closes it: every mark off, the keyboard back on the Search button. */
  close(): void;
}

/** The part of a line that is searched (see above), or null for a line that is not. */
export function searchedText(line: Element): HTMLElement | null {
  if (!(line instanceof HTMLElement)) return null;
  const { kind, deleted } = line.dataset;
  if ((kind !== 'chat' && kind !== 'file') || deleted === 'true' || isCollapsed(line)) return null;
  return line.querySelector<HTMLElement>(TEXT);
}

/**
 * A line folded under "Show all" (long-text.ts) shows all its words once it is the current
 * match: the words found may be past the fold. Unfolded by its button, which says so.
 */
function unfold(line: HTMLElement): void {
  const button = line.querySelector<HTMLButtonElement>('.line-unfold');
  if (button && !button.hidden && button.getAttribute('aria-expanded') === 'false') button.click();
}

/** What a line stands for: a copy drawn in its place (a history line's better copy) is the same line. */
const lineKey = (line: HTMLElement): string => `${line.dataset.from}/${line.dataset.id}`;

/** `list`: the chat's; `lines`: what it keeps, and how one is shown (lines.ts). */
export function createSearch(list: HTMLElement, lines: Pick<LinesView, 'kept' | 'show'>): Search {
  const openButton = byTestId<HTMLButtonElement>('search-open');
  const bar = document.getElementById('search-bar') as HTMLElement;
  const input = byTestId<HTMLInputElement>('search-input');
  const count = byTestId<HTMLElement>('search-count');
  const countWordsShown = el('span', { className: 'search-count-words' });
  const matchSaid = el('span', { className: 'visually-hidden' });
  count.replaceChildren(countWordsShown, matchSaid);
  const marks = createSearchMarks(list, searchedText);
  /** Each line's words as last folded, with the text they were folded from: most never change. */
  const folded = new WeakMap<Element, { raw: string; folded: string }>();
  let isOpen = false;
  /** The query searched for (folded), '' for none. */
  let searched = '';
  let found: Found<HTMLElement> = NOTHING_FOUND;
  /** The field changed since the last search: its newest match becomes current. */
  let typed = false;
  /** A current match to show that was not on the page yet (made, waiting its turn: lines-waiting.ts). */
  let toShow: HTMLElement | null = null;
  /** Changes in the list wait for this to search again (CHANGES_MS). */
  let changesTimer: ReturnType<typeof setTimeout> | null = null;

  const foldedWords = (text: HTMLElement): string => {
    const raw = text.textContent ?? '';
    const known = folded.get(text);
    if (known?.raw === raw) return known.folded;
    const fresh = foldText(raw);
    folded.set(text, { raw, folded: fresh });
    return fresh;
  };

  function matching(query: string): HTMLElement[] {
    const matched: HTMLElement[] = [];
    for (const line of lines.kept()) {
      const text = searchedText(line);
      if (text && foldedWords(text).includes(query)) matched.push(line as HTMLElement);
    }
    return matched;
  }

  /** Searches the lines as they are now, and draws what it found. */
  const search = perFrame(() => {
    if (!isOpen) return;
    const query = foldText(input.value);
    const anew = typed || query !== searched;
    typed = false;
    searched = query.trim() === '' ? '' : query;
    if (searched === '') found = NOTHING_FOUND;
    else if (anew) {
      found = foundAnew(matching(searched));
      toShow = current();
    } else found = foundAgain(found, matching(searched), lineKey);
    draw();
  });

  const current = (): HTMLElement | null => found.lines[found.current] ?? null;

  function draw(): void {
    const line = current();
    if (toShow !== line) toShow = null;
    if (toShow) unfold(toShow);
    if (toShow && lines.show(toShow)) toShow = null;
    marks.draw(found, searched);
    setText(countWordsShown, countWords(found, searched !== ''));
    setText(matchSaid, line ? `: ${excerptOf(lineAbout(lineParts(line)).name, MATCH_SAID_CHARS)}` : '');
  }

  function step(to: 'older' | 'newer'): void {
    // What was typed this frame is searched first: Enter goes on from its newest match.
    if (typed) search.now();
    found = stepped(found, to);
    toShow = current();
    draw();
  }

  // Lines that come or go, and words edited, while the bar is open: searched again. Not what
  // changes in a line besides its words (receipts, reactions, times, file progress).
  const changes = new MutationObserver((records) => {
    if (searched === '' || changesTimer !== null) return;
    const relevant = records.some((record) => {
      if (record.target === list) return true;
      const at = record.target instanceof Element ? record.target : record.target.parentElement;
      return at?.closest(TEXT) != null;
    });
    if (!relevant) return;
    changesTimer = setTimeout(() => {
      changesTimer = null;
      search();
    }, CHANGES_MS);
  });

  function open(): void {
    if (isOpen) {
      // Pressed again: back to the field, what it holds selected.
      input.focus();
      input.select();
      return;
    }
    isOpen = true;
    bar.hidden = false;
    openButton.setAttribute('aria-expanded', 'true');
    input.focus();
    changes.observe(list, { childList: true, subtree: true, characterData: true });
  }

  function close(): void {
    if (!isOpen) return;
    isOpen = false;
    changes.disconnect();
    if (changesTimer !== null) clearTimeout(changesTimer);
    changesTimer = null;
    input.value = '';
    searched = '';
    found = NOTHING_FOUND;
    toShow = null;
    marks.clear();
    setText(countWordsShown, '');
    setText(matchSaid, '');
    openButton.setAttribute('aria-expanded', 'false');
    bar.hidden = true;
    openButton.focus();
  }

  openButton.addEventListener('click', open);
  // Their words are for screen readers; their icons (↑ older, ↓ newer, ✕) for the eye.
  for (const [id, paths, click] of [
    ['search-next', ['M8 13V3M4 7l4-4l4 4'], () => step('older')],
    ['search-prev', ['M8 3v10M4 9l4 4l4-4'], () => step('newer')],
    ['search-close', ['M4 4l8 8M12 4l-8 8'], close],
  ] as const) {
    const button = byTestId<HTMLButtonElement>(id);
    button.prepend(icon(paths));
    button.addEventListener('click', click);
  }
  input.addEventListener('input', () => {
    typed = true;
    search();
  });
  input.addEventListener('keydown', (event) => {
    // Not a key an input method is still composing with (229: Safari says isComposing late).
    if (event.key !== 'Enter' || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    step(event.shiftKey ? 'newer' : 'older');
  });
  bar.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || event.isComposing) return;
    // Not the field's own Escape, which empties it (a search field's), nor anything else's.
    event.preventDefault();
    close();
  });
  return { open, close };
}
