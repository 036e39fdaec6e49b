// Names folded for comparison, and what in them is drawn as nothing: the light form the page
// compares names by (foldName), and the first step of their look-alike keys (name-skeleton.ts).

// Symbols drawn as empty space, though not default-ignorable: the braille blank (U+2800, a
// pattern with no dots), the musical null notehead (U+1D159) and the Khitan filler (U+16FE4).
const BLANK_SYMBOLS = '\\u2800\\u{1D159}\\u{16FE4}';
/**
 * What is drawn as nothing, as the inside of a regular expression's character class: the
 * default-ignorable characters (a Hangul filler is a "letter") and the blank symbols. Names,
 * messages (showsSomething) and file names (channel/files.ts) go by this one set.
 */
export const DRAWN_BLANK_CLASS = `\\p{Default_Ignorable_Code_Point}${BLANK_SYMBOLS}`;

/** Drawn as nothing: the default-ignorable characters (a Hangul filler is a "letter") and the blanks. */
const DRAWN_AS_NOTHING = new RegExp(`[${DRAWN_BLANK_CLASS}]`, 'gu');

/**
 * A name folded for comparison: NFKC (so "Ａlice" and "Alice" meet), invisible characters
 * removed, case folded, inner spaces collapsed. The server compares names by nameKeys()
 * (name-key.ts), which also folds look-alikes; this lighter form is what the page can do.
 */
export function foldName(name: string): string {
  return caseFold(stripInvisible(name.normalize('NFKC')))
    .replace(/\s+/gu, ' ')
    .trim();
}

/**
 * Unicode full case folding, as near as JavaScript has it: lower case alone keeps "ß" apart
 * from "SS" and final "ς" apart from "σ", so "Straße" and "STRASSE" could share a room.
 * Upper case first expands and merges those (ß → SS, ς → Σ); NFKC again after, since the
 * case maps may leave text unnormalized.
 */
export function caseFold(text: string): string {
  return text.toUpperCase().toLowerCase().normalize('NFKC');
}

/**
 * The name without the characters that render as nothing, or change nothing but how a
 * neighbour is drawn (DRAWN_AS_NOTHING): every default-ignorable one (zero-width spaces and
 * joiners, bidi controls, soft hyphen, BOM, variation selectors — the emoji ones too: "❤️" and
 * "❤" are the same heart —, Hangul fillers, tag characters, combining grapheme joiner, …) and
 * the blank symbols. Two names that differ only by these look the same on screen, so they
 * compare equal.
 */
export function stripInvisible(name: string): string {
  return name.replace(DRAWN_AS_NOTHING, '');
}
