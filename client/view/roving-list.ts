// A list that is one stop for the keyboard (a roving tabindex, WAI-ARIA APG): one item, the
// current one, is in the tab order with its own controls; every other item and everything in
// it is out of it. Tab from the current item goes through its controls and on out of the
// list; ↑ ↓ Page Up Page Down Home End move the current item. The chat list (list-focus.ts)
// and the member list (members.ts) are such lists: without it, every line's ☺, chips and
// receipt, every member's ✉, was a stop each.
//
// This module alone says which item is current. An item becomes current when anything in it
// gets focus (a click, Tab, a key here, a view handing focus on); until the reader has been
// in the list, the first or the last item is (`start`), passing over one with nothing to do
// on it (`passOver`) while there is another. Items that come never move it; one
// that goes (removed, or drawn anew) hands it on to its replacement (same `key`) or a
// neighbour, and the keyboard with it if it had it, never to <body>.

/** Keys that move the current item. */
export type MoveKey = 'ArrowUp' | 'ArrowDown' | 'PageUp' | 'PageDown' | 'Home' | 'End';
const MOVE_KEYS: ReadonlySet<string> = new Set<MoveKey>(['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End']);
/** What the keyboard reaches inside an item: taken out of the tab order while the item is not current. */
const CONTROLS = 'button, a[href], input, select, textarea';
/**
 * A widget inside an item that keeps its own tab stop and arrow keys (the reaction picker,
 * reactions.ts): its controls are left as it set them.
 */
const OWN_WIDGET = '[role=toolbar]';
/** Where keys keep their own meaning: typing, and such a widget. */
export const OWN_KEYS = `input, textarea, select, [contenteditable], ${OWN_WIDGET}`;

/**
 * The item a key moves to from item `from` of `count`: one up or down, the first or the last,
 * or about a screen (`screen` px, by the items' tops, `topOf(i)`) up or down, at least one.
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

/** What a screen reader hears of the focused item, instead of every control's label in turn. */
export interface ItemAbout {
  readonly name: string;
  readonly description: string;
}

export interface RovingListOptions {
  /** Which item is current until the reader has been in the list. */
  start: 'first' | 'last';
  /**
   * An item that start passes over while there is another (our own member entry: it has no
   * controls, so a stop on it led nowhere).
   */
  passOver?(item: HTMLElement): boolean;
  /**
   * Where the keyboard goes when what had it went with its item and only an item passed
   * over is left to take it (the member list: the message box, when the last other member
   * leaves), rather than onto an item with nothing to do on it.
   */
  leaveTo?(): HTMLElement;
  /** The focused item's name and description, read from the item as its view drew it. */
  about(item: HTMLElement): ItemAbout;
  /** What an item stands for (a line, a member): a copy drawn in its place takes over from it. */
  key(item: HTMLElement): string | undefined;
  /** The reader moves up from the current item. */
  goingUp?(): void;
  /** The reader moved to the last item (instead of it being scrolled into view). */
  atLast?(): void;
}

export interface RovingList {
  /** Makes the last item current and gives it the keyboard. */
  focusLast(): void;
  /** Makes `item` current and gives it the keyboard, showing it; above the last, the reader went up. */
  focusItem(item: HTMLElement): void;
  /** Makes `item` current, the keyboard left where it is: the next Tab into the list lands on it. */
  select(item: HTMLElement): void;
}

