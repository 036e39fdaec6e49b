// Lines made and not on the page yet. They go on it together, once per task; when many or
// long lines wait, a frame's budget of them at a time, senders taking turns (line-turns.ts).
// Of more than the page keeps (MAX_LINES), the oldest never reach it.
import { type Queued, takeTurns } from './line-turns.ts';
import { MAX_LINES } from './lines-kept.ts';
import type { LineOrder } from './near-order.ts';

/**
 * Characters put on the page per frame at most: laying out one line of 4,000 takes several
 * ms, so a flood of long lines goes on over many short frames instead of one long freeze.
 */
const FRAME_BUDGET_CHARS = 16_000;
const HIDDEN_FRAME_MS = 50;

/** A line made and not on the page yet. */
export interface Waiting extends Queued {
  item: HTMLLIElement;
  own: boolean;
  /** Counted by "N new messages" (newer.ts): a message or a file from someone else. */
  news: boolean;
  /** A message that mentions us (mentions.ts): counted apart by "N new messages". */
  mention: boolean;
  /** A chat line: placed among the near ones by when it was written (near-order.ts). */
  order: LineOrder | null;
}

export interface WaitingLines {
  /** The line waits its turn: on the page within this task, or in a later frame when many wait. */
  add(line: Waiting): void;
  /** Moves the line behind every other that waits; false if it does not wait. */
  toLast(item: HTMLLIElement): boolean;
  /** Whether any line waits. */
  any(): boolean;
  /** The lines that wait, oldest first. */
  items(): HTMLLIElement[];
}

export interface WaitingHandlers {
  /** These lines go on the page now, in this order (one at least). */
  put(taken: readonly Waiting[]): void;
  /** The line went for good before it reached the page. */
  dropped(item: HTMLLIElement): void;
}

export function createWaitingLines({ put, dropped }: WaitingHandlers): WaitingLines {
  /** Lines made and not yet on the page, oldest first (at most MAX_LINES of them). */
  let waiting: Waiting[] = [];
  /** Characters put on the page since the last frame. */
  let spent = 0;
  let flushScheduled = false;
  let frameScheduled = false;

  /** Puts waiting lines on the page, as many as this frame's budget allows (one at least). */
  function flush(): void {
    flushScheduled = false;
    // More new lines than the page keeps: the oldest of them never reach it.
    if (waiting.length > MAX_LINES) {
      for (const gone of waiting.splice(0, waiting.length - MAX_LINES)) dropped(gone.item);
    }
    const turn = takeTurns(waiting, spent, FRAME_BUDGET_CHARS);
    waiting = turn.rest;
    spent = turn.spent;
    if (turn.taken.length > 0) put(turn.taken);
    scheduleFrame();
  }

  /** At the next frame the budget starts again, and what still waits goes on. */
  function scheduleFrame(): void {
    if (frameScheduled || (spent === 0 && waiting.length === 0)) return;
    frameScheduled = true;
    const run = () => {
      frameScheduled = false;
      spent = 0;
      if (waiting.length > 0) flush();
    };
    // A hidden tab gets no frames: lines still go on, a batch at a time.
    if (document.hidden) setTimeout(run, HIDDEN_FRAME_MS);
    else requestAnimationFrame(run);
  }

  return {
    add(line) {
      waiting.push(line);
      // Lines are put on the page together, once per task (or per frame, when many).
      if (!flushScheduled) {
        flushScheduled = true;
        queueMicrotask(flush);
      }
    },
    toLast(item) {
      const at = waiting.findIndex((next) => next.item === item);
      if (at === -1) return false;
      waiting.push(...waiting.splice(at, 1));
      return true;
    },
    any: () => waiting.length > 0,
    items: () => waiting.map(({ item }) => item),
  };
}
