// Who a line mentions: "@" and a member's name, as written in the line, matched without
// regard to case and ending at a word's end ("@Al" is not Alice, "@Alice" in "@Alicia" is
// not either). Names may hold spaces and any character a name may (protocol/name.ts): they
// are compared as text, never as a pattern. Where two names fit at one "@" ("Bob" and
// "Bob 2"), the longer one is meant. The line keeps its text as written: a mention of a name
// changed since still reads as it was typed, and only matches the names of now.

/** A character that continues a word: a mention must not be followed by one (nor its "@" preceded). */
const WORD = /[\p{L}\p{N}\p{M}_]/u;

export interface Mention {
  /** Where its "@" is, in UTF-16 code units. */
  readonly start: number;
  /** Just past the name. */
  readonly end: number;
  /** The name it matched, as given. */
  readonly name: string;
}

/** The names mentioned in `text`, longest fit at each "@", in order. */
export function mentionsIn(text: string, names: Iterable<string>): Mention[] {
  const candidates = [...new Set(names)].filter((name) => name !== '').sort((a, b) => b.length - a.length);
  const found: Mention[] = [];
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    // An address (bob@example.org) is not a mention.
    if (at > 0 && WORD.test(text.charAt(at - 1))) continue;
    const name = candidates.find((candidate) => fitsAt(text, at + 1, candidate));
    if (name !== undefined) found.push({ start: at, end: at + 1 + name.length, name });
  }
  return found;
}

function fitsAt(text: string, from: number, name: string): boolean {
  const written = text.slice(from, from + name.length);
  if (written.length !== name.length || written.toLowerCase() !== name.toLowerCase()) return false;
  const next = text.charAt(from + name.length);
  // A name that ends in a word character must end the word; one ending in a mark ("Bob!") ends anyway.
  return next === '' || !(WORD.test(next) && WORD.test(name.charAt(name.length - 1)));
}

/** Whether `text` mentions `self` (our name now), given the others' names (a longer one that fits wins). */
export function mentionsYou(text: string, self: string, others: Iterable<string>): boolean {
  if (self === '' || !text.includes('@')) return false;
  return mentionsIn(text, [self, ...others]).some((mention) => mention.name === self);
}
