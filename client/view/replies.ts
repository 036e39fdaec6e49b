// Replies on the chat's lines: each message gets a Reply button (and R on the current line of
// the list, list-focus.ts, never while typing: the keys of fields are their own), and so does
// each file's line (quoted by its name, a voice message as one: wiring/files.ts); a reply, and
// a file or voice message sent as one, gets its quote above its text or name (reply-quote.ts).
// This module holds what the quotes check against: the author name and text of the messages
// shown as their authors', by (author, id), as many as the page keeps lines, and apart those
// shown as relayed (history of an author who left before we learned its key), which a quote
// shows as the relaying member's word; and the quotes of lines not shown (yet): history may
// place a reply before the line it answers (each waits for its own author's key), whose quote
// is then drawn again once the original is here. A quote of a line its author edited shows the
// new text, of one deleted "message deleted", also where the page does not hold the line: the
// excerpt inside the reply is only the replier's word of what the line said, and the author's
// signed edit (edits.ts) outweighs it. So does the line as history relays it (edited, or
// deleted), when its author left: shown above the reply as it now reads, it is not quoted
// below it as it once read. A quote names the line's author, and a reply being written to it,
// as the author is named now (wiring/names.ts), drawn again as it is renamed: under the name it
// had when the line came, after Bob became Robert and Cid took "Bob", Robert's line was quoted
// as Cid's.
import type { ReplyRef } from '../../protocol/index.ts';
import { dropOldest } from '../bounded.ts';
import { lineKey } from '../features/transcript.ts';
import { el } from './dom.ts';
import { MAX_LINES } from './lines.ts';
import { onLineKey } from './list-focus.ts';
import type { ReplyTarget } from './reply-compose.ts';
import { excerptOf, fillQuote, type Original, quoteElement } from './reply-quote.ts';

/** A message as a reply to it needs it. */
export interface Repliable {
  readonly from: string;
  readonly id: string;
  /** Its author's name as the page shows it (ours, not "You", for our own). */
  readonly name: string;
  readonly text: string;
  /** The other party of a private line; null for a public one. */
  readonly privateWith: string | null;
  /** Our own line: a reply to it is "to yourself" in the composer. */
  readonly own?: boolean;
  /**
   * The line is its author's as far as this page can tell: live, or history checked against
   * its author's key. One forged (its author's key does not check it) is no original for
   * quotes: it would put its words over what a signed reply says of the line.
   */
  readonly checked: boolean;
  /**
   * Not checked, but relayed by this member: its author left before we learned its key. Quotes
   * show it as it reads here (edited, deleted), as that member's word ("as Bob relays it").
   */
  readonly relayedBy?: string | undefined;
  /** Under a name someone here has now, by a member gone: quotes mark it as the line does ("(earlier)"). */
  readonly earlier?: boolean | undefined;
  /** A file's line, whose `text` is its name (or "Voice message"): quoted as written (Original.literal). */
  readonly literal?: boolean | undefined;
}

/**
 * Lines whose quotes wait for them, and quotes waiting for one line, at most: a member may send
 * any number of replies to ids nobody wrote, and a waiting quote holds its line's element.
 * Together no more than the page keeps lines (MAX_LINES); history brings 200 lines.
 */
const MAX_AWAITED_LINES = 256;
const MAX_WAITING_QUOTES = 8;
/** What a quote of a deleted message says in its place. */
const DELETED_TEXT = 'message deleted';

export interface Replies {
  /** A message was shown in `item`: it gets its Reply button, and quotes of it check against it if `checked`. */
  shown(item: HTMLElement, line: Repliable): void;
  /** The quote for a reply (wiring/show-line.ts puts it first in the line, above its text). */
  quote(re: ReplyRef, reply: Quoting): HTMLElement;
  /**
   * Its author edited the message (`text`) or deleted it (null): quotes of it and replies to
   * it from now on show that, never the words it had.
   */
  revised(from: string, id: string, text: string | null): void;
  /**
   * The line was marked "(earlier)" after it was shown (earlier-lines.ts: its author gone, its
   * name someone's here now): its quotes, drawn and to come, are marked so too.
   */
  earlier(from: string, id: string): void;
  /**
   * A member is named anew, or is here again under its id (wiring/names.ts): the quotes of its
   * lines, and of its replies, say its name as it is now; none of its lines is an earlier
   * member's of its name any more (earlier-lines.ts).
   */
  renamed(peerId: string): void;
}

