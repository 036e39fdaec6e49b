import { NAME_MAX_LENGTH, NAME_MIN_LENGTH } from './limits.ts';
import { MAX_STACKED_MARKS, stacksPastMax } from './marks.ts';
import { DRAWN_BLANK_CLASS, foldName, stripInvisible } from './name-fold.ts';
import { keysMeet, keysWithSkeleton, type Skeleton } from './name-skeleton.ts';

// A name is shown to everyone in the room next to what its owner writes, so it must not be
// able to render as nothing, pass for someone else's, or disturb the text around it.

// Control characters would let a name break the layout of other people's screens or logs.
const CONTROL = /\p{Cc}/u;
// Format characters (zero-width spaces and joiners, bidi controls, soft hyphen, word joiner,
// BOM, tag characters, …), line and paragraph separators, the rest of the default-ignorable
// characters (Hangul fillers, variation selectors, combining grapheme joiner, …), and the
// blank symbols: invisible, or they reorder or break what surrounds them.
const INVISIBLE_OR_FORMAT = new RegExp(`[\\p{Cf}\\p{Zl}\\p{Zp}${DRAWN_BLANK_CLASS}]`, 'u');
// Allowed after all: an emoji presentation selector right after a character that has an
// emoji and a text form ("❤️"; a digit, '#' or '*' only as a keycap, "1️⃣"), never after
// a letter, where it selects nothing; a zero-width joiner inside an emoji sequence ("👩‍💻");
// and either joiner after a letter of a script that shapes with them (Arabic, Persian, the
// Indic scripts), never after a Latin, Greek or Cyrillic one.
const EMOJI_SELECTOR = /(?<=\p{Emoji})(?<![#*0-9])[\uFE0E\uFE0F]|(?<=[#*0-9])[\uFE0E\uFE0F](?=\u20E3)/gu;
const JOINER_IN_CONTEXT =
  /(?<=[\p{Extended_Pictographic}\p{Emoji_Modifier}]\uFE0F?)\u200D(?=\p{Extended_Pictographic})|(?<=[^\P{L}\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]\p{M}*)[\u200C\u200D](?=\p{L})/gu;
// Lone halves of a surrogate pair are not characters at all.
const LONE_SURROGATE = /\p{Cs}/u;
// Something visible must be left: a letter, digit, symbol or punctuation mark.
const VISIBLE = /[\p{L}\p{N}\p{S}\p{P}]/u;

/**
 * Whether text shows anything: a letter, digit, symbol or punctuation mark that is not drawn
 * as nothing. A message of zero-width spaces, bidi controls, soft hyphens, fillers and blanks
 * alone would be an empty bubble, counted as new in everyone's title (an exploratory pass).
 */
export const showsSomething = (text: string): boolean => VISIBLE.test(stripInvisible(text));

// Scripts told apart for the mixed-script rule. Characters of other scripts count as one
// "other" script; Common and Inherited ones (digits, punctuation, emoji, marks) as none.
const SCRIPTS = [
  'Latin',
  'Greek',
  'Cyrillic',
  'Armenian',
  'Hebrew',
  'Arabic',
  'Syriac',
  'Thaana',
  'Devanagari',
  'Bengali',
  'Gurmukhi',
  'Gujarati',
  'Oriya',
  'Tamil',
  'Telugu',
  'Kannada',
  'Malayalam',
  'Sinhala',
  'Thai',
  'Lao',
  'Tibetan',
  'Myanmar',
  'Georgian',
  'Hangul',
  'Ethiopic',
  'Cherokee',
  'Khmer',
  'Mongolian',
  'Hiragana',
  'Katakana',
  'Bopomofo',
  'Han',
  'Tifinagh',
  'Canadian_Aboriginal',
] as const;
const SCRIPT_PATTERNS = SCRIPTS.map((script) => [script, new RegExp(`\\p{Script=${script}}`, 'u')] as const);
const COMMON_OR_INHERITED = /[\p{Script=Common}\p{Script=Inherited}]/u;
// TR39's "moderately restrictive" level: one script; or Latin with the scripts written
// together in Japanese, Chinese (Bopomofo) or Korean; or Latin with one other script, except
// the two whose letters pass for Latin ones (Cyrillic "а" for "a", Greek "ο" for "o").
const WRITTEN_TOGETHER: ReadonlyArray<ReadonlySet<string>> = [
  new Set(['Latin', 'Han', 'Hiragana', 'Katakana']),
  new Set(['Latin', 'Han', 'Bopomofo']),
  new Set(['Latin', 'Han', 'Hangul']),
];
const LOOK_LIKE_LATIN = new Set(['Cyrillic', 'Greek', 'Cherokee']);

function scriptsOf(name: string): Set<string> {
  const scripts = new Set<string>();
  for (const char of name) {
    if (COMMON_OR_INHERITED.test(char)) continue;
    scripts.add(SCRIPT_PATTERNS.find(([, pattern]) => pattern.test(char))?.[0] ?? 'other');
  }
  return scripts;
}

/** True when the scripts of a name may be mixed (see WRITTEN_TOGETHER, LOOK_LIKE_LATIN). */
function scriptsMixWell(scripts: ReadonlySet<string>): boolean {
  if (scripts.size <= 1) return true;
  if (WRITTEN_TOGETHER.some((allowed) => [...scripts].every((script) => allowed.has(script)))) return true;
  if (scripts.size !== 2 || !scripts.has('Latin')) return false;
  return ![...scripts].some((script) => LOOK_LIKE_LATIN.has(script));
}

export type NameResult = { ok: true; name: string } | { ok: false; reason: string };

/**
 * Trims and checks a display name: 1–32 characters (code points), inner runs of spaces made
 * one space, nothing invisible or deceiving (see above), no letter under a stack of marks
 * (marks.ts), not drawn as the page's label for our own lines, no ending drawn as the page's
 * marks. `lookAlike` is the TR39 skeleton by Unicode's confusables (the server's, name-key.ts):
 * without it, as on the page, whose bundle does not carry the table, a name and its ending are
 * judged as typed only (isReserved, endsAsPageMark). Never throws.
 */
export function normalizeName(raw: unknown, lookAlike?: Skeleton): NameResult {
  if (typeof raw !== 'string') return { ok: false, reason: 'name must be a string' };
  if (LONE_SURROGATE.test(raw)) return { ok: false, reason: 'name contains a broken character' };
  if (CONTROL.test(raw)) return { ok: false, reason: 'name contains control characters' };
  const name = raw
    .normalize('NFC')
    .trim()
    .replace(/\p{Zs}+/gu, ' ');
  const length = [...name].length;
  if (length < NAME_MIN_LENGTH) return { ok: false, reason: 'name is empty' };
  if (length > NAME_MAX_LENGTH) {
    return { ok: false, reason: `name is longer than ${NAME_MAX_LENGTH} characters` };
  }
  if (INVISIBLE_OR_FORMAT.test(name.replace(EMOJI_SELECTOR, '').replace(JOINER_IN_CONTEXT, ''))) {
    return { ok: false, reason: 'name contains invisible or formatting characters' };
  }
  if (!VISIBLE.test(name)) return { ok: false, reason: 'name has nothing visible' };
  // Every page would cut the stack anyway (marks.ts); refused, the name is shown as its
  // member chose it, and the server, which parses it here too, never hands it on.
  if (stacksPastMax(name)) {
    return { ok: false, reason: `name has more than ${MAX_STACKED_MARKS} accents or marks on one letter` };
  }
  if (!scriptsMixWell(scriptsOf(name))) {
    return { ok: false, reason: 'name mixes letters of scripts that look alike (like Latin and Cyrillic)' };
  }
  if (isReserved(name, lookAlike)) {
    return { ok: false, reason: 'that name is how the page labels each person’s own lines and reactions' };
  }
  if (endsAsPageMark(name, lookAlike)) {
    return {
      ok: false,
      reason: 'that name ends as the page marks a name (“(you)”, “(earlier)”, a key code like “#3f2a”, “✓”)',
    };
  }
  return { ok: true, name };
}

/**
 * What the page shows in place of our own name: our lines' and files' sender, our reactions,
 * the room's name we set. Save the chat (view/save-chat.ts) writes our name where it stands.
 */
export const SELF_LABEL = 'You';

/**
 * Names the page itself shows in place of a member's: SELF_LABEL, so a member called that
 * would pass for whoever reads them.
 */
const RESERVED_NAMES: readonly string[] = [SELF_LABEL];

/**
 * Whether a name is one the page shows in place of a member's (RESERVED_NAMES), folded or, by
 * `lookAlike`, as drawn: its look-alike keys meet the reserved name's (name-skeleton.ts, the
 * keys by which names meet in a room), so "Yoս" (an Armenian ս), "ʏou" (a small capital Y) and
 * "Yoᴜ" (a small capital U), drawn as "You", are refused as "YOU" is. Let by, such a member's
 * lines were headed "You" on everyone else's page, and it listed as "You ✓ connected".
 */
function isReserved(name: string, lookAlike: Skeleton | undefined): boolean {
  const folded = foldName(name);
  return RESERVED_NAMES.some(
    (reserved) =>
      folded === foldName(reserved) ||
      (lookAlike !== undefined && keysMeet(keysWithSkeleton(name, lookAlike), keysWithSkeleton(reserved, lookAlike))),
  );
}

/**
 * The words the page writes in parentheses after a member's name, as a pattern: "(you)" (Save
 * the chat, the list's own row), "(earlier)" (a gone author's line), "(no key yet, 2)" and
 * "(same key as another)" (a twin's, client/twins.ts). `word` makes each word's pattern,
 * `digit` is the pattern of a digit of the count.
 */
function wordMarks(word: (text: string) => string, digit: string): string {
  return `\\((?:${word('you')}|${word('earlier')}|${word('no key yet')}(?:, ${digit}+)?|${word('same key as another')})\\)`;
}

/**
 * What the page writes after a member's name, at the end of a folded name: its words
 * (wordMarks), a twin's key code ("#3f2a", "#3f2a 91c0", client/twins.ts), the list's ✓ (a
 * member proved the room key). A member called "Alice (you)" was written as Alice in the saved
 * chat, and "Alice ✓" read as a proved Alice in the list.
 */
const PAGE_MARK_AT_END = new RegExp(
  `(?:${wordMarks((text) => text, '\\d')}|#\\s?\\p{AHex}{4}(?: \\p{AHex}{4})*|[\\u2713\\u2714\\u2611\\u2705\\u221A\\u{1F5F8}\\u{1F5F9}])$`,
  'u',
);

/**
 * Marks at the end of a name on something that is no letter: a check mark, a parenthesis or a
 * key code's digit with a dot under it ("Bob ✓̣") is still drawn as that check mark,
 * parenthesis or digit. On a letter a mark makes another letter ("é" is not "e"), so those stay.
 */
const MARKS_ON_A_NON_LETTER_AT_END = /(?<=[^\p{L}\p{M}])\p{M}+$/u;

/**
 * The page's words after a name (wordMarks) as drawn, ASCII look-alikes too: a name's ending
 * is tested by its look-alike keys (keysWithSkeleton), so "(earIier)" with a capital I and
 * "(ear1ier)" with a digit 1 read as the "(earlier)" they are drawn as, "(n0 key yet, I2)" as
 * "(no key yet, 12)", "(sarne key as another)" as "(same key as another)".
 */
function drawnWordMarksAtEnd(lookAlike: Skeleton): RegExp {
  const digits = [...'0123456789'].flatMap((digit) => keysWithSkeleton(digit, lookAlike));
  return new RegExp(`${wordMarks((text) => anyOf(keysWithSkeleton(text, lookAlike)), anyOf(digits))}$`, 'u');
}

const SPECIAL_IN_PATTERN = /[.*+?^$\\{}()|[\]/]/g;
/** A pattern that matches any one of `texts`, each as written. */
function anyOf(texts: readonly string[]): string {
  return `(?:${texts.map((text) => text.replace(SPECIAL_IN_PATTERN, '\\$&')).join('|')})`;
}

/**
 * Signs drawn as the "#" or a parenthesis of the page's marks that Unicode's confusables table
 * leaves as they are (or, for the double parentheses, makes two): a name that ends in "♯3e2a"
 * or "⦅you⦆" reads as the key code or "(you)" it is drawn as. Only the obvious ones; the
 * fullwidth, small, superscript and subscript forms ("＃", "﹟", "（", "﹙", "⁽", "₍") are no
 * entry here, since NFKC already makes them the ASCII sign, nor the ornaments "❨" and "❩", which
 * the table has.
 */
const DRAWN_AS_MARK_SIGN: Readonly<Record<string, string>> = {
  '\u266F': '#', // ♯ music sharp sign
  '\u2317': '#', // ⌗ viewdata square
  '\u22D5': '#', // ⋕ equal and parallel to
  '\u29E3': '#', // ⧣ equals sign and slanted parallel
  '#\u20E3': '#', // #⃣ the keycap emoji "#️⃣" past its selector (drawn as nothing, stripped before)
  '\u2985': '(', // ⦅ white parentheses
  '\u2986': ')',
  '\u27EE': '(', // ⟮ mathematical flattened parentheses
  '\u27EF': ')',
  '\u2E28': '(', // ⸨ double parentheses (the confusables' "((")
  '\u2E29': ')',
  '\u276A': '(', // ❪ medium flattened parenthesis ornaments
  '\u276B': ')',
};
const MARK_SIGN_LOOK_ALIKE = new RegExp(Object.keys(DRAWN_AS_MARK_SIGN).join('|'), 'gu');

/** The text with each sign of DRAWN_AS_MARK_SIGN made the page's sign it is drawn as. */
const withMarkSignsDrawn = (text: string): string =>
  text.replace(MARK_SIGN_LOOK_ALIKE, (sign) => DRAWN_AS_MARK_SIGN[sign] ?? sign);

/**
 * The text with each character that is drawn as one other character (its prototype by
 * `lookAlike`) made that one; ASCII is kept as typed (see endsAsPageMark).
 */
function eachAsDrawn(text: string, lookAlike: Skeleton): string {
  return [...text]
    .map((char) => {
      if (char <= '\u007F') return char;
      const prototype = lookAlike(char);
      return [...prototype].length === 1 ? prototype : char;
    })
    .join('');
}

/**
 * Whether a name ends as the page marks a name (PAGE_MARK_AT_END), past what is drawn as
 * nothing and any marks on a check mark or parenthesis (MARKS_ON_A_NON_LETTER_AT_END), folded
 * or, by `lookAlike`, as drawn: each character drawn as one other character (its TR39
 * prototype, or a sign's in DRAWN_AS_MARK_SIGN) read as that one, so that a key code in
 * Cyrillic "е" and "а" ("Вова #3е2а"), a Greek "(γου)" or a sharp sign's "♯3e2a" reads as the
 * "#3e2a" and "(you)" it is drawn as. The mixed-script rule does not catch those: each is one
 * script beside digits and punctuation. The prototypes are case-sensitive (keysWithSkeleton in
 * name-skeleton.ts), so each character is read both in the case typed and folded: a capital
 * Cyrillic "З" is drawn as the digit "3", its small "з" as "ɜ", so "#Зе2а" is a key code only
 * as typed; a small "γ" is drawn as "y", its capital "Γ" as nothing in the table, so "(ΓΟΥ)"
 * is "(you)" only folded. ASCII is read as typed there: the skeleton draws "0" as "O" and "1"
 * as "l", so the page's own key codes would no longer read as hex. The page's words hold no
 * hex, so they are also read wholly as drawn, ASCII too (drawnWordMarksAtEnd).
 */
function endsAsPageMark(name: string, lookAlike: Skeleton | undefined): boolean {
  const shown = stripInvisible(name).replace(MARKS_ON_A_NON_LETTER_AT_END, '');
  if (PAGE_MARK_AT_END.test(foldName(shown))) return true;
  if (lookAlike === undefined) return false;
  const signsDrawn = withMarkSignsDrawn(shown.normalize('NFKC'));
  const drawings = [
    foldName(eachAsDrawn(signsDrawn, lookAlike)),
    foldName(eachAsDrawn(foldName(signsDrawn), lookAlike)),
  ];
  if (drawings.some((drawing) => PAGE_MARK_AT_END.test(drawing))) return true;
  const drawnWords = drawnWordMarksAtEnd(lookAlike);
  return keysWithSkeleton(signsDrawn, lookAlike).some((key) => drawnWords.test(key));
}
