// The chat list is one stop for the keyboard, as a chat app's timeline is (a roving tabindex,
// WAI-ARIA APG): one line, the current one, is in the tab order with its own controls; every
// other line and everything in it is out of it. Tab from the current line goes through its
// controls and on out of the list; ↑ ↓ Page Up Page Down Home End move the current line.
// Without it, every line's ☺, reaction chips, receipt note and file buttons were a stop each:
// with a few hundred lines, hundreds of presses from the call controls to the message box.
//
// This module alone says which line is current. A line becomes current when anything in it
// gets focus (a click, Tab, a key here, a view handing focus on); until the reader has been
// in the list, the newest line is. Lines that come never move it; one that goes (past the
// lines kept, off the page, a history line replaced by a better copy) hands it on to its
// replacement or a neighbour, and the keyboard with it if it had it, never to <body>.
import { lineAbout, lineParts } from './line-about.ts';

/** Keys that move the current line. */
export type MoveKey = 'ArrowUp' | 'ArrowDown' | 'PageUp' | 'PageDown' | 'Home' | 'End';
const MOVE_KEYS: ReadonlySet<string> = new Set<MoveKey>(['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End']);
/** What the keyboard reaches inside a line: taken out of the tab order while the line is not current. */
const CONTROLS = 'button, a[href], input, select, textarea';
/** Where keys keep their own meaning: typing, and the reaction picker. */
const OWN_KEYS = 'input, textarea, select, [contenteditable], .reaction-picker';

/**
 * The line a key moves to from line `from` of `count`: one up or down, the first or the last,
 * or about a screen (`screen` px, by the lines' tops, `topOf(i)`) up or down, at least one.
 */
export function moveTarget(
  key: MoveKey,
  from: number,
  count: number,
  topOf: (index: number) => number,
  screen: number,
): number {
  const last = count - 1;
  switch (key) {
    case 'ArrowUp':
      return Math.max(0, from - 1);
    case 'ArrowDown':
      return Math.min(last, from + 1);
    case 'Home':
      return 0;
    case 'End':
      return last;
    case 'PageUp': {
      let to = from;
      while (to > 0 && topOf(from) - topOf(to - 1) <= screen) to--;
      return Math.min(to, Math.max(0, from - 1));
    }
    case 'PageDown': {
      let to = from;
      while (to < last && topOf(to + 1) - topOf(from) <= screen) to++;
      return Math.max(to, Math.min(last, from + 1));
    }
  }
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
}