/** A reply, as its quote needs it. */
export interface Quoting {
  /** Its author's name as the page shows it. */
  readonly by: string;
  /** Its author's peer id: `by` is said as that member is named now (RepliesOptions.nameOf). */
  readonly from?: string;
  /** The other party of a private reply; null for a public one. */
  readonly privateWith: string | null;
}

/** An original as held here, and who else may see it. */
interface Held extends Original {
  readonly privateWith: string | null;
}

/**
 * Whether a reply may show `held` as its quote: a public line, or a private one with the same
 * member. A public reply to a private line (its id seen by a relay, say) shows what it claims,
 * not the private text in the middle of the public conversation.
 */
const quotable = (held: Held, reply: Quoting): boolean =>
  held.privateWith === null || held.privateWith === reply.privateWith;

export interface RepliesOptions {
  /** Starts a reply to this line (the composer, reply-compose.ts). */
  start(target: ReplyTarget): void;
  /** Takes the reader to the line, if on the page (lines.ts). */
  reveal(from: string, id: string): boolean;
  /**
   * A line not held here as its author's that its author edited or deleted (checked against
   * the author's key, edits.ts): who wrote it, its other party if private, and its text now
   * (null: deleted); else null.
   */
  revision?(from: string, id: string): (Omit<Held, 'text'> & { text: string | null }) | null;
  /** A member's name now (wiring/names.ts: one gone, as it left), or null for one this page never had. */
  nameOf?(peerId: string): string | null;
  /**
   * Called with the line before a reply to it starts: one collapsed because its author is
   * ignored is shown first (ignored-lines.ts), as its Show would. R reaches such a line (its
   * Reply button is hidden with its words), and the reply's bar quoted the words it hid.
   */
  beforeReply?(item: HTMLElement): void;
}

