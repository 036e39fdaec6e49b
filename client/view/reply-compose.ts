// The reply being written: "Replying to Bob: shall we…" above the message box, with a ✕ that
// cancels it (so does Escape in the box: composer-bar.ts). It holds what the next line answers
// until that line is sent (or a file or voice message, as the reply: wiring/files.ts),
// cancelled, or another reply is started. A reply to a private line stays private to the same
// member: starting one chooses that member (wiring/message-box.ts), and choosing anyone else
// cancels it, so an excerpt of a private line never goes to others. The line it answers edited
// meanwhile, the bar reads (and the reply carries) its new words; deleted, the reply is
// cancelled and said so, as a deleted line cannot be answered.
import type { ReplyRef } from '../../protocol/index.ts';
import { createComposerBar } from './composer-bar.ts';
import { el, icon } from './dom.ts';
import { earlierTag } from './line-marks.ts';
import { excerptOf, quoteWords, REPLY_ICON } from './reply-quote.ts';

/** What the next line answers: the reference it carries, and the member it is private with. */
export interface ReplyTarget {
  readonly re: ReplyRef;
  /** The peer id of the other party of a private line; null for a public one. */
  readonly privateWith: string | null;
  /** Our own line (absent: not). */
  readonly own?: boolean;
  /**
   * A line under a name someone here has now, by a member gone (features/history-show.ts,
   * earlier-lines.ts): the bar marks its name "(earlier)" as the line does, with who relayed
   * it if it came on a member's word.
   */
  readonly earlier?: { readonly relayedBy?: string | undefined };
  /** A file's line: the bar says its name as written (reply-quote.ts Original.literal). */
  readonly literal?: boolean;
}

/**
 * What a line, file or voice message sent now to `to` (a member's id; null: the room) answers:
 * the reply being written, unless it is to a private line of another member's, whose excerpt
 * goes to nobody else (undefined: it answers nothing).
 */
export function answering(target: ReplyTarget | null, to: string | null): ReplyRef | undefined {
  return target !== null && (target.privateWith === null || target.privateWith === to) ? target.re : undefined;
}

export interface ReplyCompose {
  /** The next line answers this one; the message box takes the keyboard. */
  start(target: ReplyTarget): void;
  current(): ReplyTarget | null;
  cancel(): void;
  /** The author of this line edited it (`text`) or deleted it (null). */
  revised(from: string, id: string, text: string | null): void;
  /**
   * The author of the line answered is called `name` now, here (named anew, or back under its
   * id: wiring/names.ts): the bar names it so, unmarked, and the reply carries that name.
   */
  renamed(peerId: string, name: string): void;
}

export function createReplyCompose(
  composer: HTMLElement,
  box: HTMLTextAreaElement,
  say: (text: string) => void,
): ReplyCompose {
  let target: ReplyTarget | null = null;
  // The box is described by the reply too: a screen reader on it hears what it answers.
  const bar = createComposerBar(composer, box, {
    id: 'reply-bar',
    className: 'reply-bar',
    cancelLabel: 'Cancel reply',
    cancelled: 'Reply cancelled',
    lead: icon(REPLY_ICON),
    end: cancel,
    say,
  });

  function cancel(): void {
    if (target === null) return;
    target = null;
    bar.hide();
    bar.words.replaceChildren();
  }

  function show(next: ReplyTarget): void {
    target = next;
    // Our own line is shown as "You": the bar named us as the others see us.
    const name = el('bdi', { className: 'reply-bar-name', text: next.own === true ? 'yourself' : next.re.name });
    const text = el('span', { className: 'reply-bar-text', text: quoteWords(next.re.text, next.literal) });
    text.dir = 'auto';
    const mark = next.earlier === undefined ? [] : [' ', earlierTag(next.earlier.relayedBy)];
    bar.words.replaceChildren('Replying to ', name, ...mark, ': ', text);
    bar.show();
  }

  return {
    start(next) {
      show(next);
      box.focus();
    },
    current: () => target,
    cancel,
    revised(from, id, text) {
      if (target === null || target.re.from !== from || target.re.id !== id) return;
      if (text !== null) {
        show({ ...target, re: { ...target.re, text: excerptOf(text) } });
        return;
      }
      const whose = target.own === true ? 'your' : `${target.re.name}’s`;
      cancel();
      say(`Reply cancelled: ${whose} message was deleted`);
    },
    renamed(peerId, name) {
      if (target === null || target.re.from !== peerId) return;
      // Here, it is no earlier member of its name (earlier-lines.ts).
      const { earlier: _gone, ...here } = target;
      show({ ...here, re: { ...target.re, name } });
    },
  };
}