export function createListFocus(list: HTMLElement, hooks: ListFocusHooks): ListFocus {
  /** The line in the tab order (null: the list is empty). */
  let current: HTMLElement | null = null;
  /** The reader has been in the list: the current line stays where they left it. */
  let chosen = false;
  /** What had the keyboard in the list, until the reader took it elsewhere (it may be gone since). */
  let focused: Element | null = null;
  /** What a focused line is described by for a screen reader (line-about.ts), made on first use. */
  let about: HTMLElement | null = null;

  const lineOf = (node: Node | null): HTMLElement | null => {
    let at: Node | null = node;
    while (at && at.parentNode !== list) at = at.parentNode;
    return at instanceof HTMLElement ? at : null;
  };

  /** Puts `within` (a line, or a control added to one) in the tab order or takes it out. */
  function reachable(within: Element, inOrder: boolean): void {
    const controls = [...(within.matches(CONTROLS) ? [within] : []), ...within.querySelectorAll(CONTROLS)];
    for (const control of controls) {
      if (inOrder) control.removeAttribute('tabindex');
      else control.setAttribute('tabindex', '-1');
    }
  }

  function makeCurrent(line: HTMLElement | null): void {
    if (line === current) return;
    if (current) {
      current.tabIndex = -1;
      reachable(current, false);
      unlabel(current);
    }
    current = line;
    if (!line) return;
    line.tabIndex = 0;
    reachable(line, true);
  }

  /** Names and describes the focused line for a screen reader: who, when, what, and its state. */
  function label(line: HTMLElement): void {
    const { name, description } = lineAbout(lineParts(line));
    line.setAttribute('aria-label', name);
    if (!about) {
      about = document.createElement('span');
      about.id = 'line-about';
      about.hidden = true;
      list.after(about);
    }
    about.textContent = description;
    line.setAttribute('aria-describedby', about.id);
  }
  function unlabel(line: HTMLElement): void {
    line.removeAttribute('aria-label');
    line.removeAttribute('aria-describedby');
  }

  /** Moves the current line, and the keyboard, to `line`, showing it. */
  function moveTo(line: HTMLElement, newest: boolean): void {
    makeCurrent(line);
    line.focus({ preventScroll: true });
    if (newest) hooks.atNewest();
    else line.scrollIntoView({ block: 'nearest' });
  }

  list.addEventListener('focusin', (event) => {
    const line = lineOf(event.target as Node);
    if (!line) return;
    focused = event.target as Element;
    chosen = true;
    makeCurrent(line);
    label(line);
  });
  list.addEventListener('focusout', (event) => {
    const to = event.relatedTarget;
    if (current && !(to instanceof Node && current.contains(to))) unlabel(current);
    if (to instanceof Node && !list.contains(to)) focused = null;
    if (to !== null) return;
    // Focus went nowhere: the reader left the window (it comes back to the same element) or
    // clicked outside any control, and the keyboard is theirs to put back; or what had it was
    // removed, which `changed` sees (the browser blurs an element removed alone, not one
    // moved off in a range, as scrollback.ts does).
    const from = event.target;
    queueMicrotask(() => {
      if (focused === from && list.contains(from as Node) && document.activeElement !== from) focused = null;
    });
  });
  // A click that focuses nothing (a browser that does not focus buttons on click) still picks the line.
  list.addEventListener('click', (event) => {
    const line = lineOf(event.target as Node);
    if (line) {
      chosen = true;
      makeCurrent(line);
    }
  });

  list.addEventListener('keydown', (event) => {
    if (!MOVE_KEYS.has(event.key) || event.defaultPrevented) return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const target = event.target instanceof Element ? event.target : null;
    const from = lineOf(target);
    if (!target || !from || target.closest(OWN_KEYS)) return;
    // The list does not scroll by itself: the line moves, and the list scrolls to show it.
    event.preventDefault();
    const lines = list.children;
    const at = Array.prototype.indexOf.call(lines, from) as number;
    const top = (index: number) => lines[index]?.getBoundingClientRect().top ?? 0;
    const to = moveTarget(event.key as MoveKey, at, lines.length, top, list.clientHeight);
    const line = lines[to];
    if (!(line instanceof HTMLElement)) return;
    if (to < at) hooks.goingUp();
    moveTo(line, to === lines.length - 1);
  });

  /** The current line left the list: its replacement (same author and id), else a neighbour, takes its place. */
  function handOn(records: readonly MutationRecord[], gone: HTMLElement): HTMLElement | null {
    const replacement = records
      .flatMap((record) => [...record.addedNodes])
      .find(
        (node): node is HTMLElement =>
          node instanceof HTMLElement &&
          node.parentNode === list &&
          gone.dataset.id !== undefined &&
          node.dataset.id === gone.dataset.id &&
          node.dataset.from === gone.dataset.from,
      );
    if (replacement) return replacement;
    for (const record of records) {
      if (![...record.removedNodes].includes(gone)) continue;
      for (const near of [record.nextSibling, record.previousSibling]) {
        const line = lineOf(near);
        if (line) return line;
      }
    }
    return list.lastElementChild instanceof HTMLElement ? list.lastElementChild : null;
  }

  // Lines, and controls inside them, come and go through many views (lines, history, files,
  // reactions, receipts): each is put in or out of the tab order here, as it comes.
  function changed(records: readonly MutationRecord[]): void {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (!(node instanceof HTMLElement) || !node.isConnected) continue;
        const line = lineOf(node);
        if (!line) continue;
        if (line === node) line.tabIndex = line === current ? 0 : -1;
        reachable(node, line === current);
      }
    }
    if (current && current.parentNode !== list) {
      const gone = current;
      makeCurrent(chosen ? handOn(records, gone) : null);
    }
    if (!chosen || !current) makeCurrent(list.lastElementChild instanceof HTMLElement ? list.lastElementChild : null);
    const active = document.activeElement;
    if (focused && !list.contains(focused) && (active === null || active === document.body)) {
      // What had the keyboard went with what was removed: it stays in the list.
      focused = null;
      current?.focus({ preventScroll: true });
    } else if (current?.contains(active)) {
      // What a screen reader is told of the focused line follows its changes (a reaction came).
      label(current);
    }
  }
  new MutationObserver(changed).observe(list, { childList: true, subtree: true });

  return {
    focusNewest() {
      const newest = list.lastElementChild;
      if (newest instanceof HTMLElement) moveTo(newest, true);
    },
  };
}
