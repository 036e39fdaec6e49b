// A name inside a sentence the page writes ("Alice joined", "דוד is now Bob"): marked as a
// bidi isolate (U+2068 … U+2069), so a right-to-left name and the digits or words next to it
// do not reorder the sentence around it. The lines view draws each marked name as a <bdi>
// and drops the marks, so the page's text and what tests read hold no invisible characters.
// Names never hold bidi controls themselves (protocol/name.ts refuses format characters).

const FIRST_STRONG_ISOLATE = '\u2068';
const POP_DIRECTIONAL_ISOLATE = '\u2069';

/** The name, marked to be shown isolated from the text around it. */
export const isolate = (name: string): string => `${FIRST_STRONG_ISOLATE}${name}${POP_DIRECTIONAL_ISOLATE}`;

/** A page-written sentence in pieces: plain text, and the names marked in it. */
export function isolatedParts(text: string): Array<{ text: string; name: boolean }> {
  const parts: Array<{ text: string; name: boolean }> = [];
  let from = 0;
  for (const match of text.matchAll(/\u2068([^\u2068\u2069]*)\u2069/g)) {
    if (match.index > from) parts.push({ text: text.slice(from, match.index), name: false });
    parts.push({ text: match[1] ?? '', name: true });
    from = match.index + match[0].length;
  }
  if (from < text.length) parts.push({ text: text.slice(from), name: false });
  return parts;
}
