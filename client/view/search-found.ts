// Which lines a search found, and which of them is current: the newest first, Next going to
// the next older and Previous to the next newer, round from either end to the other. They are
// numbered from the oldest, as they stand in the chat: a match that comes below (a new line)
// changes neither the current match nor its number, only the count ("3 of 13").
import { thousands } from './text.ts';

/** The lines that match, oldest first, and the current one's index (-1: none). */
export interface Found<T> {
  readonly lines: readonly T[];
  readonly current: number;
}

export const NOTHING_FOUND: Found<never> = { lines: [], current: -1 };

/** A query typed anew: the newest match is current. */
export function foundAnew<T>(lines: readonly T[]): Found<T> {
  return { lines, current: lines.length - 1 };
}

/**
 * The same query over the lines as they are now (lines came, went, or were edited): the
 * current line stays current, or its copy drawn in its place (the same `key`). One that no
 * longer matches, or went, hands over to the nearest match newer than it that is still there
 * (lines go from the oldest), else the nearest older; with none before, the newest is current.
 */
export function foundAgain<T>(
  before: Found<T>,
  lines: readonly T[],
  key: (line: T) => unknown = (line) => line,
): Found<T> {
  if (before.lines[before.current] === undefined) return foundAnew(lines);
  const now = new Map(lines.map((line, index) => [key(line), index]));
  const near = (i: number): number | undefined => {
    const line = before.lines[i];
    return line === undefined ? undefined : now.get(key(line));
  };
  for (let i = before.current; i < before.lines.length; i++) {
    const index = near(i);
    if (index !== undefined) return { lines, current: index };
  }
  for (let i = before.current - 1; i >= 0; i--) {
    const index = near(i);
    if (index !== undefined) return { lines, current: index };
  }
  return foundAnew(lines);
}

/** Next (`older`) or Previous (`newer`), round from one end to the other. */
export function stepped<T>(found: Found<T>, to: 'older' | 'newer'): Found<T> {
  const count = found.lines.length;
  if (count === 0) return found;
  const current = (found.current + (to === 'older' ? -1 : 1) + count) % count;
  return { lines: found.lines, current };
}

/** What the count says: "3 of 12", "no matches"; nothing while nothing is searched for. */
export function countWords(found: Found<unknown>, searching: boolean): string {
  if (!searching) return '';
  if (found.lines.length === 0) return 'no matches';
  return `${thousands(found.current + 1)} of ${thousands(found.lines.length)}`;
}
