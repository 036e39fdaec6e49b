// Where a formatting marker (*, _, ~ and their doubles) may open or close a span: read by the
// formatter (format.ts) to find spans, and by the link finder (links.ts) to tell a span's
// closing marker right after an address from the address's own last character.

/**
 * What may stand before an opening marker and after a closing one: a row's edge, white space,
 * or the punctuation around words (brackets, quotes; after, a sentence's too). Not a letter
 * (snake_case, 2*3*4) nor other signs: "(*_*)", "^_^", "-_-" and a glob's "src/**" stay as typed.
 */
const BEFORE_OPENING = /[\s([{"'“‘«]/u;
const AFTER_CLOSING = /[\s)\]}"'”’».,;:!?-]/u;
const isSpace = (char: string | undefined): boolean => char === undefined || /\s/.test(char);

/** `token` at `i` may close a span: after a non-space, before a row's end, a space or punctuation. */
export function closesAt(text: string, i: number, token: string): boolean {
  if (!text.startsWith(token, i)) return false;
  const after = text[i + token.length];
  return !isSpace(text[i - 1]) && (after === undefined || AFTER_CLOSING.test(after));
}

/** `token` at `i` may open a span: after a row's start, a space or an opening bracket or quote; before a non-space. */
export function opensAt(text: string, i: number, token: string): boolean {
  if (!text.startsWith(token, i)) return false;
  const before = text[i - 1];
  const after = text[i + token.length];
  return (before === undefined || BEFORE_OPENING.test(before)) && !isSpace(after) && after !== token[0];
}
