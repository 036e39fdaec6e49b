// How many combining marks one character may carry: the rule the page shows every member's
// text by (client/view/dom.ts, client/view/text.ts), and that a member's name and the room's
// name are held to (name.ts, channel/room.ts). One rule, here, so the two cannot drift apart.

/**
 * Combining marks on one character, at most. A "Zalgo" line stacks hundreds on one letter:
 * a single grapheme no line break can split (the chat list scrolled sideways by 3,782 px),
 * painted far above and below its line and costly to lay out (long tasks up to 426 ms from
 * lines well inside a member's budget). Writing needs a few: Vietnamese two, pointed Hebrew
 * with cantillation four or five.
 */
export const MAX_STACKED_MARKS = 8;

// Characters drawn as nothing: zero-width joiner and non-joiner, variation selectors, the
// combining grapheme joiner, word joiner, tags, … The browser stacks the marks on both sides
// of one on the same letter, so they do not end a stack: counting only marks directly one
// after another let "a" + 60 × (seven marks + U+200D) draw 420 marks over the name above it
// (an exploratory pass).
const INVISIBLE = '\\p{Default_Ignorable_Code_Point}';
// A mark that is drawn. Variation selectors and the combining grapheme joiner are marks to
// Unicode too, but draw nothing: they count as invisible, not as marks.
const MARK = `[^\\P{M}${INVISIBLE}]`;
const MARKS = new RegExp(MARK, 'gu');
// A run of marks and invisible characters long enough to hold one mark too many. Marks and
// joiners are all Extend (or ZWJ) to UAX #29, so a run is the tail of one grapheme and needs
// no Intl.Segmenter (some 6 ms over a 4,000-character line): finding runs costs one class
// test per character, and the few runs found are counted on their own.
const RUN = new RegExp(`[\\p{M}${INVISIBLE}]{${MAX_STACKED_MARKS + 1},}`, 'gu');
// A run's first MAX_STACKED_MARKS marks with the invisible characters among them; and a run
// that holds one mark more.
const SHOWN_MARKS = new RegExp(`^(?:${INVISIBLE}*${MARK}){${MAX_STACKED_MARKS}}`, 'u');
const ONE_MARK_TOO_MANY = new RegExp(`^(?:${INVISIBLE}*${MARK}){${MAX_STACKED_MARKS + 1}}`, 'u');

/** The run with its marks past MAX_STACKED_MARKS left out; its invisible characters stay. */
function cutRun(run: string): string {
  const [shown] = SHOWN_MARKS.exec(run) ?? [];
  return shown === undefined ? run : shown + run.slice(shown.length).replace(MARKS, '');
}

/**
 * The text as shown: each character's marks cut to MAX_STACKED_MARKS. Only what is shown is
 * cut; a line, its signature, a file and what we hand on keep every character.
 */
export const capMarks = (text: string): string => text.replace(RUN, cutRun);

/** Whether some character in the text carries more than MAX_STACKED_MARKS marks. */
export const stacksPastMax = (text: string): boolean =>
  (text.match(RUN) ?? []).some((run) => ONE_MARK_TOO_MANY.test(run));
