// The chat's lines (messages and system lines), appended in batches with at most one scroll
// per frame, so a burst of thousands of lines stays fast. The newest MAX_LINES are kept, so
// that memory is bounded whatever the room sends; of them, while the reader follows, only
// the newest few hundred are on the page (scrollback.ts).
// Each part is a module of its own; this one makes them and answers for the list as a whole
// (a line appended and told to a screen reader, put on the page, found, shown, moved, counted):
//   lines-element.ts  a line's element: who wrote it, its time (lines-time.ts) and its words;
//   lines-waiting.ts  the lines made and not on the page yet, a frame's budget going at a time;
//   near-order.ts     where a chat line goes among those written at nearly the same moment;
//   lines-kept.ts     the lines kept, off the page too, and what goes with a line for good;
//   lines-follow.ts   following the newest line: the scroll to it, the reader going up;
//   newer.ts          "N new messages" below a reader who scrolled up;
//   list-focus.ts     the list as one stop for the keyboard, keys moving the current line;
//   copy-lines.ts     a selection over several lines copied as the lines.

import type { ChatLine } from '../features/chat.ts';
import { lineKey } from '../features/transcript.ts';
import { type ChatAnnouncer, pageAnnouncer } from './announcer.ts';
import { copyWholeLines } from './copy-lines.ts';
import { lineElement } from './lines-element.ts';
import { createLinesFollow } from './lines-follow.ts';
import { createKeptLines, MAX_LINES } from './lines-kept.ts';
import { shownTime } from './lines-time.ts';
import { createWaitingLines, type Waiting } from './lines-waiting.ts';
import { createListFocus } from './list-focus.ts';
import { AUTHORS_KEPT, createNearOrder, type LineOrder } from './near-order.ts';
import { createNewer } from './newer.ts';
import type { ScrollbackCounts } from './scrollback.ts';

export { MAX_LINES } from './lines-kept.ts';

export interface LinesView {
  /**
   * Puts the line on the page (within this task) and returns its element; one that mentions
   * us is marked, said so to a screen reader and counted apart while the reader is up.
   * `spokenName` is the author as a screen reader hears it, when it is more than the name
   * shown (a twin's tag, twins.ts, drawn beside the name by twin-tag.ts).
   */
  append(line: ChatLine, senderName: string, mentionsYou?: boolean, spokenName?: string): HTMLLIElement;
  /**
   * The element for a line that another view part puts on the page itself (history lines go
   * in sender-time order under their marker): not queued behind the newest lines.
   */
  build(line: ChatLine, senderName: string): HTMLLIElement;
  /** A file's line (view/file-line.ts); one from someone else is announced with its first status. */
  appendItem(item: HTMLLIElement, own: boolean): void;
  /**
   * Whether this page shows, as it came, a line of this author's written before `ts`: a line of
   * theirs written after it is no "before you joined" line (wiring/history.ts, placeLate).
   */
  cameBefore(from: string, ts: number): boolean;
  /**
   * A line another part built (a history line written after one of its author's this page
   * shows as it came) put among the lines as they came, by its time: not told, not counted.
   */
  placeLate(item: HTMLLIElement, order: LineOrder): void;
  /**
   * A line of ours given to appendItem goes after every line shown or waiting now: a file we
   * send, whose offer went out only once it was hashed, is where its recipients show it. One
   * gone off the page (scrollback.ts) or for good stays where it is.
   */
  moveToNewest(item: HTMLLIElement): void;
  /** Lines kept: on the page, and off it above (scrollback.ts). */
  counts(): ScrollbackCounts;
  /**
   * Runs `undo` when the line (given to appendItem, not gone yet) goes for good: past
   * MAX_LINES, or dropped before it was shown. For what the page keeps for a line beyond its
   * element, such as a file's object URL, which keeps the whole file alive until revoked.
   * A line that only waits off the page (scrollback.ts) keeps it: it may come back.
   */
  whenDropped(item: HTMLLIElement, undo: () => void): void;
  /** Whether the view follows the newest line (the reader sees what comes). */
  following(): boolean;
  /**
   * Makes the line of this author and id current and gives it the keyboard, bringing it back
   * on the page first if it waits off it (scrollback.ts); false when the page no longer has it.
   */
  reveal(from: string, id: string): boolean;
  /**
   * Shows the line: brings it back on the page first if it waits off it (scrollback.ts), as
   * scrolling up would, and scrolls the list to it. Above the newest line the reader leaves
   * that line, as scrolling up does, before the scroll is told: a line that comes meanwhile
   * neither takes the view back down nor cuts the page back to its newest lines, the one
   * shown with them. The keyboard stays where it is (a search's field keeps it), and the line
   * is the list's current one: Tab into the list lands on it (it landed on the newest line,
   * far from what was found). False when the line is not on the page after all: gone for
   * good, or made and not on it yet.
   */
  show(item: Element): boolean;
  /**
   * A message from someone else was deleted (`mentionsYou` null) or edited: "N new messages"
   * counts it as it now is, if it counted it.
   */
  revised(from: string, id: string, mentionsYou: boolean | null): void;
  /**
   * Every line kept, oldest first: off the page (scrollback.ts), on it, and made but not on it
   * yet. For what changes in lines already shown (a member's tag, twin-tag.ts), which the lines
   * off the page must show too when they come back, and for a search of them all (search.ts).
   */
  kept(): Element[];
}

