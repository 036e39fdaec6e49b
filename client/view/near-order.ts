// Lines written at nearly the same moment by different members reach each page in its own
// order: each page has its own line first, a third page whichever came first. Put on the page
// as they came, two members saw their two lines in opposite orders, and a reload (history, in
// the order its lines were written: transcript.ts compareLines) showed a third. So a chat line
// that comes within NEAR_MS of the chat lines before it goes among them by when its author
// wrote it, as history orders it: every page that gets both lines within NEAR_MS of each
// other shows them alike. Never before a line of the same author (one's own lines stay in the
// order they were written), nor past anything else (a system line, a file), nor past a line
// on the page longer than NEAR_MS: what a reader has seen settle does not move.
import { compareLines } from '../features/transcript.ts';

/** How long a chat line on the page can still have a line written before it put above it. */
export const NEAR_MS = 2_000;

/** What orders a chat line: its time as shown (its author's clock, or when it came, if that was off), author and id. */
export interface LineOrder {
  ts: number;
  from: string;
  id: string;
}

export interface NearOrder {
  /**
   * Puts `item` at the end of `list`, or, a chat line (`order`), before the near lines that
   * sort after it; returns those it went above (none, most often).
   */
  place(list: Element, item: Element, order: LineOrder | null): Element[];
}

export function createNearOrder(now: () => number = () => performance.now()): NearOrder {
  /** The chat lines placed by order, with when each was: an entry goes with its element. */
  const placed = new WeakMap<Element, LineOrder & { at: number }>();
  return {
    place(list, item, order) {
      const at = now();
      const passed: Element[] = [];
      if (order !== null) {
        for (let other = list.lastElementChild; other; other = other.previousElementSibling) {
          const known = placed.get(other);
          if (!known || at - known.at > NEAR_MS || known.from === order.from || compareLines(known, order) <= 0) break;
          passed.push(other);
        }
        placed.set(item, { ts: order.ts, from: order.from, id: order.id, at });
      }
      const before = passed.at(-1);
      if (before === undefined) list.append(item);
      else before.before(item);
      return passed;
    },
  };
}
