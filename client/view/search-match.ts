// How a search compares text: as plain text (a query is never a pattern), without case and
// without accents, so that "cafe" finds "Café" and "CAFÉ" however each was typed (é as one
// character or as e and a combining mark), and "strasse" finds "Straße". Each character is
// folded on its own: its canonical decomposition (NFD) case-folded, for the reader's locale
// (lower, upper and lower again: upper case spells ß, ẞ and ligatures such as ﬁ out in
// letters), with its combining marks dropped.
// Folding character by character gives the query and the line the same result whatever comes
// around them, and says where in the line each folded character came from (`occurrences`),
// for what is highlighted.

/** Combining marks: the accents NFD takes off their letters, and any others. */
const MARKS = /\p{M}/gu;
/** Printable ASCII and its breaks: no marks, and the same length in lower case. */
const ASCII = /^[\t\n\r -~]*$/;
/**
 * Characters folded so far: a line is mostly the same few dozen. Emptied when full, as a line
 * of thousands of distinct characters (a member's flood of CJK, say) would otherwise keep them.
 */
const folds = new Map<string, string>();
const MAX_FOLDS = 4_096;

/** One character (a code point) as a search compares it; '' for a combining mark. */
function foldChar(char: string): string {
  let folded = folds.get(char);
  if (folded === undefined) {
    // Final sigma is a lower-case form of its own: "ΟΔΟΣ" in lower case ends in σ, and a
    // query typed "οδος" ends in ς.
    folded = char
      .normalize('NFD')
      .toLocaleLowerCase()
      .toLocaleUpperCase()
      .toLocaleLowerCase()
      .replace(MARKS, '')
      .replace('ς', 'σ');
    if (folds.size >= MAX_FOLDS) folds.clear();
    folds.set(char, folded);
  }
  return folded;
}

/** `text` as a search compares it (see above); a query is folded the same way. */
export function foldText(text: string): string {
  // Most lines: ASCII, folded at once.
  if (ASCII.test(text)) return text.toLocaleLowerCase();
  let folded = '';
  for (const char of text) folded += foldChar(char);
  return folded;
}

/**
 * Where `query` (folded already: foldText) occurs in `text`, as [start, end) offsets into
 * `text` itself, first to last and not overlapping, at most `most`: what a highlight covers.
 * The marks after a character go with it, so that no highlight ends inside a letter.
 */
export function occurrences(text: string, query: string, most = Number.POSITIVE_INFINITY): Array<[number, number]> {
  if (query === '') return [];
  let folded = '';
  /** For each code unit of `folded`, where in `text` the character it came from starts and ends. */
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  let lastStart = 0;
  for (const char of text) {
    const piece = foldChar(char);
    if (piece === '') {
      // A mark the fold dropped: the character before it reaches over it.
      for (let k = lastStart; k < folded.length; k++) ends[k] = at + char.length;
    } else {
      lastStart = folded.length;
      for (let k = 0; k < piece.length; k++) {
        starts.push(at);
        ends.push(at + char.length);
      }
      folded += piece;
    }
    at += char.length;
  }
  const found: Array<[number, number]> = [];
  for (let i = folded.indexOf(query); i !== -1 && found.length < most; ) {
    const end = ends[i + query.length - 1] ?? text.length;
    found.push([starts[i] ?? 0, end]);
    // The next starts past this one's last character: "s" in a ß (folded "ss") is one.
    let next = i + query.length;
    while (next < folded.length && (starts[next] ?? 0) < end) next++;
    i = folded.indexOf(query, next);
  }
  return found;
}