export interface LinesViewOptions {
  /** What a screen reader is told of new lines (announcer.ts); the page's by default. */
  announcer?: ChatAnnouncer;
  /** The reader is at the newest line again (attention.ts clears what it counted meanwhile). */
  caughtUp?: () => void;
  /** A chat line went above these, written before them (near-order.ts): unread-marker.ts. */
  placedAbove?: (item: HTMLLIElement, passed: readonly Element[]) => void;
  /** A member we ignore (ignored.ts): its lines are neither told nor counted as new. */
  ignored?: (from: string) => boolean;
}

/** The (author, id) key of a line's element, as edits name it; null for one without them. */
function keyOf(item: HTMLElement): string | null {
  const { from, id } = item.dataset;
  return from === undefined || id === undefined ? null : lineKey(from, id);
}

export function createLinesView({
  announcer = pageAnnouncer(),
  caughtUp,
  placedAbove,
  ignored = () => false,
}: LinesViewOptions = {}): LinesView {
  const messages = document.getElementById('messages') as HTMLOListElement;
  copyWholeLines(messages);
  /** Where a chat line goes among the near ones on the page (near-order.ts). */
  const nearOrder = createNearOrder();
  /** Each author's earliest line this page shows as it came (not as history): cameBefore. */
  const firstCame = new Map<string, number>();
  // The lines kept, off the page too, and what goes with one when it goes for good (lines-kept.ts).
  const { scrollback, dropped, whenDropped } = createKeptLines(messages);
  // Lines made wait to go on the page a frame's budget at a time (lines-waiting.ts).
  const waiting = createWaitingLines({ put, dropped });
  // The view follows the newest line while the reader does (lines-follow.ts).
  const follow = createLinesFollow(messages, {
    atNewest() {
      newer.caughtUp();
      caughtUp?.();
    },
    nearTop: () => scrollback.bringBack(),
  });
  // One line is the keyboard's stop in the list; keys move it (list-focus.ts). Moving up is
  // the reader leaving the newest line, as a wheel turned up is; moving to it, coming back.
  const listFocus = createListFocus(messages, { goingUp: follow.readerUp, atNewest: follow.toNewest });
  // A reader who scrolled up is told how many messages came in below, and can jump to them.
  const newer = createNewer(document.getElementById('newer') as HTMLButtonElement, follow.toNewest, MAX_LINES, () =>
    listFocus.focusNewest(),
  );

  /** Puts this frame's lines on the page (lines-waiting.ts says which). */
  function put(taken: readonly Waiting[]): void {
    // One by one (no layout is read in between, so this lays out once, as a fragment did).
    for (const next of taken) {
      const passed = nearOrder.place(messages, next.item, next.order);
      if (passed.length > 0) placedAbove?.(next.item, passed);
    }
    if (!follow.placed(taken)) {
      newer.came(taken.filter((next) => next.news).map((next) => ({ key: keyOf(next.item), mention: next.mention })));
    }
    if (scrollback.trim(follow.following())) follow.shifted();
  }

  return {
    build(line, senderName) {
      follow.lineAbove();
      return lineElement(line, senderName);
    },
    cameBefore: (from, ts) => (firstCame.get(from) ?? Number.POSITIVE_INFINITY) < ts,
    placeLate(item, order) {
      appendItem(item, false, false, undefined, false, order);
    },
    append(line, senderName, mentionsYou = false, spokenName = senderName) {
      const item = lineElement(line, senderName);
      const order = line.kind === 'chat' ? { ts: shownTime(line), from: line.from, id: line.id } : null;
      const first = order === null ? undefined : firstCame.get(order.from);
      if (order !== null && (first === undefined || order.ts < first)) {
        if (first === undefined && firstCame.size >= AUTHORS_KEPT) firstCame.clear();
        firstCame.set(order.from, order.ts);
      }
      // System lines ("X joined") are not counted as new messages, nor an ignored member's.
      const news = !line.own && line.kind === 'chat' && !ignored(line.from);
      appendItem(item, line.own, news, line.text.length, mentionsYou, order);
      // Told to a screen reader once, as news: not our own lines (the page's answers to what
      // we did, such as "You are now Bob", are news to us all the same), not history (history.ts
      // sums it up), never again when the line comes back on the page (scrollback.ts), and
      // not an ignored member's (its line is shown collapsed: ignored-lines.ts).
      if (line.kind === 'system') announcer.notice(line.text);
      else if (news) announcer.line(spokenName, line.text, line.privateFrom !== undefined, mentionsYou);
      return item;
    },
    appendItem(item, own) {
      appendItem(item, own, !own);
      // Said once the task that made the line is over, with the status it was given in it: a
      // screen reader heard "Bob sent a file: x", then "x: waiting for you to accept" apart.
      if (!own) {
        queueMicrotask(() =>
          announcer.file(
            partText(item, '.line-sender'),
            partText(item, '[data-testid=message-text]'),
            partText(item, '.file-status-words'),
            item.dataset.privateFrom !== undefined,
          ),
        );
      }
    },
    moveToNewest(item) {
      if (waiting.toLast(item)) return;
      if (item.parentNode !== messages || item === messages.lastElementChild) return;
      if (waiting.any()) {
        // Lines came after it that are not on the page yet: it goes after them, as they go.
        item.remove();
        appendItem(item, true, false);
        return;
      }
      // The keyboard on it (its Cancel) stays there: moving a node takes the focus off it.
      const focused = document.activeElement;
      const had = focused instanceof HTMLElement && item.contains(focused) ? focused : null;
      messages.append(item);
      had?.focus({ preventScroll: true });
      if (follow.following()) follow.toNewest();
    },
    counts: () => scrollback.counts(),
    whenDropped,
    following: follow.following,
    kept: () => [...scrollback.offPage(), ...messages.children, ...waiting.items()],
    revised: (from, id, mentionsYou) => newer.revised(lineKey(from, id), mentionsYou),
    reveal(from, id) {
      const line = onPage(
        (child): child is HTMLElement =>
          child instanceof HTMLElement && child.dataset.from === from && child.dataset.id === id,
      );
      if (!line) return false;
      listFocus.focusLine(line);
      return true;
    },
    show(item) {
      const line = onPage((child): child is HTMLElement => child === item && child instanceof HTMLElement);
      if (!line) return false;
      if (line !== messages.lastElementChild) follow.readerUp();
      scrollToShow(messages, line);
      listFocus.selectLine(line);
      return true;
    },
  };

  /**
   * The line `isIt` picks, on the page: off it, it comes back with the lines after it, a batch
   * at a time, as scrolling up would bring them. Null when the page has it nowhere, or only
   * waiting to go on.
   */
  function onPage(isIt: (child: Element) => child is HTMLElement): HTMLElement | null {
    const find = (): HTMLElement | undefined => [...messages.children].find(isIt);
    let line = find();
    while (!line && scrollback.holds(isIt)) {
      scrollback.bringBack();
      line = find();
    }
    return line ?? null;
  }

  function appendItem(
    item: HTMLLIElement,
    own: boolean,
    news: boolean,
    chars = item.textContent?.length ?? 0,
    mention = false,
    order: LineOrder | null = null,
  ): void {
    waiting.add({ item, chars, own, news, mention, order, sender: own ? '' : (item.dataset.from ?? '') });
  }
}

/**
 * Scrolls `list` so that `line` is in its view: in the middle, unless wholly in view already
 * (the view moves no more than it must). A line taller than the view shows its top. Only the
 * list scrolls: scrollIntoView scrolls every box around the line, the page's too.
 */
function scrollToShow(list: HTMLElement, line: HTMLElement): void {
  const view = list.getBoundingClientRect();
  const box = line.getBoundingClientRect();
  if (box.top >= view.top && box.bottom <= view.bottom) return;
  list.scrollTop += box.top - view.top - Math.max(0, (list.clientHeight - box.height) / 2);
}

/** The text of one part of a line another view part built (a file line: its sender, its file's name). */
function partText(item: HTMLElement, selector: string): string {
  return item.querySelector(selector)?.textContent ?? '';
}
