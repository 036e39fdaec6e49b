// Message text for the page: plain text, except that http(s) URLs become links. Built with
// DOM calls only — the text is never parsed as HTML, and no other markup exists.

/** A run of characters that starts like a web address; where it ends is decided below. */
const URL_CANDIDATE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
/** Punctuation that usually ends the sentence around a URL rather than the URL itself. */
const TRAILING_PUNCTUATION = /[.,;:!?*]+$/;
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** Drops trailing punctuation, and a closing bracket that has no opening one in the URL. */
function trimUrl(candidate: string): string {
  let url = candidate;
  for (;;) {
    const trimmed = url.replace(TRAILING_PUNCTUATION, '');
    const last = trimmed.at(-1) ?? '';
    const opener = CLOSERS[last];
    if (opener !== undefined && count(trimmed, opener) < count(trimmed, last)) {
      url = trimmed.slice(0, -1);
      continue;
    }
    return trimmed;
  }
}

function count(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n++;
  return n;
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
    const shown = trimUrl(match[0]);
    const href = linkTarget(shown);
    if (href === null) continue;
    if (match.index > plainFrom) parts.push({ text: text.slice(plainFrom, match.index) });
    parts.push({ text: shown, href });
    plainFrom = match.index + shown.length;
  }
  if (plainFrom < text.length) parts.push({ text: text.slice(plainFrom) });
  return parts;
}

/** Fills `into` with the message text, links made real `<a>` elements. */
export function renderText(into: HTMLElement, text: string): void {
  // Most lines have no link: one text node, as fast as before.
  if (!/https?:\/\//i.test(text)) {
    into.textContent = text;
    return;
  }
  for (const part of splitLinks(text)) {
    if (!('href' in part)) {
      into.append(part.text);
      continue;
    }
    const link = document.createElement('a');
    link.href = part.href;
    link.textContent = part.text;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    into.append(link);
  }
}
