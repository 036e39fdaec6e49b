// The chat list is one stop for the keyboard, as a chat app's timeline is (roving-list.ts):
// one line, the current one, is in the tab order with its own controls. Tab from the current
// line goes through its controls and on out of the list; ↑ ↓ Page Up Page Down Home End move
// the current line. Without it, every line's ☺, reaction chips, receipt note and file buttons
// were a stop each: with a few hundred lines, hundreds of presses from the call controls to
// the message box.
//
// Until the reader has been in the list, the newest line is current. A line replaced (a
// history line by a better copy: same author and id) hands the stop on to its copy. Moving up
// is the reader leaving the newest line; moving to it, coming back (follow.ts).
import { lineAbout, lineParts } from './line-about.ts';
import { createRovingList, OWN_KEYS } from './roving-list.ts';

/**
 * A shortcut on the current line (R replies, E edits, Delete deletes): `act` runs for one of
 * `keys` pressed on a line of the chat list or on one of its controls, never without the
 * line, with Alt, Ctrl or Meta, or where keys keep their own meaning (typing, the reaction
 * picker: OWN_KEYS). It gets the key, the line and where the key was pressed, and says
 * whether it acted: only then is the key's default prevented.
 */
export function onLineKey(
  list: HTMLElement,
  keys: readonly string[],
  act: (key: string, line: HTMLElement, at: HTMLElement) => boolean,
): void {
  list.addEventListener('keydown', (event) => {
    if (!keys.includes(event.key)) return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
    const at = event.target instanceof HTMLElement ? event.target : null;
    if (!at || at.closest(OWN_KEYS)) return;
    const line = at.closest<HTMLElement>('#messages > li');
    if (line && act(event.key, line, at)) event.preventDefault();
  });
}

export interface ListFocusHooks {
  /** The reader moves up from the current line (the chat stops following: follow.ts). */
  goingUp(): void;
  /** The reader moved to the newest line: the chat scrolls to it and follows again. */
  atNewest(): void;
}

export interface ListFocus {
  /** Makes the newest line current and gives it the keyboard ("N new messages" pressed). */
  focusNewest(): void;
  /** Makes `line` current and gives it the keyboard, showing it (a reply's quote pressed). */
  focusLine(line: HTMLElement): void;
  /** Makes `line` current, the keyboard left where it is (a search's match: Tab into the list reaches it). */
  selectLine(line: HTMLElement): void;
}

export function createListFocus(list: HTMLElement, hooks: ListFocusHooks): ListFocus {
  const roving = createRovingList(list, {
    start: 'last',
    about: (line) => lineAbout(lineParts(line)),
    key: (line) => (line.dataset.id === undefined ? undefined : `${line.dataset.from}/${line.dataset.id}`),
    goingUp: hooks.goingUp,
    atLast: hooks.atNewest,
  });
  return { focusNewest: roving.focusLast, focusLine: roving.focusItem, selectLine: roving.select };
}
