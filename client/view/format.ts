// The little formatting chat apps share (WhatsApp's and Slack's, not Markdown's): *bold* (or
// **bold**), _italic_, ~struck~ (or ~~struck~~), `code`, and ```a block of code``` (several
// lines kept as written); and web addresses as links (links.ts), never inside code, and
// never cut by a marker in them (an address with "_" in its path). Markdown's other syntax
// stays text: in a chat, "1. first" and "# 3" are what they say. Read into pieces the view
// builds with DOM calls (text.ts): the text is never parsed as HTML.
//
// A peer chooses the text, so every step is linear in its length: each pass walks the text
// once, finding the next closing marker from a table built backwards, never by searching on
// from every opening one (a line of 4,000 "*a " would cost 4,000² steps that way).

import { MAY_HOLD_URL, splitLinks } from './links.ts';

/** A run of a message as shown. */
export type Piece =
  | { kind: 'text'; text: string }
  | { kind: 'link'; text: string; href: string }
  | { kind: 'code'; text: string }
  | { kind: 'block'; text: string }
  | { kind: 'strong' | 'em' | 'del'; pieces: Piece[] };

/** Characters that may start formatting: text without any is one plain piece. */
const MAY_FORMAT = /[*_~`]/;
const FENCE = '```';
/** Emphasis inside emphasis, at most this deep ("*_~x~_*"); deeper markers stay text. */
const MAX_DEPTH = 3;

/** Emphasis markers, longest first (so "**" is tried before "*"), and what each makes. */
const MARKERS = [
  { token: '**', kind: 'strong' },
  { token: '~~', kind: 'del' },
  { token: '*', kind: 'strong' },
  { token: '_', kind: 'em' },
  { token: '~', kind: 'del' },
] as const;

const WORD = /[\p{L}\p{N}_]/u;
const isWord = (char: string | undefined): boolean => char !== undefined && WORD.test(char);
const isSpace = (char: string | undefined): boolean => char === undefined || /\s/.test(char);

/** The message in pieces: blocks of code, then code spans, then emphasis in what is left. */
export function formatText(text: string): Piece[] {
  if (!MAY_FORMAT.test(text)) return linked(text);
  const pieces: Piece[] = [];
  let from = 0;
  while (from < text.length) {
    const open = text.indexOf(FENCE, from);
    const close = open === -1 ? -1 : text.indexOf(FENCE, open + FENCE.length);
    const body = close === -1 ? '' : blockBody(text.slice(open + FENCE.length, close));
    // An unclosed or empty fence is text, as typed.
    if (close === -1 || body === '') {
      pieces.push(...codeSpans(text.slice(from, close === -1 ? text.length : close + FENCE.length)));
      from = close === -1 ? text.length : close + FENCE.length;
      continue;
    }
    if (open > from) pieces.push(...codeSpans(text.slice(from, open)));
    pieces.push({ kind: 'block', text: body });
    // The block ends its own row: the line break typed after its fence would add an empty one.
    from = close + FENCE.length + (text[close + FENCE.length] === '\n' ? 1 : 0);
  }
  return merged(pieces);
}

/** A block's text without the line break after its opening fence and before its closing one. */
function blockBody(inside: string): string {
  return inside.replace(/^[^\S\n]*\n/, '').replace(/\n[^\S\n]*$/, '');
}

/** `code` spans (on one line, not empty) and the emphasis around them. */
function codeSpans(text: string): Piece[] {
  const pieces: Piece[] = [];
  let plainFrom = 0;
  let at = text.indexOf('`');
  while (at !== -1) {
    const end = text.indexOf('`', at + 1);
    if (end === -1) break;
    const inside = text.slice(at + 1, end);
    // Not a span: this backtick stays text, and the next one may open one.
    if (inside === '' || inside.includes('\n')) {
      at = end;
      continue;
    }
    if (at > plainFrom) pieces.push(...emphasis(text.slice(plainFrom, at), 1));
    pieces.push({ kind: 'code', text: inside });
    plainFrom = end + 1;
    at = text.indexOf('`', plainFrom);
  }
  if (plainFrom < text.length) pieces.push(...emphasis(text.slice(plainFrom), 1));
  return pieces;
}

/**
 * Where each marker may close, for every position: the first closing `token` at or after it,
 * or -1; and the first line break at or after it. Built from the end, once per pass.
 */
function closersOf(text: string, inLink: Uint8Array): { next: Map<string, Int32Array>; nextBreak: Int32Array } {
  const next = new Map<string, Int32Array>();
  for (const { token } of MARKERS) {
    const table = new Int32Array(text.length + 1).fill(-1);
    for (let i = text.length - 1; i >= 0; i--) {
      table[i] = inLink[i] === 0 && closesAt(text, i, token) ? i : (table[i + 1] ?? -1);
    }
    next.set(token, table);
  }
  const nextBreak = new Int32Array(text.length + 1).fill(-1);
  for (let i = text.length - 1; i >= 0; i--) nextBreak[i] = text[i] === '\n' ? i : (nextBreak[i + 1] ?? -1);
  return { next, nextBreak };
}

/** `token` at `i` may close a span: after a non-space, before a non-word, not doubled. */
function closesAt(text: string, i: number, token: string): boolean {
  if (!text.startsWith(token, i)) return false;
  const after = text[i + token.length];
  return !isSpace(text[i - 1]) && !isWord(after) && after !== token[0];
}

/** `token` at `i` may open a span: after a non-word, before a non-space, not doubled. */
function opensAt(text: string, i: number, token: string): boolean {
  if (!text.startsWith(token, i)) return false;
  const after = text[i + token.length];
  return !isWord(text[i - 1]) && text[i - 1] !== token[0] && !isSpace(after) && after !== token[0];
}

/** *bold*, _italic_ and ~struck~ in plain text (no code in it): spans end on their line. */
function emphasis(text: string, depth: number): Piece[] {
  if (depth > MAX_DEPTH || !/[*_~]/.test(text)) return linked(text);
  const inLink = linkMask(text);
  const { next, nextBreak } = closersOf(text, inLink);
  const pieces: Piece[] = [];
  let plainFrom = 0;
  let i = 0;
  while (i < text.length) {
    const span = inLink[i] === 0 ? spanAt(text, i, next, nextBreak) : null;
    if (span === null) {
      i++;
      continue;
    }
    if (i > plainFrom) pieces.push(...linked(text.slice(plainFrom, i)));
    const inner = text.slice(i + span.token.length, span.close);
    pieces.push({ kind: span.kind, pieces: emphasis(inner, depth + 1) });
    i = span.close + span.token.length;
    plainFrom = i;
  }
  if (plainFrom < text.length) pieces.push(...linked(text.slice(plainFrom)));
  return pieces;
}

/** Plain text with its web addresses as links. */
function linked(text: string): Piece[] {
  if (!MAY_HOLD_URL.test(text)) return [{ kind: 'text', text }];
  return splitLinks(text).map((part) =>
    'href' in part ? { kind: 'link', text: part.text, href: part.href } : { kind: 'text', text: part.text },
  );
}

/** 1 where a character is part of a web address: no marker there opens or closes a span. */
function linkMask(text: string): Uint8Array {
  const mask = new Uint8Array(text.length);
  if (!MAY_HOLD_URL.test(text)) return mask;
  let at = 0;
  for (const part of splitLinks(text)) {
    if ('href' in part) mask.fill(1, at, at + part.text.length);
    at += part.text.length;
  }
  return mask;
}

function spanAt(
  text: string,
  i: number,
  next: Map<string, Int32Array>,
  nextBreak: Int32Array,
): { token: string; kind: 'strong' | 'em' | 'del'; close: number } | null {
  for (const { token, kind } of MARKERS) {
    if (!opensAt(text, i, token)) continue;
    const close = next.get(token)?.[i + token.length + 1] ?? -1;
    const lineEnd = nextBreak[i] ?? -1;
    if (close !== -1 && (lineEnd === -1 || close < lineEnd)) return { token, kind, close };
  }
  return null;
}

/** Neighbouring text pieces as one (a marker that opened nothing is text beside text). */
function merged(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const piece of pieces) {
    const last = out.at(-1);
    if (piece.kind === 'text' && last?.kind === 'text') last.text += piece.text;
    else out.push(piece.kind === 'text' ? { ...piece } : piece);
  }
  return out;
}