export function createRovingList(list: HTMLElement, options: RovingListOptions): RovingList {
  /** The item in the tab order (null: the list is empty). */
  let current: HTMLElement | null = null;
  /** The reader has been in the list: the current item stays where they left it. */
  let chosen = false;
  /** What had the keyboard in the list, until the reader took it elsewhere (it may be gone since). */
  let focused: Element | null = null;
  /** What a focused item is described by for a screen reader, made on first use. */
  let about: HTMLElement | null = null;

  const itemOf = (node: Node | null): HTMLElement | null => {
    let at: Node | null = node;
    while (at && at.parentNode !== list) at = at.parentNode;
    return at instanceof HTMLElement ? at : null;
  };
  const starting = (): HTMLElement | null => {
    const first = options.start === 'first';
    const end = first ? list.firstElementChild : list.lastElementChild;
    for (let item = end; item; item = first ? item.nextElementSibling : item.previousElementSibling) {
      if (item instanceof HTMLElement && !options.passOver?.(item)) return item;
    }
    return end instanceof HTMLElement ? end : null;
  };
  const controlsOf = (within: Element): Element[] =>
    [...(within.matches(CONTROLS) ? [within] : []), ...within.querySelectorAll(CONTROLS)].filter(
      (control) => !control.closest(OWN_WIDGET),
    );

  /** Puts `within` (an item, or a control added to one) in the tab order or takes it out. */
  function reachable(within: Element, inOrder: boolean): void {
    for (const control of controlsOf(within)) {
      if (inOrder) control.removeAttribute('tabindex');
      else control.setAttribute('tabindex', '-1');
    }
  }

  function makeCurrent(item: HTMLElement | null): void {
    if (item === current) return;
    if (current) {
      current.tabIndex = -1;
      reachable(current, false);
      unlabel(current);
    }
    current = item;
    if (!item) return;
    item.tabIndex = 0;
    reachable(item, true);
  }

  /** Names and describes the focused item for a screen reader. */
  function label(item: HTMLElement): void {
    const { name, description } = options.about(item);
    item.setAttribute('aria-label', name);
    if (!about) {
      about = document.createElement('span');
      about.id = `${list.id}-about`;
      about.hidden = true;
      list.after(about);
    }
    about.textContent = description;
    item.setAttribute('aria-describedby', about.id);
  }
  function unlabel(item: HTMLElement): void {
    item.removeAttribute('aria-label');
    item.removeAttribute('aria-describedby');
  }

  /** Moves the current item, and the keyboard, to `item`, showing it. */
  function moveTo(item: HTMLElement, last: boolean): void {
    makeCurrent(item);
    item.focus({ preventScroll: true });
    if (last && options.atLast) options.atLast();
    else item.scrollIntoView({ block: 'nearest' });
  }

  list.addEventListener('focusin', (event) => {
    const item = itemOf(event.target as Node);
    if (!item) return;
    focused = event.target as Element;
    chosen = true;
    makeCurrent(item);
    label(item);
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
  // A click that focuses nothing (a browser that does not focus buttons on click) still picks
  // the item; one whose action gave the keyboard to another item (a reply's quote, pressed)
  // leaves that one current: made current by its focus, it lost its place in the tab order
  // and its description to the item clicked, the keyboard left on it.
  list.addEventListener('click', (event) => {
    const item = itemOf(event.target as Node);
    if (!item) return;
    const holding = itemOf(document.activeElement);
    if (holding !== null && holding !== item) return;
    chosen = true;
    makeCurrent(item);
  });

  list.addEventListener('keydown', (event) => {
    if (!MOVE_KEYS.has(event.key) || event.defaultPrevented) return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const target = event.target instanceof Element ? event.target : null;
    const from = itemOf(target);
    if (!target || !from || target.closest(OWN_KEYS)) return;
    // The list does not scroll by itself: the item moves, and the list scrolls to show it.
    event.preventDefault();
    const items = list.children;
    const at = Array.prototype.indexOf.call(items, from) as number;
    const top = (index: number) => items[index]?.getBoundingClientRect().top ?? 0;
    const to = moveTarget(event.key as MoveKey, at, items.length, top, list.clientHeight);
    const item = items[to];
    if (!(item instanceof HTMLElement)) return;
    if (to < at) options.goingUp?.();
    moveTo(item, to === items.length - 1);
  });

  /** The current item left the list: its replacement (same key), else a neighbour, takes its place. */
  function handOn(records: readonly MutationRecord[], gone: HTMLElement): HTMLElement | null {
    const key = options.key(gone);
    const replacement = records
      .flatMap((record) => [...record.addedNodes])
      .find(
        (node): node is HTMLElement =>
          node instanceof HTMLElement && node.parentNode === list && key !== undefined && options.key(node) === key,
      );
    if (replacement) return replacement;
    for (const record of records) {
      if (![...record.removedNodes].includes(gone)) continue;
      for (const near of [record.nextSibling, record.previousSibling]) {
        const item = itemOf(near);
        if (item) return item;
      }
    }
    return list.lastElementChild instanceof HTMLElement ? list.lastElementChild : null;
  }

  /**
   * Where the keyboard goes when what had it went with its item: the same control in the
   * item's replacement (a member's ✉ in its entry drawn anew), else the item now current.
   */
  function refocus(lost: Element, gone: HTMLElement | null): void {
    const at = gone && gone !== lost ? controlsOf(gone).indexOf(lost) : -1;
    const same = at >= 0 && current && options.key(current) === options.key(gone as HTMLElement);
    const control = same && current ? controlsOf(current)[at] : undefined;
    if (control instanceof HTMLElement) control.focus({ preventScroll: true });
    else if (current && options.passOver?.(current) && options.leaveTo)
      options.leaveTo().focus({ preventScroll: true });
    else current?.focus({ preventScroll: true });
  }

  // Items, and controls inside them, come and go through many views (for the chat: lines,
  // history, files, reactions, receipts): each is put in or out of the tab order here, as it comes.
  function changed(records: readonly MutationRecord[]): void {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (!(node instanceof HTMLElement) || !node.isConnected) continue;
        const item = itemOf(node);
        if (!item) continue;
        if (item === node) item.tabIndex = item === current ? 0 : -1;
        reachable(node, item === current);
      }
    }
    let gone: HTMLElement | null = null;
    if (current && current.parentNode !== list) {
      gone = current;
      makeCurrent(chosen ? handOn(records, gone) : null);
    }
    if (!chosen || !current) makeCurrent(starting());
    const active = document.activeElement;
    if (focused && !list.contains(focused) && (active === null || active === document.body)) {
      // What had the keyboard went with what was removed: it stays in the list.
      const lost = focused;
      focused = null;
      refocus(lost, gone?.contains(lost) ? gone : null);
    } else if (current?.contains(active)) {
      // What a screen reader is told of the focused item follows its changes (a reaction came).
      label(current);
    }
  }
  new MutationObserver(changed).observe(list, { childList: true, subtree: true });

  return {
    focusLast() {
      const last = list.lastElementChild;
      if (last instanceof HTMLElement) moveTo(last, true);
    },
    focusItem(item) {
      if (item.parentNode !== list) return;
      chosen = true;
      const last = item === list.lastElementChild;
      if (!last) options.goingUp?.();
      moveTo(item, last);
    },
    select(item) {
      if (item.parentNode !== list) return;
      chosen = true;
      makeCurrent(item);
    },
  };
}
