// The lines the chat keeps: the newest MAX_LINES, on the page and off it above (scrollback.ts),
// brought back by the reader scrolling near the top (lines-follow.ts sees it) or by the "Show
// N earlier messages" button; and what the page keeps for a line beyond its element, let go
// when the line goes for good.
import { createScrollback, MOVE_LINES, type Scrollback } from './scrollback.ts';

/** Lines kept, on the page and off it; older ones are removed as new ones come. */
export const MAX_LINES = 2_000;

export interface KeptLines {
  /** The lines off the page, and the page's share of the lines kept. */
  readonly scrollback: Scrollback;
  /** The line went for good: its undos run (whenDropped). */
  dropped(line: Element): void;
  /** Runs `undo` when the line goes for good (lines.ts whenDropped says when). */
  whenDropped(item: HTMLLIElement, undo: () => void): void;
}

/** The lines kept in `messages`, the chat's list. */
export function createKeptLines(messages: HTMLElement): KeptLines {
  // Keyboard and screen-reader users reach the earlier lines through a button, not a scroll.
  const earlierButton = document.getElementById('earlier') as HTMLButtonElement;
  /** What to undo when a line goes for good (whenDropped), weakly: an entry goes with its line. */
  const undos = new WeakMap<Element, Array<() => void>>();
  const dropped = (line: Element): void => {
    for (const undo of undos.get(line) ?? []) {
      try {
        undo();
      } catch (error) {
        reportError(error); // to the console, as if uncaught: the other lines' undos still run
      }
    }
  };
  const scrollback = createScrollback(messages, MAX_LINES, {
    changed({ earlier }) {
      earlierButton.hidden = earlier === 0;
      const coming = Math.min(earlier, MOVE_LINES);
      earlierButton.textContent = `Show ${coming} earlier ${coming === 1 ? 'message' : 'messages'}`;
    },
    dropped,
  });
  earlierButton.addEventListener('click', () => scrollback.bringBack());
  return {
    scrollback,
    dropped,
    whenDropped(item, undo) {
      const registered = undos.get(item);
      if (registered) registered.push(undo);
      else undos.set(item, [undo]);
    },
  };
}
