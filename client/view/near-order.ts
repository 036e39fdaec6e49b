// Lines written at nearly the same moment by different members reach each page in its own
// order: each page has its own line first, a third page whichever came first. Put on the page
// as they came, two members saw their two lines in opposite orders, and a reload (history, in
// the order its lines were written: transcript.ts compareLines) showed a third. So a chat line
// that comes within NEAR_MS of the chat lines before it goes among them by when its author
// wrote it, as history orders it: every page that gets both lines within NEAR_MS of each
// other shows them alike. Never past a line of its own author's written before it, nor past
// anything else (a system line, a file), nor past a line on the page longer than NEAR_MS:
// what a reader has seen settle does not move.
//
// One author's lines come in the order written on its link, but a line can come by two ways:
// after an outage of ours, a line the author resends to us privately may come after a later
// one of its that another member's catch-up brought first (an exploratory pass saw the
// private line below the public one written after it). Such a line goes right before its
// author's first line written after it, however long that one has been on the page, as
// history would order them: one person's lines always read in the order they wrote them.
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

/** Lines looked back over, at most, for an author's later line a late line goes before. */
export const AUTHOR_LOOK_BACK = 400;
/** Authors whose latest line is remembered, at most (a room holds 256 members; history may name more). */
export const AUTHORS_KEPT = 1_024;

export function createNearOrder(now: () => number = () => performance.now()): NearOrder {
  /** The chat lines placed by order, with when each was: an entry goes with its element. */
  const placed = new WeakMap<Element, LineOrder & { at: number }>();
  /**
   * Each author's latest time placed: a line written before it came late. By time alone: an
   * author's page gives each of its lines a later time than the one before (chat-send.ts), and
   * lines that tie (a test's, a forger's) keep the order they came in, not their ids'.
   */
  const latest = new Map<string, number>();

  /** The near chat lines `order` goes above, newest first (see above). */
  function nearAbove(list: Element, order: LineOrder, at: number): Element[] {
    const passed: Element[] = [];
    for (let other = list.lastElementChild; other; other = other.previousElementSibling) {
      const known = placed.get(other);
      if (!known || at - known.at > NEAR_MS || known.from === order.from || compareLines(known, order) <= 0) break;
      passed.push(other);
    }
    return passed;
  }

  /**
   * A line of an author's that came after a later one of its (see above): every element from
   * its author's first later line to the end, newest first; none when it came in order.
   */
  function authorAbove(list: Element, order: LineOrder): Element[] {
    const last = latest.get(order.from);
    if (last === undefined || last <= order.ts) return [];
    const passed: Element[] = [];
    let first = -1;
    let other = list.lastElementChild;
    for (let looked = 0; other && looked < AUTHOR_LOOK_BACK; looked++, other = other.previousElementSibling) {
      passed.push(other);
      const known = placed.get(other);
      if (known?.from !== order.from) continue;
      if (known.ts <= order.ts) break;
      first = passed.length;
    }
    return passed.slice(0, first === -1 ? 0 : first);
  }

  return {
    place(list, item, order) {
      const at = now();
      let passed: Element[] = [];
      if (order !== null) {
        passed = authorAbove(list, order);
        if (passed.length === 0) passed = nearAbove(list, order, at);
        placed.set(item, { ts: order.ts, from: order.from, id: order.id, at });
        const last = latest.get(order.from);
        if (last === undefined || last < order.ts) {
          if (last === undefined && latest.size >= AUTHORS_KEPT) latest.clear();
          latest.set(order.from, order.ts);
        }
      }
      const before = passed.at(-1);
      if (before === undefined) list.append(item);
      else before.before(item);
      return passed;
    },
  };
}
