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
import { closesAt, opensAt } from './marker-edges.ts';

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

/** A span holds a letter or a digit: markers around signs alone are a face or a path. */
const HAS_WORD = /[\p{L}\p{N}]/u;

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
      pieces.push(...emphasis(text.slice(from, close === -1 ? text.length : close + FENCE.length), 1));
      from = close === -1 ? text.length : close + FENCE.length;
      continue;
    }
    if (open > from) pieces.push(...emphasis(text.slice(from, open), 1));
    pieces.push({ kind: 'block', text: body });
    // The block ends its own row: the line break typed after its fence would add an empty one.
    from = close + FENCE.length + (text[close + FENCE.length] === '\n' ? 1 : 0);
  }
  return merged(pieces);
}

/**
 * A block's text without the line break after its opening fence and before its closing one,
 * and without a language tag on the fence's row ("```js", as people paste code from GitHub or
 * Discord): one word alone there names the code, it is not a row of it.
 */
function blockBody(inside: string): string {
  return inside.replace(/^[^\S\n]*(?:[\w+#.-]{1,20}[^\S\n]*)?\n(?=[\s\S]*\S)/, '').replace(/\n[^\S\n]*$/, '');
}

/** Where `code` spans are: [start, end) of each, backticks included (on one line, not empty). */
function codeRanges(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let at = text.indexOf('`');
  while (at !== -1) {
    const end = text.indexOf('`', at + 1);
    if (end === -1) break;
    // Not a span (empty, or across a row): this backtick stays text, and the next may open one.
    if (end === at + 1 || text.slice(at + 1, end).includes('\n')) {
      at = end;
      continue;
    }
    ranges.push([at, end + 1]);
    at = text.indexOf('`', end + 1);
  }
  return ranges;
}

/** Text with no emphasis in it: its code spans, and web addresses as links in the rest. */
function atoms(text: string): Piece[] {
  if (!text.includes('`')) return linked(text);
  const pieces: Piece[] = [];
  let plainFrom = 0;
  for (const [start, end] of codeRanges(text)) {
    if (start > plainFrom) pieces.push(...linked(text.slice(plainFrom, start)));
    pieces.push({ kind: 'code', text: text.slice(start + 1, end - 1) });
    plainFrom = end;
  }
  if (plainFrom < text.length) pieces.push(...linked(text.slice(plainFrom)));
  return pieces;
}

/** Where each marker may close from each position on, and the next line break and letter or digit. */
interface Closers {
  next: Map<string, Int32Array>;
  nextBreak: Int32Array;
  nextWord: Int32Array;
  /** For * and ~: the next run of them inside a word ("really*like", "2*3"), which no span of them crosses. */
  nextInWord: Map<string, Int32Array>;
}

/**
 * Characters whose run inside a word ends any span of them it is in: "I *really*like it and
 * *this* too" bolds "this" only, not "really*like it and *this" (the first * that cannot close
 * is not skipped over). Not _, which joins the words of names: "_snake_case_" is italic.
 */
const IN_WORD_ENDS = ['*', '~'] as const;

/** For every position, the first at or after it where `holds` is true, or -1: built from the end. */
function nextWhere(length: number, holds: (i: number) => boolean): Int32Array {
  const table = new Int32Array(length + 1).fill(-1);
  for (let i = length - 1; i >= 0; i--) table[i] = holds(i) ? i : (table[i + 1] ?? -1);
  return table;
}

/**
 * Where each marker may close, for every position: the first closing `token` at or after it,
 * or -1; the first line break, letter or digit, and run of * or ~ inside a word, at or after
 * it. Built from the end, once per pass.
 */
function closersOf(text: string, inLink: Uint8Array): Closers {
  const { length } = text;
  const next = new Map<string, Int32Array>();
  for (const { token } of MARKERS) {
    next.set(
      token,
      nextWhere(length, (i) => inLink[i] === 0 && closesAt(text, i, token)),
    );
  }
  const isWord = (at: number) => at >= 0 && at < length && HAS_WORD.test(text[at] as string);
  const nextInWord = new Map<string, Int32Array>();
  for (const char of IN_WORD_ENDS) {
    const inWord = new Uint8Array(length);
    for (let start = text.indexOf(char); start !== -1; ) {
      let end = start;
      while (text[end] === char) end++;
      if (isWord(start - 1) && isWord(end) && inLink[start] === 0) inWord.fill(1, start, end);
      start = text.indexOf(char, end);
    }
    nextInWord.set(
      char,
      nextWhere(length, (i) => inWord[i] === 1),
    );
  }
  return {
    next,
    nextBreak: nextWhere(length, (i) => text[i] === '\n'),
    nextWord: nextWhere(length, isWord),
    nextInWord,
  };
}

/** *bold*, _italic_ and ~struck~ in plain text (no code in it): spans end on their line. */
function emphasis(text: string, depth: number): Piece[] {
  if (depth > MAX_DEPTH || !/[*_~]/.test(text)) return atoms(text);
  const inLink = atomMask(text);
  const closers = closersOf(text, inLink);
  const pieces: Piece[] = [];
  let plainFrom = 0;
  let i = 0;
  while (i < text.length) {
    const span = inLink[i] === 0 ? spanAt(text, i, closers) : null;
    if (span === null) {
      i++;
      continue;
    }
    if (i > plainFrom) pieces.push(...atoms(text.slice(plainFrom, i)));
    const inner = text.slice(i + span.token.length, span.close);
    pieces.push({ kind: span.kind, pieces: emphasis(inner, depth + 1) });
    i = span.close + span.token.length;
    plainFrom = i;
  }
  if (plainFrom < text.length) pieces.push(...atoms(text.slice(plainFrom)));
  return pieces;
}

/** Plain text with its web addresses as links. */
function linked(text: string): Piece[] {
  if (!MAY_HOLD_URL.test(text)) return [{ kind: 'text', text }];
  return splitLinks(text).map((part) =>
    'href' in part ? { kind: 'link', text: part.text, href: part.href } : { kind: 'text', text: part.text },
  );
}

/**
 * 1 where a character is part of a code span or a web address: no marker there opens or
 * closes a span (emphasis goes around them whole: "*see `npm test`*").
 */
function atomMask(text: string): Uint8Array {
  const mask = new Uint8Array(text.length);
  for (const [start, end] of codeRanges(text)) mask.fill(1, start, end);
  if (!MAY_HOLD_URL.test(text)) return mask;
  let at = 0;
  for (const part of splitLinks(text)) {
    if ('href' in part) mask.fill(1, at, at + part.text.length);
    at += part.text.length;
  }
  return mask;
}

/** The span opening at `i`: closed on its row, with a letter or digit in it ("(*_*)" is a face). */
function spanAt(
  text: string,
  i: number,
  { next, nextBreak, nextWord, nextInWord }: Closers,
): { token: string; kind: 'strong' | 'em' | 'del'; close: number } | null {
  for (const { token, kind } of MARKERS) {
    if (!opensAt(text, i, token)) continue;
    const close = next.get(token)?.[i + token.length + 1] ?? -1;
    if (close === -1) continue;
    const lineEnd = nextBreak[i] ?? -1;
    const word = nextWord[i + token.length] ?? -1;
    const inWord = nextInWord.get(token[0] as string)?.[i + token.length] ?? -1;
    if ((lineEnd === -1 || close < lineEnd) && word !== -1 && word < close && (inWord === -1 || inWord > close))
      return { token, kind, close };
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

/**
 * The text the pieces show, row by row: markers gone, each block of code on rows of its own
 * (it is laid out as a block: the text before it ends a row, the text after it starts one).
 */
export function shownRows(pieces: readonly Piece[]): string {
  let rows = '';
  for (const piece of pieces) {
    if (piece.kind === 'block') rows += `${rows === '' || rows.endsWith('\n') ? '' : '\n'}${piece.text}\n`;
    else if (piece.kind === 'text' || piece.kind === 'link' || piece.kind === 'code') rows += piece.text;
    else rows += shownRows(piece.pieces);
  }
  return rows;
}
