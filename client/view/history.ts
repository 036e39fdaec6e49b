// The "before you joined" block at the top of the chat: history lines in sender-time order,
// whenever they arrive and from whichever member, under a marker that says where history
// lives (only in the browsers of the people in the room).
import type { ChatLine } from '../features/chat.ts';
import { compareLines, lineKey } from '../features/transcript.ts';
import { el } from './dom.ts';

export const HISTORY_NOTE =
  'Before you joined — history is kept only in the browsers of the people in this room, never on the server.';

interface Placed {
  ts: number;
  from: string;
  id: string;
  element: HTMLElement;
}

export interface HistoryView {
  /** Places a history line (made by the lines view) in order; replaces one with the same author and id. */
  place(line: ChatLine, element: HTMLElement): void;
}

export function createHistoryView(): HistoryView {
  const messages = document.getElementById('messages') as HTMLOListElement;
  const placed: Placed[] = [];
  const byKey = new Map<string, Placed>();
  let marker: HTMLElement | null = null;

  function header(): HTMLElement {
    // Made once. It stays on the page or among the earlier lines off it (scrollback.ts)
    // until it goes for good, and then place() takes no more lines.
    if (marker) return marker;
    marker = el('li', { className: 'line line-system history-marker', text: HISTORY_NOTE, testId: 'history-marker' });
    messages.prepend(marker);
    return marker;
  }

  return {
    place(line, element) {
      const key = lineKey(line.from, line.id);
      const known = byKey.get(key);
      if (known) {
        known.element.replaceWith(element);
        known.element = element;
        return;
      }
      // The block went for good, its marker first (over MAX_LINES newer lines came after it,
      // lines.ts): a history line that comes now is older still, and goes with it. Placed, it
      // would start a new block at the top of the page, under the earlier lines off it.
      if (marker !== null && marker.parentNode === null) return;
      const top = header();
      // A line stamped in our future is placed when it reached us (features/history.ts).
      const entry: Placed = {
        ts: Math.min(line.ts, line.receivedAt ?? line.ts),
        from: line.from,
        id: line.id,
        element,
      };
      // Binary search for the first placed line that sorts after this one.
      let low = 0;
      let high = placed.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (compareLines(placed[mid] as Placed, entry) <= 0) low = mid + 1;
        else high = mid;
      }
      const after = low === 0 ? top : (placed[low - 1] as Placed).element;
      after.after(element);
      placed.splice(low, 0, entry);
      byKey.set(key, entry);
    },
  };
}
