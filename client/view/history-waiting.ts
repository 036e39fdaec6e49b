// The line above the chat that says earlier messages are on their way, and from whom. Shown
// only when an answer takes a while: a member asked over its answers' cap (a tab reloaded a
// fourth time within a minute, history-outbox.ts) answers up to a minute later, and a long
// answer through a relay takes seconds. Without it the chat sat empty meanwhile, as if the
// room had no history. The usual answer lands within a second, before the line would show.
import { isolate } from '../isolate.ts';
import { pageTicker, type Ticker } from '../ticker.ts';
import { sentenceNodes } from './text.ts';

/** The page's ticker period it looks on (shared with every link's heartbeat). */
const LOOK_MS = 1_000;
/** Shown once a wait was seen this many looks in a row: after 1 to 2 s. */
const SHOWN_AFTER_LOOKS = 2;

/** What the line says for the members we wait for ('' for none): names marked (isolate.ts). */
export function historyWaitingText(names: readonly string[]): string {
  const [first, second] = names;
  if (first === undefined) return '';
  const who =
    second === undefined
      ? isolate(first)
      : names.length === 2
        ? `${isolate(first)} and ${isolate(second)}`
        : `${isolate(first)} and ${names.length - 1} others`;
  return `Getting earlier messages from ${who}…`;
}

export interface HistoryWaitingOptions {
  /** The names of the members whose answer to our join is on its way (history.ts waitingFor). */
  waitingFor(): string[];
  /** The line (public/index.html #history-waiting). */
  element: HTMLElement;
  ticker?: Ticker;
}

/** Keeps the line up to date for the page's life. Returns how to stop (tests). */
export function showHistoryWaiting({ waitingFor, element, ticker = pageTicker }: HistoryWaitingOptions): () => void {
  let looks = 0;
  let said = '';
  return ticker.every(LOOK_MS, () => {
    const names = waitingFor();
    looks = names.length === 0 ? 0 : looks + 1;
    const text = looks >= SHOWN_AFTER_LOOKS ? historyWaitingText(names) : '';
    // Written only when it changes: it is a status region, and a rewrite is said again. Never
    // hidden, only emptied (it takes no room then, styles.css): a live region that appears
    // with its text in it is not said by many screen readers.
    if (text !== said) {
      said = text;
      element.replaceChildren(...sentenceNodes(text));
    }
  });
}
