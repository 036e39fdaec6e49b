// Who a line mentions: "@" and a member's name, as written in the line, matched without
// regard to case and ending at a word's end ("@Al" is not Alice, "@Alice" in "@Alicia" is
// not either). Names may hold spaces and any character a name may (protocol/name.ts): they
// are compared as text, never as a pattern. Where two names fit at one "@" ("Bob" and
// "Bob 2"), the longer one is meant; but not a name that is the other with only punctuation
// after it ("Ana." beside "Ana"): "thanks @Ana." reads as Ana's either way, and such a name
// would take Ana's mentions at every sentence's end. The line keeps its text as written: a
// mention of a name changed since still reads as it was typed, and only matches the names of
// now. A mention is read in the line as shown (format.ts): "_hi @Ana_" is one (the closing
// "_" is formatting, not a letter of a longer word), and "@Ana" in `code`, in a block of
// code or in an address (…/@Ana) is not, as it is not drawn as words either.

import { formatText, type Piece } from './format.ts';

/** A character that continues a word: a mention must not be followed by one (nor its "@" preceded). */
const WORD = /[\p{L}\p{N}\p{M}_]/u;

/** WORD, without a Unicode regex for ASCII (a hostile line's thousands of "@" ask it each time). */
function continuesWord(char: string): boolean {
  const code = char.charCodeAt(0);
  if (code < 0x80)
    return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
  return WORD.test(char);
}

/** Only punctuation: what a name adds to another that does not make it the one meant. */
const PUNCTUATION_ONLY = /^\p{P}+$/u;

function fitsAt(text: string, from: number, name: string): boolean {
  const written = text.slice(from, from + name.length);
  if (written.length !== name.length || written.toLowerCase() !== name.toLowerCase()) return false;
  const next = text.charAt(from + name.length);
  // A name that ends in a word character must end the word; one ending in a mark ("Bob!") ends anyway.
  return next === '' || !(continuesWord(next) && continuesWord(name.charAt(name.length - 1)));
}

/**
 * Whether `text` mentions `self` (our name now), given the others' names: a longer one that
 * fits at the same "@" is the one meant ("@Bob 2" is not Bob).
 *
 * Every line that comes is read here, a hostile one of 4,000 "@" too: an "@" whose next
 * character cannot start our name costs nothing more. (Comparing every name at every "@" took
 * 6.9 ms for such a line, with 16 names.)
 */
export function mentionsYou(
  text: string,
  self: string,
  others: Iterable<string>,
  ownCode: string | null = null,
): boolean {
  if (self === '' || !text.includes('@')) return false;
  return mentionsIn(asWords(formatText(text)), self, others, ownCode);
}

/**
 * The line's words as shown: emphasis without its markers; code, blocks and addresses as a
 * space, so that no mention is read in them or across them.
 */
function asWords(pieces: readonly Piece[]): string {
  let words = '';
  for (const piece of pieces) {
    if (piece.kind === 'text') words += piece.text;
    else if (piece.kind === 'strong' || piece.kind === 'em' || piece.kind === 'del') words += asWords(piece.pieces);
    else words += ' ';
  }
  return words;
}

function mentionsIn(text: string, self: string, others: Iterable<string>, ownCode: string | null): boolean {
  const folded = self.toLowerCase();
  const longer = [...others].filter(
    (name) =>
      name.length > self.length &&
      name.slice(0, self.length).toLowerCase() === folded &&
      !PUNCTUATION_ONLY.test(name.slice(self.length)),
  );
  const first = self.charAt(0).toLowerCase();
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    if (text.charAt(at + 1).toLowerCase() !== first) continue;
    // An address (bob@example.org) is not a mention.
    if (at > 0 && continuesWord(text.charAt(at - 1))) continue;
    if (!fitsAt(text, at + 1, self)) continue;
    if (taggedForAnother(text.slice(at + 1 + self.length), ownCode)) continue;
    if (!longer.some((name) => fitsAt(text, at + 1, name))) return true;
  }
  return false;
}

/** A twin's tag as the message box puts it after a mention: " #" and one to four groups of its key code. */
const TAG = /^ #([0-9a-f]{4}(?: [0-9a-f]{4}){0,3})(?![\p{L}\p{N}_])/u;

/**
 * The mention goes on with a tag (twins.ts: another member has our name) that is not the start
 * of our key code: it means the other one. Without a code of ours, no tag is ours.
 */
function taggedForAnother(after: string, ownCode: string | null): boolean {
  const tag = TAG.exec(after)?.[1];
  return tag !== undefined && !(ownCode ?? '').startsWith(tag);
}
