// What the message box offers after an "@" (mention-box.ts draws it): the name being typed,
// the members whose names fit it, and the text once one is picked. Pure, for tests.
import { NAME_MAX_LENGTH } from '../../protocol/limits.ts';

/** Names offered at most. */
export const MAX_SUGGESTIONS = 8;
const WORD = /[\p{L}\p{N}\p{M}_]/u;

/** The "@…" being typed before the caret: where its "@" is and what follows it. */
export interface MentionQuery {
  readonly start: number;
  readonly query: string;
}

/**
 * The mentions that may be being typed at `caret`, nearest first: each an "@" at the start or
 * after a non-word character (not an address's), then up to a name's length of text on the
 * same line (names hold spaces, so a space does not end it; a name that no longer fits does:
 * see suggest). A name may hold an "@" itself, so the nearest is not always the one.
 */
export function mentionsAt(value: string, caret: number): MentionQuery[] {
  const before = value.slice(0, caret);
  const found: MentionQuery[] = [];
  for (let start = before.lastIndexOf('@'); start >= 0; start = start > 0 ? before.lastIndexOf('@', start - 1) : -1) {
    const query = before.slice(start + 1);
    if (query.length > NAME_MAX_LENGTH || /[\r\n]/.test(query)) break;
    if (start > 0 && WORD.test(before.charAt(start - 1))) continue;
    found.push({ start, query });
  }
  return found;
}

/** The nearest mention that may be being typed at `caret` (see mentionsAt). */
export function mentionAt(value: string, caret: number): MentionQuery | null {
  return mentionsAt(value, caret)[0] ?? null;
}

/** The mention being typed at `caret` and the names it is offered: the nearest "@" that some name fits. */
export function offerAt(
  value: string,
  caret: number,
  names: Iterable<string>,
): { mention: MentionQuery; names: string[] } | null {
  const known = [...names];
  for (const mention of mentionsAt(value, caret)) {
    const offered = suggest(mention.query, known);
    if (offered.length > 0) return { mention, names: offered };
  }
  return null;
}

/**
 * The names that fit what is typed, without regard to case: those that start with it first,
 * then those with a word that does; each group in alphabetical order. Nothing typed: all.
 * A name typed whole that no other name continues is offered nothing more, not even names
 * with a later word that starts with it ("Anna Bob" for "@Bob"): the list would only take the
 * Enter that sends "thanks @Bob".
 */
export function suggest(query: string, names: Iterable<string>, max = MAX_SUGGESTIONS): string[] {
  const typed = query.toLowerCase();
  const unique = [...new Set(names)].filter((name) => name !== '');
  const starts: string[] = [];
  const within: string[] = [];
  for (const name of unique) {
    const folded = name.toLowerCase();
    if (folded.startsWith(typed)) starts.push(name);
    else if (folded.split(/\s+/).some((word) => word.startsWith(typed))) within.push(name);
  }
  const order = (a: string, b: string) => a.localeCompare(b);
  const fits = [...starts.sort(order), ...within.sort(order)];
  if (starts.length === 1 && starts[0]?.toLowerCase() === typed) return [];
  return fits.slice(0, max);
}

/** The text with the "@…" typed replaced by "@name " (no second space), and the caret after the space. */
export function complete(
  value: string,
  mention: MentionQuery,
  caret: number,
  name: string,
): { value: string; caret: number } {
  const after = value.slice(caret);
  const spaced = after.startsWith(' ');
  const inserted = `@${name}${spaced ? '' : ' '}`;
  return {
    value: value.slice(0, mention.start) + inserted + after,
    caret: mention.start + inserted.length + (spaced ? 1 : 0),
  };
}
