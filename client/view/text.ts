// Message text for the page: plain text, with chat's little formatting (format.ts: bold,
// italic, struck, code, blocks of code) and web addresses made links (links.ts); and the
// page's own sentences, with the names in them isolated and its numbers grouped ("4,000").
// Built with DOM calls only — the text is never parsed as HTML, and no other markup exists.
import { isolatedParts } from '../isolate.ts';
import { el } from './dom.ts';
import { formatText, type Piece } from './format.ts';

/**
 * Combining marks shown on one character, at most. A "Zalgo" line stacks hundreds on one
 * letter: a single grapheme no line break can split (the chat list scrolled sideways by
 * 3,782 px), painted far above and below its line and costly to lay out (long tasks up to
 * 426 ms from lines well inside a member's budget). Writing needs a few: Vietnamese two,
 * pointed Hebrew with cantillation four or five. Only what is shown is cut: the line, its
 * signature and what we hand on keep every character.
 */
export const MAX_MARKS_SHOWN = 8;
const MARKS_PAST_MAX = new RegExp(`(\\p{M}{${MAX_MARKS_SHOWN}})\\p{M}+`, 'gu');

/** The text as shown: runs of combining marks cut to MAX_MARKS_SHOWN. */
export const shownText = (text: string): string => text.replace(MARKS_PAST_MAX, '$1');

/**
 * A sentence the page writes ("Bob is now דוד"), as nodes: its text, and each name marked in
 * it (isolate.ts) in a <bdi> of its own, the marks dropped.
 */
export function sentenceNodes(text: string): (string | HTMLElement)[] {
  return isolatedParts(text).map((part) => (part.name ? el('bdi', { text: part.text }) : part.text));
}

/** 4000 as "4,000", without Intl (its first use loads locale data; see clock.ts). */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** Fills `into` with the message text: its formatting as elements, links made real `<a>` elements. */
export function renderText(into: HTMLElement, raw: string): void {
  const pieces = formatText(shownText(raw));
  const [only] = pieces;
  // Most lines are plain: one text node, as fast as before.
  if (pieces.length === 1 && only?.kind === 'text') {
    into.textContent = only.text;
    return;
  }
  into.replaceChildren(...pieces.map(node));
}

const TAGS = { strong: 'strong', em: 'em', del: 's' } as const;

function node(piece: Piece): string | HTMLElement {
  switch (piece.kind) {
    case 'text':
      return piece.text;
    case 'link': {
      const link = document.createElement('a');
      link.href = piece.href;
      link.textContent = piece.text;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      return link;
    }
    case 'code':
      return el('code', { className: 'line-code', text: piece.text });
    case 'block':
      return el('code', { className: 'line-code-block', text: piece.text });
    default: {
      const element = document.createElement(TAGS[piece.kind]);
      element.append(...piece.pieces.map(node));
      return element;
    }
  }
}
