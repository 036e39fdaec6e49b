// The chat's lines (messages and system lines), appended in batches with at most one scroll
// per frame, so a burst of thousands of lines stays fast.
import type { ChatLine } from '../features/chat.ts';
import { el } from './dom.ts';

/** Within this many pixels of the bottom the chat counts as "at the newest message". */
const STICK_TO_BOTTOM_PX = 48;

export interface LinesView {
  append(line: ChatLine, senderName: string): void;
  /** A line another view part built (a file transfer), shown in order with the rest. */
  appendItem(item: HTMLLIElement, own: boolean): void;
}

export function createLinesView(): LinesView {
  const messages = document.getElementById('messages') as HTMLOListElement;
  let pending = document.createDocumentFragment();
  let pendingOwn = false;
  let flushScheduled = false;
  let scrollScheduled = false;
  // Whether the view follows the newest line. Read from layout only when the user scrolls,
  // never while lines arrive: a layout read per line made a 2,000-line burst take seconds.
  let following = true;
  messages.addEventListener(
    'scroll',
    () => {
      following = messages.scrollHeight - messages.scrollTop - messages.clientHeight < STICK_TO_BOTTOM_PX;
    },
    { passive: true },
  );

  function flush(): void {
    flushScheduled = false;
    messages.append(pending);
    pending = document.createDocumentFragment();
    if ((following || pendingOwn) && !scrollScheduled) {
      // Once per frame at most, when the browser lays the page out anyway.
      scrollScheduled = true;
      requestAnimationFrame(() => {
        scrollScheduled = false;
        messages.scrollTop = messages.scrollHeight;
        following = true;
      });
    }
    pendingOwn = false;
  }

  return {
    append(line, senderName) {
      const item = el('li', { className: `line line-${line.kind}${line.own ? ' own' : ''}`, testId: 'message' });
      item.dataset.id = line.id;
      item.dataset.from = line.from;
      item.dataset.kind = line.kind;
      const time = el('time', { className: 'line-time', text: formatTime(line.ts) });
      time.dateTime = new Date(line.ts).toISOString();
      const text = el('span', { className: 'line-text', text: line.text, testId: 'message-text' });
      if (line.kind === 'chat') {
        const sender = el('span', { className: 'line-sender', text: line.own ? 'You' : senderName });
        item.append(sender, time, text);
      } else {
        item.append(time, text);
      }
      appendItem(item, line.own);
    },
    appendItem,
  };

  function appendItem(item: HTMLLIElement, own: boolean): void {
    pending.append(item);
    pendingOwn ||= own;
    // Lines are put on the page together, once per task.
    if (!flushScheduled) {
      flushScheduled = true;
      queueMicrotask(flush);
    }
  }
}

// One formatter for every line: toLocaleTimeString builds a new one per call.
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

export function formatTime(ts: number): string {
  return timeFormat.format(ts);
}
