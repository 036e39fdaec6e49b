// The "before you joined" block at the top of the chat: history lines in sender-time order,
// whenever they arrive and from whichever member, under a marker that says where history
// lives (only in the browsers of the people in the room).
import type { ChatLine } from '../features/chat.ts';
import { compareLines, lineKey } from '../features/transcript.ts';
import { pageAnnouncer } from './announcer.ts';
import { el } from './dom.ts';

export const HISTORY_NOTE =
  'Before you joined — history is kept only in the browsers of the people in this room, never on the server.';
/** The same, for a tab back in the room (a reload): it had not left, so nothing was "before" it. */
export const HISTORY_NOTE_BACK =
  'Earlier in this room — history is kept only in the browsers of the people in this room, never on the server.';

interface Placed {
  ts: number;
  from: string;
  id: string;
  element: HTMLElement;
}

export interface HistoryViewOptions {
  /** Runs `undo` once a line's element goes for good (lines.ts whenDropped); absent: never. */
  whenDropped?(item: HTMLLIElement, undo: () => void): void;
  /** A history line went for good: what the feature keeps for it can go too (history.ts `forget`). */
  dropped?(from: string, id: string): void;
  /**
   * `count` new lines were placed (a better copy of one placed is not new): a screen reader
   * hears one sentence for them all once they stop coming ("42 earlier messages loaded",
   * announcer.ts), never the lines themselves. The page's announcer by default.
   */
  earlier?(count: number): void;
}

export interface HistoryView {
  /**
   * Places a history line (made by the lines view; or a file's line a reload brought back,
   * files/kept.ts) in order; a line with the same author and id (a better copy) takes the
   * place its own time gives it, and the earlier copy goes. False when it is not placed: the
   * earlier lines went for good (see below), and a line older still goes with them.
   */
  place(line: Pick<ChatLine, 'ts' | 'from' | 'id' | 'receivedAt'>, element: HTMLLIElement): boolean;
  /**
   * Our join said whether this tab is back in the room (a reload that took its id back): the
   * marker says "Earlier in this room" then. Told when the join is answered, which may be
   * after lines were placed (the files a reload brings back are placed at once).
   */
  setBack(back: boolean): void;
  /** Whether a copy of this line is placed here (a better one replaces it: place). */
  holds(from: string, id: string): boolean;
}

export function createHistoryView(options: HistoryViewOptions = {}): HistoryView {
  const earlier = options.earlier ?? ((count: number) => pageAnnouncer().earlier(count));
  const messages = document.getElementById('messages') as HTMLOListElement;
  /** The lines placed and not gone for good, in order: what a new line is placed among. */
  const placed: Placed[] = [];
  const byKey = new Map<string, Placed>();
  let marker: HTMLElement | null = null;
  let back = false;
  const noteText = (): string => (back ? HISTORY_NOTE_BACK : HISTORY_NOTE);

  function header(): HTMLElement {
    // Made once. It stays on the page or among the earlier lines off it (scrollback.ts)
    // until it goes for good, and then place() takes no more new lines.
    if (marker) return marker;
    marker = el('li', { className: 'line line-system history-marker', text: noteText(), testId: 'history-marker' });
    messages.prepend(marker);
    return marker;
  }

  /** Where `entry` goes among the placed lines: the index of the first that sorts after it. */
  function indexFor(entry: Placed): number {
    let low = 0;
    let high = placed.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compareLines(placed[mid] as Placed, entry) <= 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Takes an entry out of the order (replaced, or gone for good). */
  function unplace(entry: Placed): void {
    const at = placed.indexOf(entry);
    if (at >= 0) placed.splice(at, 1);
    if (byKey.get(lineKey(entry.from, entry.id)) === entry) byKey.delete(lineKey(entry.from, entry.id));
  }

  return {
    holds: (from, id) => byKey.has(lineKey(from, id)),
    setBack(next) {
      back = next;
      if (marker) marker.textContent = noteText();
    },
    place(line, element) {
      const key = lineKey(line.from, line.id);
      const known = byKey.get(key);
      // The block went for good, its marker first (over MAX_LINES newer lines came after it,
      // lines.ts): a history line that comes now is older still, and goes with it. Placed, it
      // would start a new block at the top of the page, under the earlier lines off it. A
      // better copy of a line still kept takes its place among the others.
      const blockGone = marker !== null && marker.parentNode === null;
      if (blockGone && !known) {
        options.dropped?.(line.from, line.id);
        return false;
      }
      const top = header();
      // A line stamped in our future is placed when it reached us (features/history.ts).
      const entry: Placed = {
        ts: Math.min(line.ts, line.receivedAt ?? line.ts),
        from: line.from,
        id: line.id,
        element,
      };
      // A better copy is placed by its own time, not where the first copy's (perhaps forged) time put it.
      if (known) unplace(known);
      const at = indexFor(entry);
      const before = placed[at - 1];
      const next = placed[at];
      if (before) before.element.after(element);
      else if (!blockGone) top.after(element);
      else if (next) next.element.before(element);
      else if (known) known.element.replaceWith(element);
      if (known && known.element !== element) known.element.remove();
      placed.splice(at, 0, entry);
      byKey.set(key, entry);
      if (!known) earlier(1);
      options.whenDropped?.(element, () => {
        // Only if still this copy's: a replaced copy went with its element.
        if (byKey.get(key) !== entry) return;
        unplace(entry);
        options.dropped?.(line.from, line.id);
      });
      return true;
    },
  };
}
