// The status line over the chat: the connection's state in words (none once joined), with a
// "Try again" button after them while the server keeps us out for now; and, for a page that
// cannot be in a room, why, with the way out: a new room of one's own.
import type { SignalingStatus } from '../signaling.ts';
import { byTestId, el } from './dom.ts';

/** What the page status says: the socket's state, or that our own network seems gone (outage.ts). */
export type PageStatus = SignalingStatus | 'offline';

const STATUS_TEXT: Record<PageStatus, string> = {
  connecting: 'Connecting to the server…',
  joined: '',
  reconnecting: 'Server unreachable — chat still works with connected members. Reconnecting…',
  // The server answers: it is our own earlier connection that it still counts (wiring/status.ts says for how long).
  reclaiming:
    'Rejoining: the server still counts your earlier connection as here. Chat still works with connected members.',
  replaced: 'This room was opened in another tab with the same identity. Reload to use it here.',
  cut: 'The server cut this connection off for sending too much, too fast. Reconnecting in a few seconds; chat still works with connected members.',
  refused: 'You are not in this room: the server keeps you out for now. Trying again by itself…',
  rejected: 'The server refused to let you in.',
  offline: 'You seem to be offline — messages you write will be sent when you’re back.',
};

export interface StatusLine {
  /** The words for `state` (or `detail`); with 'refused', a "Try again" button after them. */
  set(state: PageStatus, detail?: string): void;
  /** Whether this is in the status line (its button, its link). */
  contains(node: Node): boolean;
  /** The keyboard to "Try again", if it shows. */
  focusRetry(): void;
  /** Says why this page cannot be in a room, with a link to a new room: returned, to take the keyboard. */
  fatal(message: string): HTMLElement;
}

/** `retryJoin`: "Try again" pressed (PageHandlers.retryJoin); false if the join cannot go again now. */
export function createStatusLine(retryJoin: () => boolean): StatusLine {
  const status = byTestId<HTMLElement>('signaling-status');
  return {
    set(state, detail) {
      const text = detail ?? STATUS_TEXT[state];
      const retry = status.querySelector<HTMLButtonElement>('.retry-join');
      // The same words again (each refusal while the page keeps trying): left as they are,
      // not read out again by a screen reader (a live region), the button usable again.
      if (status.dataset.state === state && status.dataset.text === text) {
        retry?.removeAttribute('aria-disabled');
        return;
      }
      const hadFocus = retry !== null && document.activeElement === retry;
      status.dataset.state = state;
      status.dataset.text = text;
      status.textContent = text;
      status.hidden = text === '';
      if (state !== 'refused') return;
      const again = el('button', { className: 'retry-join', testId: 'retry-join', text: 'Try again' });
      again.type = 'button';
      // Marked, not disabled, while its join is out: a disabled button drops the keyboard to
      // the page's body (an exploratory pass: the next Tab landed on "Desktop notifications").
      again.addEventListener('click', () => {
        if (again.getAttribute('aria-disabled') === 'true') return;
        if (retryJoin()) again.setAttribute('aria-disabled', 'true');
      });
      status.append(' ', again);
      if (hadFocus) again.focus();
    },
    contains: (node) => status.contains(node),
    focusRetry() {
      status.querySelector<HTMLElement>('.retry-join')?.focus();
    },
    fatal(message) {
      status.dataset.state = 'rejected';
      // The way out: a new room of one's own (/ makes one), where the keyboard already is.
      const start = el('a', { className: 'start-room', text: 'Start a new room', testId: 'start-room' });
      start.href = '/';
      status.replaceChildren(`${message} `, start);
      status.hidden = false;
      return start;
    },
  };
}