export function createReplies(
  list: HTMLElement,
  { start, reveal, revision = () => null, nameOf = () => null, beforeReply = () => {} }: RepliesOptions,
): Replies {
  const originals = new Map<string, Held>();
  /** Lines shown as relayed (Repliable.relayedBy), apart: a quote says whose word they are. */
  const relayed = new Map<string, Held>();
  /** Quotes of lines not shown, by the line's (author, id), the oldest forgotten. */
  const unresolved = new Map<string, { quote: HTMLElement; re: ReplyRef; reply: Quoting }[]>();
  /** What a reply to each line shown answers, and who relayed the line if it came on a member's word. */
  const targets = new WeakMap<Element, ReplyTarget & { readonly relayedBy: string | undefined }>();
  /** Quotes drawn of each line (a few per line, as many lines as the page keeps), to draw again when it is revised. */
  const drawn = new Map<string, { ref: WeakRef<HTMLElement>; re: ReplyRef; reply: Quoting }[]>();

  /** `held`, a line of `from`'s, with its author named as it is now; as it came, for one never here. */
  const named = (from: string, held: Held): Held => ({ ...held, name: nameOf(from) ?? held.name });
  /** The author of a reply as it is named now. */
  const byNow = (reply: Quoting): string => (reply.from === undefined ? reply.by : (nameOf(reply.from) ?? reply.by));

  /**
   * The original as this page holds it; or, revised by its author, as it now reads (or that it
   * is gone); or as a member relays it, for an author gone.
   */
  function originalOf(from: string, id: string): Held | undefined {
    const held = originals.get(lineKey(from, id));
    if (held !== undefined) return held;
    const revised = revision(from, id);
    if (revised !== null) return { ...revised, text: revised.text ?? DELETED_TEXT };
    return relayed.get(lineKey(from, id));
  }

  /** Draws the quotes waiting for this line with `held`. */
  function fillWaiting(key: string, held: Held): void {
    for (const { quote, re, reply } of unresolved.get(key) ?? []) {
      if (quotable(held, reply)) fillQuote(quote, re, named(re.from, held), byNow(reply));
    }
  }

  function reply(item: HTMLElement): boolean {
    const shownAs = targets.get(item);
    if (!shownAs || item.getAttribute('data-deleted') === 'true') return false;
    beforeReply(item);
    const { relayedBy, ...target } = shownAs;
    // Marked "(earlier)" as it came, or since (earlier-lines.ts): the bar says so too.
    const earlier = item.getAttribute('data-earlier') === 'true' ? { earlier: { relayedBy } } : {};
    // The message as it reads now: edited since it was shown, the excerpt is of the new text;
    // its author as named now.
    const original = originals.get(lineKey(target.re.from, target.re.id));
    const text = original ? excerptOf(original.text) : target.re.text;
    start({ ...target, ...earlier, re: { ...target.re, name: nameOf(target.re.from) ?? target.re.name, text } });
    return true;
  }

  /** Draws the quotes drawn of this line again, with `held` (a quote marked deleted stays so). */
  function redraw(key: string, held: Held, deleted: boolean): void {
    for (const { ref, reply } of drawn.get(key) ?? []) {
      const quote = ref.deref();
      const from = quote?.dataset.reFrom;
      const id = quote?.dataset.reId;
      if (!quote || from === undefined || id === undefined || !quotable(held, reply)) continue;
      fillQuote(quote, { from, id, name: held.name, text: held.text }, named(from, held), byNow(reply));
      if (deleted) quote.dataset.deleted = 'true';
    }
  }

  onLineKey(list, ['r', 'R'], (_key, item) => reply(item));

  return {
    shown(item, line) {
      const key = lineKey(line.from, line.id);
      if (line.checked) {
        const held: Held = {
          name: line.name,
          text: line.text,
          privateWith: line.privateWith,
          earlier: line.earlier === true,
          literal: line.literal === true,
        };
        originals.delete(key);
        originals.set(key, held);
        dropOldest(originals, MAX_LINES);
        relayed.delete(key);
        fillWaiting(key, held);
        unresolved.delete(key);
      } else if (line.relayedBy !== undefined && !originals.has(key)) {
        const { name, text, privateWith, relayedBy } = line;
        const held: Held = { name, text, privateWith, relayedBy, earlier: line.earlier === true };
        relayed.delete(key);
        relayed.set(key, held);
        dropOldest(relayed, MAX_LINES);
        // Its quotes still wait: a copy its author's key checks would be drawn over this.
        fillWaiting(key, held);
      }
      const re: ReplyRef = { from: line.from, id: line.id, name: line.name, text: excerptOf(line.text) };
      const literal = line.literal === true ? { literal: true } : {};
      targets.set(item, {
        re,
        privateWith: line.privateWith,
        own: line.own === true,
        relayedBy: line.relayedBy,
        ...literal,
      });
      const button = el('button', { className: 'line-reply', testId: 'reply', text: 'Reply' });
      button.type = 'button';
      button.setAttribute('aria-keyshortcuts', 'R');
      button.title = 'Reply (R)';
      button.addEventListener('click', () => reply(item));
      // In the row of the line's ☺ (reactions.ts), when it has one: not a row of its own.
      (item.querySelector('[data-testid=reactions]') ?? item).append(button);
    },
    quote(re, reply) {
      const key = lineKey(re.from, re.id);
      const held = originalOf(re.from, re.id);
      const original = held && quotable(held, reply) ? named(re.from, held) : null;
      const quote = quoteElement(re, original, byNow(reply), () => reveal(re.from, re.id));
      const quotes = drawn.get(key) ?? [];
      drawn.delete(key);
      drawn.set(key, [...quotes, { ref: new WeakRef(quote), re, reply }].slice(-MAX_WAITING_QUOTES));
      dropOldest(drawn, MAX_LINES);
      if (held === undefined || held.relayedBy !== undefined) {
        const waiting = unresolved.get(key) ?? [];
        unresolved.delete(key);
        unresolved.set(key, [...waiting, { quote, re, reply }].slice(-MAX_WAITING_QUOTES));
        dropOldest(unresolved, MAX_AWAITED_LINES);
      }
      return quote;
    },
    revised(from, id, text) {
      const key = lineKey(from, id);
      const before = originalOf(from, id);
      if (!before) return;
      const held = { ...before, text: text ?? DELETED_TEXT };
      if (originals.has(key)) originals.set(key, held);
      else if (relayed.has(key)) relayed.set(key, held);
      redraw(key, held, text === null);
    },
    earlier(from, id) {
      const key = lineKey(from, id);
      const before = originals.get(key) ?? relayed.get(key);
      if (!before || before.earlier) return;
      const held = { ...before, earlier: true };
      if (originals.has(key)) originals.set(key, held);
      else relayed.set(key, held);
      redraw(key, held, false);
    },
    renamed(peerId) {
      for (const lines of [originals, relayed]) {
        for (const [key, line] of lines) {
          if (line.earlier === true && key.startsWith(lineKey(peerId, ''))) lines.set(key, { ...line, earlier: false });
        }
      }
      for (const quotes of drawn.values()) {
        for (const { ref, re, reply } of quotes) {
          const quote = ref.deref();
          if (!quote || (re.from !== peerId && reply.from !== peerId)) continue;
          const held = originalOf(re.from, re.id);
          fillQuote(quote, re, held && quotable(held, reply) ? named(re.from, held) : null, byNow(reply));
        }
      }
    },
  };
}
