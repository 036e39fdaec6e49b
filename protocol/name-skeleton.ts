// Names compared as they look, with the confusables table passed in: the server has it at
// hand (name-key.ts, unhomoglyph's copy of Unicode's confusables.txt); the page fetches the
// same table late (client/confusables.ts), since carried in its bundle it cost every page
// 50–90 ms of evaluation while it joins. One definition of the comparison for both.
import { foldName } from './name.ts';

/** A skeleton function: a text with each look-alike replaced by its prototype (TR39). */
export type Skeleton = (text: string) => string;

/** The skeleton without a table (the page's until it has fetched one): decomposed, nothing replaced. */
export const NO_TABLE: Skeleton = (text) => text.normalize('NFD');

/**
 * The TR39 skeleton by `table` (NFD, each character replaced by its prototype, NFD again), as
 * unhomoglyph makes it: one pattern of every key, in the table's order.
 */
export function skeletonWith(table: Readonly<Record<string, string>>): Skeleton {
  const keys = Object.keys(table).filter((key) => key !== '');
  if (keys.length === 0) return NO_TABLE;
  const pattern = new RegExp(keys.map((key) => key.replace(/[.?*+^$[\]\\(){}|-]/g, '\\$&')).join('|'), 'g');
  return (text) =>
    text
      .normalize('NFD')
      .replace(pattern, (found) => table[found] ?? found)
      .normalize('NFD');
}

/**
 * The form in which two names are compared (see nameKey in name-key.ts for why each step):
 * folded, look-alikes made one by `skeleton`, case folded again, inner spaces collapsed, "i"
 * and "l" one letter.
 */
export function keyWithSkeleton(name: string, skeleton: Skeleton): string {
  return skeleton(foldName(name)).toLowerCase().replace(/\s+/gu, ' ').replace(/i/g, 'l').trim();
}
