// The reply being written: "Replying to Bob: shall we…" above the message box, with a ✕
// that cancels it (so does Escape in the box). It holds what the next line answers until
// that line is sent, cancelled, or another reply is started. A reply to a private line stays
// private to the same member: starting one chooses that member (main.ts), and choosing
// anyone else cancels it, so an excerpt of a private line never goes to others.
import type { ReplyRef } from '../../protocol/index.ts';
import { el, icon } from './dom.ts';
import { excerptOf, REPLY_ICON } from './reply-quote.ts';

const CLOSE_ICON = ['M4 4l8 8', 'M12 4l-8 8'];

/** What the next line answers: the reference it carries, and the member it is private with. */
export interface ReplyTarget {
  readonly re: ReplyRef;
  /** The peer id of the other party of a private line; null for a public one. */
  readonly privateWith: string | null;
}

export interface ReplyCompose {
  /** The next line answers this one; the message box takes the keyboard. */
  start(target: ReplyTarget): void;
  current(): ReplyTarget | null;
  cancel(): void;
}

export function createReplyCompose(
  composer: HTMLElement,
  box: HTMLTextAreaElement,
  say: (text: string) => void,
): ReplyCompose {
  let target: ReplyTarget | null = null;
  const bar = el('div', { className: 'reply-bar', testId: 'reply-bar' });
  bar.id = 'reply-bar';
  bar.hidden = true;
  const words = el('span', { className: 'reply-bar-words' });
  const cancelButton = el('button', { className: 'reply-cancel', testId: 'reply-cancel' });
  cancelButton.type = 'button';
  cancelButton.setAttribute('aria-label', 'Cancel reply');
  cancelButton.title = 'Cancel reply (Escape)';
  cancelButton.append(icon(CLOSE_ICON));
  bar.append(icon(REPLY_ICON), words, cancelButton);
  composer.prepend(bar);
  // The box is described by the reply too: a screen reader on it hears what it answers.
  const describedBy = box.getAttribute('aria-describedby') ?? '';

  function cancel(): void {
    if (target === null) return;
    target = null;
    bar.hidden = true;
    words.replaceChildren();
    box.setAttribute('aria-describedby', describedBy);
  }
  cancelButton.addEventListener('click', () => {
    cancel();
    box.focus();
  });
  box.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || target === null || event.defaultPrevented) return;
    event.preventDefault();
    cancel();
    say('Reply cancelled');
  });

  return {
    start(next) {
      target = next;
      const name = el('bdi', { className: 'reply-bar-name', text: next.re.name });
      const text = el('span', { className: 'reply-bar-text', text: excerptOf(next.re.text) });
      text.dir = 'auto';
      words.replaceChildren('Replying to ', name, ': ', text);
      bar.hidden = false;
      box.setAttribute('aria-describedby', `${bar.id} ${describedBy}`.trim());
      box.focus();
    },
    current: () => target,
    cancel,
  };
}
