// The quote above a reply: the name of the line it answers and its first words, a button
// that takes the reader to that line (or says it is no longer on the page). What the reply
// says of its original is its author's word; when this page holds the original, the quote
// shows the original's real author and text instead, so a member cannot put a line in
// someone else's mouth by naming them in a reply. When it does not (a line from before we
// came, past the lines kept, or one never written), the quote says whose word it is ("as
// Mallory quotes it"): it would otherwise look the same as a real one. An original held only as
// a member relays it (its author left before we learned its key) is that member's word, and
// the quote says so ("as Bob relays it"). Everything is drawn as text.
import { REPLY_EXCERPT_LENGTH, type ReplyRef } from '../../protocol/index.ts';
import { el } from './dom.ts';
import { formatText, shownRows } from './format.ts';
import { earlierTag } from './line-marks.ts';

/** The composer's reply bar draws it (reply-compose.ts); lines hold no drawing (e2e/xss.spec.ts counts them). */
export const REPLY_ICON = ['M6.5 3.5 2.5 7.5l4 4', 'M2.5 7.5h7a4 4 0 0 1 4 4v1'];

/** The line a reply answers, as this page holds it. */
export interface Original {
  /** Its author's name as this page showed it. */
  readonly name: string;
  readonly text: string;
  /** Held as this member relays it (history of an author gone), not checked against its key. */
  readonly relayedBy?: string | undefined;
  /** Under a name someone here has now, by a member gone: marked so (line-marks.ts earlierTag), as the line is. */
  readonly earlier?: boolean | undefined;
  /** A file's name (or "Voice message"): quoted as written, not read as formatting ("_notes_.txt"). */
  readonly literal?: boolean | undefined;
}

/**
 * The start of a line to quote (or to say: search.ts): white space run together, at most
 * `length` characters (UTF-16 units, never half a pair), "…" where it was cut.
 */
export function excerptOf(text: string, length = REPLY_EXCERPT_LENGTH): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= length) return flat;
  let cut = flat.slice(0, length - 1);
  // A high surrogate left alone at the end is half a character.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/** A quote's words as the line reads: its formatting's markers gone ("who wants cake?", not "*cake*"). */
export const asRead = (text: string): string => excerptOf(shownRows(formatText(text)));

/** A quote's words: as the line reads, or (a file's name: Original.literal) as written. */
export const quoteWords = (text: string, literal: boolean | undefined): string =>
  literal === true ? excerptOf(text) : asRead(text);

/** Who and what a quote shows: the original as held here, else what the reply says of it. */
export function quoted(re: ReplyRef, original: Original | null): { name: string; text: string; known: boolean } {
  return original
    ? { name: original.name, text: quoteWords(original.text, original.literal), known: true }
    : // A claimed name is drawn on one line (.reply-quote-name keeps its spaces).
      { name: re.name.replace(/\s+/g, ' ').trim(), text: asRead(re.text), known: false };
}

/**
 * The quote's element, in a reply by `by` (its author's name). `jump` takes the reader to the
 * original: false when it is not on the page, which the quote then says.
 */
export function quoteElement(
  re: ReplyRef,
  original: Original | null,
  by: string,
  jump: () => boolean,
): HTMLButtonElement {
  const quote = el('button', { className: 'reply-quote', testId: 'reply-quote' });
  quote.type = 'button';
  quote.dataset.reFrom = re.from;
  quote.dataset.reId = re.id;
  fillQuote(quote, re, original, by);
  quote.title = 'Go to the message this answers';
  quote.addEventListener('click', () => {
    if (jump()) return;
    if (!quote.querySelector('.reply-gone')) {
      quote.append(el('span', { className: 'reply-gone', testId: 'reply-gone', text: ' · no longer on the page' }));
    }
  });
  return quote;
}

/**
 * Draws who and what the quote shows, in a reply by `by`: again when the original comes after
 * the reply (history).
 */
export function fillQuote(quote: HTMLElement, re: ReplyRef, original: Original | null, by: string): void {
  const { name, text, known } = quoted(re, original);
  const relayedBy = original?.relayedBy;
  quote.dataset.known = relayedBy === undefined ? String(known) : 'relayed';
  const who = el('bdi', { className: 'reply-quote-name', text: name });
  const what = el('span', { className: 'reply-quote-text', text });
  what.dir = 'auto';
  const earlier = original?.earlier === true;
  quote.replaceChildren(
    who,
    // The space for the text copied (a flex container draws none: the tag's margin is the gap).
    ...(earlier ? [' ', earlierTag(relayedBy)] : []),
    el('span', { className: 'reply-quote-colon', text: ': ' }),
    what,
  );
  const claim = relayedBy !== undefined ? ` (as ${relayedBy} relays it)` : known ? '' : ` (as ${by} quotes it)`;
  if (claim !== '') quote.append(el('span', { className: 'reply-quote-claim', testId: 'reply-claim', text: claim }));
  // Its name as written: from its parts, each a flex item, a screen reader heard "Bob : …".
  quote.setAttribute('aria-label', `${name}${earlier ? ' (earlier)' : ''}: ${text}${claim}`);
}
