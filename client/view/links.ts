// Web addresses in a message: http(s) URLs, and addresses written from "www." on, found
// and trimmed of the sentence's punctuation around them. Which runs of text become links is
// decided here; the view (text.ts) makes them real <a> elements.

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
 * span. Else they are the address's own ("…/wiki/Foo_", "…/~user~").
 */
const MARKERS = new Set(['*', '_', '~']);
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
const BRACKETS = new Set(['(', ')', '[', ']', '{', '}']);

/**
 * Where the URL in a candidate ends: trailing punctuation is dropped (and a formatting marker
 * that opened on its row before it: `rowBefore`), and so is a closing
 * bracket that has no opening one in the URL (Wikipedia's `…_(1)` keeps its own). One pass
 * from the end with running bracket counts, so a hostile run of `)` or `.` costs its length,
 * not its length squared.
 */
function trimUrl(candidate: string, rowBefore: string): string {
  const counts = new Map<string, number>();
  for (const c of candidate) if (BRACKETS.has(c)) counts.set(c, (counts.get(c) ?? 0) + 1);
  const opened = new Set([...MARKERS].filter((marker) => rowBefore.includes(marker)));
  let end = candidate.length;
  while (end > 0) {
    const last = candidate[end - 1] as string;
    const opener = CLOSERS[last];
    const closing = counts.get(last) ?? 0;
    if (TRAILING_PUNCTUATION.has(last) || opened.has(last)) end--;
    else if (opener !== undefined && (counts.get(opener) ?? 0) < closing) {
      counts.set(last, closing - 1);
      end--;
    } else break;
  }
  return candidate.slice(0, end);
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
  for (const match of text.matchAll(URL_CANDIDATE)) {
    if (match[0].length > MAX_LINK_LENGTH) continue;
    const rowStart = text.lastIndexOf('\n', match.index - 1) + 1;
    const shown = trimUrl(match[0], text.slice(rowStart, match.index));
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
