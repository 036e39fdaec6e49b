// Names compared as they look, with the confusables table passed in: the server has it at
// hand (name-key.ts, unhomoglyph's copy of Unicode's confusables.txt); the page fetches the
// same table late (client/confusables.ts), since carried in its bundle it cost every page
// 50–90 ms of evaluation while it joins. One definition of the comparison for both.
import { foldName, stripInvisible } from './name-fold.ts';

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
 * The forms in which a name is compared (one or two, never empty): two names are one name
 * when they share one (keysMeet). Never compare them with ===.
 */
export type NameKeys = readonly string[];

/** Whether two names, by their keys, are one name: they share a key. */
export const keysMeet = (a: NameKeys, b: NameKeys): boolean => a.some((key) => b.includes(key));

/**
 * A folded name compared as it looks (see nameKeys in name-key.ts for why each step): folded,
 * look-alikes made one by `skeleton`, case folded again, inner spaces collapsed (so a key
 * never holds a line break: membership-keys.ts joins a name's keys with one), "i" and "l"
 * one letter.
 */
function keyOf(name: string, skeleton: Skeleton): string {
  return skeleton(foldName(name)).toLowerCase().replace(/\s+/gu, ' ').replace(/i/g, 'l').trim();
}

/**
 * The keys of a name, by `skeleton`: its case-folded form's, and its drawn form's.
 *
 * Unicode's confusables (TR39) are case-sensitive: each character goes to a prototype that
 * looks like it in its own case. A Cyrillic capital "В" goes to a Latin "B", but its small
 * "в", drawn as a small capital, to "ʙ", and so do "т" to "ᴛ", "м" to "ʍ", "н" to "ʜ". Names
 * here are one name in any case ("ANN" is Ann's), so two names are one when they look alike
 * in either case, and each case needs its own key:
 * - folded, then its skeleton (keyOf(name)): names alike in small letters. "rnary" and
 *   "Mary"; "ΟΔΟΣ" and "οδος"; "ВОВ" and "вов", the same name in two cases.
 * - its skeleton as written, then folded, then its skeleton again (keyOf(skeleton(name))):
 *   names alike as drawn, capitals too. "ВОВ" in Cyrillic is drawn as "BOB", so it is
 *   Bob's, as "ΑΝΝ" in Greek is Ann's; the skeleton again after the fold compares the
 *   folded drawing as small letters are compared above, so that a Latin name has the same
 *   key both ways (one key: "ТОМ" meets "Tom" on "torn", as "m" is drawn "rn").
 * Neither alone: folded first, a name in capitals that look Latin passed for the Latin
 * name (an explorer's "ВОВ" beside "BOB"); drawn first, one name in two cases split apart
 * ("ВОВА" is "boba", "Вова" "boʙa"). Nor one key made of both: meeting in either case is
 * no equivalence (Greek "ν" meets "v", its capital "Ν" meets "N", yet "v" and "n" must not
 * meet), so a clash on either key is a clash, and a name holds both.
 */
export function keysWithSkeleton(name: string, skeleton: Skeleton): NameKeys {
  const folded = keyOf(name, skeleton);
  const drawn = keyOf(skeleton(stripInvisible(name.normalize('NFKC'))), skeleton);
  return drawn === folded ? [folded] : [folded, drawn];
}
