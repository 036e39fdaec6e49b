// Web addresses in a message: http(s) URLs, and addresses written from "www." on, found
// and trimmed of the sentence's punctuation around them. Which runs of text become links is
// decided here; the view (text.ts) makes them real <a> elements.

import { closesAt, opensAt } from './marker-edges.ts';

/**
 * A run of characters that starts like a web address (a scheme, or "www." as people write
 * one: it stayed plain text); where it ends is decided below. Not inside a word, but right
 * after a formatting marker: "_https://…_" is an address in italics.
 */
const URL_CANDIDATE = /(?<![\p{L}\p{N}])(?:https?:\/\/|www\.(?=[\p{L}\p{N}]))[^\s<>"'`]+/giu;
/** Text that may hold one (the fast path of renderText). */
export const MAY_HOLD_URL = /https?:\/\/|\bwww\./i;
/**
 * A longer candidate stays plain text: no real link is this long (browsers cap what they
 * show of one near here), and a peer's 4,000-character "link" is not worth laying out as one.
 */
export const MAX_LINK_LENGTH = 2_048;
/** Punctuation that usually ends the sentence around a URL rather than the URL itself. */
const TRAILING_PUNCTUATION = new Set(['.', ',', ';', ':', '!', '?']);
/**
 * Formatting markers (format.ts) that close a span around a URL ("_see www.example.test_"):
 * left out of its end only when the same marker came before it on its row, to open that
 * span, and no later one on the row closes it. Else they are the address's own
 * ("…/wiki/Foo_", "…/~user~"): in "_see …/wiki/Foo_ now_" the span closes after "now", as
 * the writer typed it, and the address keeps its "_" (GitHub and Discord close the span at
 * Foo's "_" and show the last one as a stray; here every marker pairs).
 */
const MARKERS = new Set(['*', '_', '~']);
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
const BRACKETS = new Set(['(', ')', '[', ']', '{', '}']);

/**
 * Where the URL in a candidate at `at` ends: trailing punctuation is dropped (and a formatting
 * marker that opened a span on its row before it when no later one on the row closes that
 * span: this one is then its closer), and so is a closing bracket that has no opening one in
 * the URL (Wikipedia's `…_(1)` keeps its own). One pass
 * from the end with running bracket counts, so a hostile run of `)` or `.` costs its length,
 * not its length squared.
 */
function trimUrl(candidate: string, at: number, sides: MarkerSides): string {
  const counts = new Map<string, number>();
  for (const c of candidate) if (BRACKETS.has(c)) counts.set(c, (counts.get(c) ?? 0) + 1);
  const opened = new Set([...MARKERS].filter((marker) => sides.openedBefore(marker, at)));
  let end = candidate.length;
  while (end > 0) {
    const last = candidate[end - 1] as string;
    const opener = CLOSERS[last];
    const closing = counts.get(last) ?? 0;
    if (TRAILING_PUNCTUATION.has(last) || (opened.has(last) && !sides.closedLater(last, at + end))) end--;
    else if (opener !== undefined && (counts.get(opener) ?? 0) < closing) {
      counts.set(last, closing - 1);
      end--;
    } else break;
  }
  return candidate.slice(0, end);
}

/** Where a marker stands on its row around an address (see MARKERS). */
interface MarkerSides {
  /** A span of `marker` opened on the row before `at`. */
  openedBefore(marker: string, at: number): boolean;
  /** From `at` on, the row holds a marker closing a span of `marker` before any opening one. */
  closedLater(marker: string, at: number): boolean;
}

/**
 * Both questions answered from tables built once per marker on first use (one pass forward,
 * one back), so a row of many addresses costs its length once, not once per address.
 */
function markerSides(text: string): MarkerSides {
  const opens = (i: number, marker: string) => opensAt(text, i, marker) || opensAt(text, i, marker + marker);
  const before = new Map<string, Uint8Array>();
  const later = new Map<string, Uint8Array>();
  return {
    openedBefore(marker, at) {
      let table = before.get(marker);
      if (table === undefined) {
        table = new Uint8Array(text.length + 1);
        for (let i = 1; i <= text.length; i++)
          table[i] = text[i - 1] === '\n' ? 0 : opens(i - 1, marker) ? 1 : (table[i - 1] ?? 0);
        before.set(marker, table);
      }
      return table[at] === 1;
    },
    closedLater(marker, at) {
      let table = later.get(marker);
      if (table === undefined) {
        // 1: a closer comes first on the row from here; 0: an opener, or neither before its end.
        table = new Uint8Array(text.length + 1);
        for (let i = text.length - 1; i >= 0; i--) {
          if (text[i] === '\n' || opens(i, marker)) table[i] = 0;
          else table[i] = closesAt(text, i, marker) ? 1 : (table[i + 1] ?? 0);
        }
        later.set(marker, table);
      }
      return table[at] === 1;
    },
  };
}

/** The address a link may point to: only http and https, as the URL parser reads it. */
export function linkTarget(text: string): string | null {
  if (!URL.canParse(text)) return null;
  const url = new URL(text);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}

/** The pieces of a message: plain text, and links (the text shown and where it goes). */
export type TextPart = { text: string } | { text: string; href: string };

export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let plainFrom = 0;
  const sides = markerSides(text);
  for (const match of text.matchAll(URL_CANDIDATE)) {
    if (match[0].length > MAX_LINK_LENGTH) continue;
    const shown = trimUrl(match[0], match.index, sides);
    // "www.…" is a web address without its scheme: https, as a browser's address bar takes it.
    const href = linkTarget(/^www\./i.test(shown) ? `https://${shown}` : shown);
    if (href === null) continue;
    if (match.index > plainFrom) parts.push({ text: text.slice(plainFrom, match.index) });
    parts.push({ text: shown, href });
    plainFrom = match.index + shown.length;
  }
  if (plainFrom < text.length) parts.push({ text: text.slice(plainFrom) });
  return parts;
}
