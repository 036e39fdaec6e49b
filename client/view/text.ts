// Message text for the page: plain text, with chat's little formatting (format.ts: bold,
// italic, struck, code, blocks of code) and web addresses made links (links.ts); and the
// page's own sentences, with the names in them isolated and its numbers grouped ("4,000").
// Built with DOM calls only — the text is never parsed as HTML, and no other markup exists.
// Each letter's combining marks are cut to a few as it is shown (protocol/marks.ts), by el()
// and here.
import { capMarks } from '../../protocol/marks.ts';
import { isolatedParts } from '../isolate.ts';
import { el } from './dom.ts';
import { formatText, type Piece } from './format.ts';

/**
 * A sentence the page writes ("Bob is now דוד"), as nodes: its text, and each name marked in
 * it (isolate.ts) in a <bdi> of its own, the marks dropped.
 */
export function sentenceNodes(text: string): (string | HTMLElement)[] {
  return isolatedParts(text).map((part) => (part.name ? el('bdi', { text: part.text }) : capMarks(part.text)));
}

/**
 * Names in a sentence: "Bob", "Bob and Carol", "Bob, Carol and Dave"; past `most`, the rest
 * counted: "Bob, Carol and 2 others".
 */
export function nameList(names: readonly string[], most = 3): string {
  if (names.length <= 1) return names[0] ?? '';
  const shown = names.length > most ? names.slice(0, most - 1) : names.slice(0, -1);
  const last = names.length > most ? `${names.length - shown.length} others` : (names.at(-1) ?? '');
  return `${shown.join(', ')} and ${last}`;
}

/** 4000 as "4,000", without Intl (its first use loads locale data; see clock.ts). */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** Fills `into` with the message text: its formatting as elements, links made real `<a>` elements. */
export function renderText(into: HTMLElement, raw: string): void {
  const pieces = formatText(capMarks(raw));
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
